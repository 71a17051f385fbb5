import {
  COMPLETE_COMMAND_NAME,
  type CommandSpec,
  GLOBAL_OPTIONS,
  listedCommands,
  type OptionSpec,
  PROGRAM_NAME,
  type ValueSet,
} from '../command-table.js';

/** What a word after an option or in an operand's place completes to. */
export type WordSource =
  | { readonly kind: 'words'; readonly words: readonly string[] }
  | { readonly kind: 'profiles' }
  | { readonly kind: 'any' };

export interface CompletionOption {
  /** `-p` and `--profile`, or `--force` alone. */
  readonly flags: readonly string[];
  readonly description: string;
  /** undefined for a flag that takes no value. */
  readonly value: WordSource | undefined;
}

export interface CompletionCommand {
  readonly name: string;
  readonly description: string;
  /** The command's own options; the global ones go anywhere too. */
  readonly options: readonly CompletionOption[];
  /** undefined when the command takes no operand. */
  readonly operand: WordSource | undefined;
}

/** The command table seen by a completion script: no second list of commands or options. */
export interface CompletionModel {
  readonly program: string;
  /** The sub-call that prints profile names, one a line. */
  readonly profilesCall: string;
  readonly globalOptions: readonly CompletionOption[];
  readonly commands: readonly CompletionCommand[];
}

export function completionModel(): CompletionModel {
  const globalOptions = GLOBAL_OPTIONS.map(completionOption);
  return {
    program: PROGRAM_NAME,
    profilesCall: `${PROGRAM_NAME} ${COMPLETE_COMMAND_NAME} profiles`,
    globalOptions,
    commands: listedCommands().map(completionCommand),
  };
}

/** Every option that takes a value, anywhere: the word after it is its value, not a command name. */
/** Pairs of (command name, or '' for the global options) and option: every value an option can take. */
export function valueOptions(model: CompletionModel): Array<{ command: string; option: CompletionOption; source: WordSource }> {
  const scoped = [
    ...model.globalOptions.map((option) => ({ command: '', option })),
    ...model.commands.flatMap((command) => command.options.map((option) => ({ command: command.name, option }))),
  ];
  return scoped.flatMap(({ command, option }) => (option.value ? [{ command, option, source: option.value }] : []));
}

/**
 * Case arms of a script: one per distinct answer, with the patterns that lead to it. A global
 * option's pattern matches whatever the command (`*" -p"`), a command's own only after it.
 */
export function valueArms(model: CompletionModel, answer: (source: WordSource) => string): Array<{ patterns: string[]; answer: string }> {
  const arms = new Map<string, string[]>();
  for (const { command, option, source } of valueOptions(model)) {
    const patterns = option.flags.map((flag) => (command === '' ? `*" ${flag}"` : `"${command} ${flag}"`));
    const key = answer(source);
    arms.set(key, [...(arms.get(key) ?? []), ...patterns]);
  }
  return [...arms].map(([key, patterns]) => ({ answer: key, patterns }));
}

export function flagsTakingValues(model: CompletionModel): string[] {
  return [...new Set(valueOptions(model).flatMap(({ option }) => option.flags))];
}

function completionCommand(command: CommandSpec): CompletionCommand {
  return {
    name: command.name,
    description: command.description,
    options: command.options.map(completionOption),
    operand: command.operand ? wordSource(command.operand.values) : undefined,
  };
}

function completionOption(option: OptionSpec): CompletionOption {
  return {
    flags: option.short ? [`-${option.short}`, `--${option.long}`] : [`--${option.long}`],
    description: option.description,
    value: option.value ? wordSource(option.values) : undefined,
  };
}

function wordSource(values: ValueSet | undefined): WordSource {
  if (values === 'profile') return { kind: 'profiles' };
  return values ? { kind: 'words', words: values } : { kind: 'any' };
}
