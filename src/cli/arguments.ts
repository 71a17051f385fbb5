import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ExitCode, UsageError } from '../core/errors.js';
import {
  COMMANDS,
  type CommandName,
  type CommandSpec,
  GLOBAL_OPTIONS,
  HELP_COMMAND,
  HELP_OPTION,
  isNegation,
  listedCommands,
  type OptionSpec,
  optionFlags,
  optionKey,
  VERSION_OPTION,
} from './command-table.js';
import { renderCommandHelp, renderProgramHelp } from './help.js';
import { suggestSimilar } from './suggest.js';

export type { CommandName } from './command-table.js';

/** What argv asks for: a command with its options and operands, or an exit after help/version. */
export type Invocation =
  | {
      readonly kind: 'run';
      readonly command: CommandName;
      readonly options: Readonly<Record<string, unknown>>;
      readonly operands: readonly string[];
    }
  | { readonly kind: 'exit'; readonly exitCode: number };

export interface HelpOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/** The part of node:util's parseArgs tokens that parsing reads. */
type Token =
  | { readonly kind: 'option'; readonly name: string; readonly rawName: string; readonly value?: string; readonly inlineValue?: boolean }
  | { readonly kind: 'positional'; readonly index: number; readonly value: string }
  | { readonly kind: 'option-terminator' };

type OptionToken = Extract<Token, { kind: 'option' }>;

const SEE_HELP = 'see aws-mfa --help';

/**
 * Parses argv (without node and script) with the whole argument table; usage errors throw UsageError.
 * Help and version win over any usage error.
 */
export function parseInvocation(argv: readonly string[], version: string, output: HelpOutput): Invocation {
  const { globalTokens, name, command, accepted, commandTokens } = splitAtCommandName(argv);
  if (hasOption([...globalTokens, ...commandTokens], VERSION_OPTION)) return printVersion(version, output);
  if (hasOption(globalTokens, HELP_OPTION)) return printHelp(renderProgramHelp(), output);
  if (hasOption(commandTokens, HELP_OPTION)) return printHelp(command ? renderCommandHelp(command) : renderProgramHelp(), output);

  checkOptions(globalTokens, GLOBAL_OPTIONS);
  if (name === undefined) {
    output.writeErr(renderProgramHelp());
    return { kind: 'exit', exitCode: ExitCode.usage };
  }
  if (!command) throw unknownCommand(name);
  checkOptions(commandTokens, accepted);
  const operands = commandTokens.filter((token) => token.kind === 'positional').map((token) => token.value);
  checkOperandCount(command, operands);
  if (command.name === HELP_COMMAND.name) return printHelpTopic(operands[0], output);
  return { kind: 'run', command: command.name, options: optionValues([...globalTokens, ...commandTokens], accepted), operands };
}

/**
 * The command name is the first operand. Before it, argv may hold only global options (commander's
 * default); after it, the command's options too, so each part is tokenized with what it accepts.
 */
function splitAtCommandName(argv: readonly string[]) {
  const leadingTokens = tokenize(argv, GLOBAL_OPTIONS);
  const nameToken = leadingTokens.find((token) => token.kind === 'positional');
  const command = nameToken && findCommand(nameToken.value);
  const accepted = [...(command?.options ?? []), ...GLOBAL_OPTIONS];
  return {
    globalTokens: nameToken ? leadingTokens.slice(0, leadingTokens.indexOf(nameToken)) : leadingTokens,
    name: nameToken?.value,
    command,
    accepted,
    commandTokens: nameToken ? tokenize(argv.slice(nameToken.index + 1), accepted) : [],
  };
}

function tokenize(args: readonly string[], options: readonly OptionSpec[]): Token[] {
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const option of options) {
    config[option.long] = { type: option.value ? 'string' : 'boolean', ...(option.short ? { short: option.short } : {}) };
  }
  // Not strict: the checks below name the option as the help does, and suggest close matches.
  return parseArgs({ args, options: config, strict: false, allowPositionals: true, tokens: true }).tokens ?? [];
}

function findCommand(name: string): (typeof COMMANDS)[number] | typeof HELP_COMMAND | undefined {
  return name === HELP_COMMAND.name ? HELP_COMMAND : COMMANDS.find((command) => command.name === name);
}

function hasOption(tokens: readonly Token[], option: OptionSpec): boolean {
  return tokens.some((token) => token.kind === 'option' && token.name === option.long);
}

function printVersion(version: string, output: HelpOutput): Invocation {
  output.writeOut(`${version}\n`);
  return { kind: 'exit', exitCode: ExitCode.ok };
}

function printHelp(text: string, output: HelpOutput): Invocation {
  output.writeOut(text);
  return { kind: 'exit', exitCode: ExitCode.ok };
}

/** `aws-mfa help [command]`. */
function printHelpTopic(topic: string | undefined, output: HelpOutput): Invocation {
  if (topic === undefined) return printHelp(renderProgramHelp(), output);
  const command = findCommand(topic);
  if (!command) throw unknownCommand(topic);
  return printHelp(renderCommandHelp(command), output);
}

function checkOptions(tokens: readonly Token[], accepted: readonly OptionSpec[]): void {
  for (const token of tokens) if (token.kind === 'option') checkOption(token, accepted);
}

function checkOption(token: OptionToken, accepted: readonly OptionSpec[]): void {
  const option = accepted.find((candidate) => candidate.long === token.name);
  if (!option) {
    const longFlags = accepted.map((candidate) => `--${candidate.long}`);
    throw badUsage(`unknown option '${token.rawName}'`, similarTo(token.rawName, longFlags));
  }
  if (!option.value && token.value !== undefined) throw badUsage(`option '${optionFlags(option)}' takes no value`);
  if (option.value && token.value === undefined) throw badUsage(`option '${optionFlags(option)}' argument missing`);
  // `--code --force` most likely forgot the code; a value that starts with a dash must be attached.
  if (option.value && token.inlineValue === false && looksLikeOption(token.value)) {
    throw badUsage(`option '${optionFlags(option)}' argument missing`, `a value that starts with - goes as --${option.long}=VALUE;`);
  }
}

function looksLikeOption(value: string | undefined): boolean {
  return value !== undefined && value.length > 1 && value.startsWith('-');
}

function checkOperandCount(command: CommandSpec, operands: readonly string[]): void {
  const { operand } = command;
  if (operand?.required && operands.length === 0) throw badUsage(`missing required argument '${operand.name}'`);
  const expected = operand ? 1 : 0;
  if (!operand?.variadic && operands.length > expected) {
    throw badUsage(
      `too many arguments for '${command.name}'. Expected ${expected} argument${expected === 1 ? '' : 's'} but got ${operands.length}.`,
    );
  }
}

/** What the command receives: a key per option given (the last occurrence wins), and every negatable one. */
function optionValues(tokens: readonly Token[], accepted: readonly OptionSpec[]): Record<string, unknown> {
  const values: Record<string, unknown> = Object.fromEntries(accepted.filter(isNegation).map((option) => [optionKey(option), true]));
  for (const token of tokens) {
    const option = token.kind === 'option' && accepted.find((candidate) => candidate.long === token.name);
    if (option) values[optionKey(option)] = isNegation(option) ? false : (token.value ?? true);
  }
  return values;
}

function unknownCommand(name: string): UsageError {
  const names = listedCommands().map((command) => command.name);
  return badUsage(`unknown command '${name}'`, similarTo(name, names));
}

function similarTo(word: string, candidates: readonly string[]): string | undefined {
  const similar = suggestSimilar(word, candidates);
  if (similar.length === 0) return undefined;
  return `did you mean ${similar.length === 1 ? similar[0] : `one of ${similar.join(', ')}`}?`;
}

/** `advice` ends with its own punctuation: `did you mean login?`. */
function badUsage(why: string, advice?: string): UsageError {
  return new UsageError('bad usage', why, { hint: advice ? `${advice} ${SEE_HELP}` : SEE_HELP });
}
