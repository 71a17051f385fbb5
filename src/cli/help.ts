import {
  type CommandSpec,
  GLOBAL_OPTIONS,
  listedCommands,
  type OperandSpec,
  type OptionSpec,
  optionFlags,
  PROGRAM_DESCRIPTION,
  PROGRAM_NAME,
} from './command-table.js';

/** Descriptions wrap to fit this width, as commander's help does when stdout is not a terminal. */
const HELP_WIDTH = 80;
const ITEM_INDENT = '  ';
const TERM_SPACER = '  ';

interface HelpItem {
  readonly term: string;
  readonly description: string;
}

interface HelpSection {
  readonly heading: string;
  readonly items: readonly HelpItem[];
}

/** `aws-mfa --help`: the global options and every command. */
export function renderProgramHelp(): string {
  return renderHelp(`${PROGRAM_NAME} [options] [command]`, PROGRAM_DESCRIPTION, [
    { heading: 'Options:', items: GLOBAL_OPTIONS.map(optionItem) },
    { heading: 'Commands:', items: listedCommands().map(commandItem) },
  ]);
}

/** `aws-mfa COMMAND --help`: its operand, its own options, then the global ones it accepts too. */
export function renderCommandHelp(command: CommandSpec): string {
  return renderHelp(`${PROGRAM_NAME} ${commandUsage(command)}`, command.description, [
    { heading: 'Arguments:', items: command.operand ? [operandItem(command.operand)] : [] },
    { heading: 'Options:', items: command.options.map(optionItem) },
    { heading: 'Global options:', items: GLOBAL_OPTIONS.map(optionItem) },
  ]);
}

/** `exec [options] <command...>`: every command takes options, since the global ones go anywhere. */
function commandUsage(command: CommandSpec): string {
  return command.operand ? `${command.name} [options] ${operandUsage(command.operand)}` : `${command.name} [options]`;
}

function operandUsage(operand: OperandSpec): string {
  const name = `${operand.name}${operand.variadic ? '...' : ''}`;
  return operand.required ? `<${name}>` : `[${name}]`;
}

function optionItem(option: OptionSpec): HelpItem {
  return { term: optionFlags(option), description: option.description };
}

function commandItem(command: CommandSpec): HelpItem {
  return { term: commandUsage(command), description: command.description };
}

function operandItem(operand: OperandSpec): HelpItem {
  return { term: operand.name, description: operand.description };
}

function renderHelp(usage: string, description: string, sections: readonly HelpSection[]): string {
  const shown = sections.filter((section) => section.items.length > 0);
  // One term column for the whole text, so descriptions line up across sections.
  const termWidth = Math.max(...shown.flatMap((section) => section.items.map((item) => item.term.length)));
  const blocks = shown.map((section) => [section.heading, ...section.items.map((item) => renderItem(item, termWidth))].join('\n'));
  return `${[`Usage: ${usage}`, wrapWords(description, HELP_WIDTH).join('\n'), ...blocks].join('\n\n')}\n`;
}

function renderItem(item: HelpItem, termWidth: number): string {
  const descriptionIndent = ITEM_INDENT.length + termWidth + TERM_SPACER.length;
  const lines = wrapWords(item.description, HELP_WIDTH - descriptionIndent);
  return `${ITEM_INDENT}${item.term.padEnd(termWidth)}${TERM_SPACER}${lines.join(`\n${' '.repeat(descriptionIndent)}`)}`;
}

/** Lines of at most `width` characters, broken between words; a longer word gets a line of its own. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}
