import { describe, expect, it } from 'vitest';
import {
  COMPLETE_COMMAND_NAME,
  type CommandSpec,
  GLOBAL_OPTIONS,
  listedCommands,
  optionFlags,
  PROGRAM_DESCRIPTION,
} from '../../src/cli/command-table.js';
import { renderCommandHelp, renderProgramHelp, wrapWords } from '../../src/cli/help.js';

/** The help text with its wrapping and column padding undone, to look for whole descriptions. */
function unwrapped(text: string): string {
  return text.replace(/\s+/g, ' ');
}

const allCommands: readonly CommandSpec[] = listedCommands();

describe('renderProgramHelp', () => {
  const help = renderProgramHelp();

  it('starts with the usage line and the description', () => {
    expect(help.startsWith(`Usage: aws-mfa [options] [command]\n\n${PROGRAM_DESCRIPTION}\n\nOptions:\n`)).toBe(true);
  });

  it.each(GLOBAL_OPTIONS.map((option) => [optionFlags(option), option] as const))('lists the global option %s', (flags, option) => {
    expect(unwrapped(help)).toContain(` ${flags} ${option.description}`);
  });

  it.each(allCommands.map((command) => [command.name, command] as const))('lists the command %s with its description', (name, command) => {
    expect(unwrapped(help)).toMatch(new RegExp(` ${name} \\[options\\]( \\S+)? ${escapeRegExp(command.description)} `));
  });

  it('leaves out the hidden sub-call of the completion scripts', () => {
    expect(help).not.toContain(COMPLETE_COMMAND_NAME);
  });

  it('ends with one newline', () => {
    expect(help.endsWith('help for command\n')).toBe(true);
  });
});

describe('renderCommandHelp', () => {
  it.each(allCommands.map((command) => [command.name, command] as const))('shows everything %s accepts', (_, command) => {
    const help = unwrapped(renderCommandHelp(command));
    expect(help).toContain(` ${command.description} `);
    for (const option of [...command.options, ...GLOBAL_OPTIONS]) expect(help).toContain(` ${optionFlags(option)} ${option.description}`);
    if (command.operand) expect(help).toContain(`Arguments: ${command.operand.name} ${command.operand.description} `);
  });

  it.each([
    ['login', 'Usage: aws-mfa login [options]\n'],
    ['add', 'Usage: aws-mfa add [options] <name>\n'],
    ['clear', 'Usage: aws-mfa clear [options] [name]\n'],
    ['exec', 'Usage: aws-mfa exec [options] <command...>\n'],
  ])('gives the usage of %s', (name, usage) => {
    const command = allCommands.find((candidate) => candidate.name === name) as CommandSpec;
    expect(renderCommandHelp(command).startsWith(usage)).toBe(true);
  });

  it('leaves out the sections a command has nothing for', () => {
    const help = renderCommandHelp({ name: 'plain', description: 'does one thing', options: [] });
    expect(help).not.toContain('Arguments:');
    expect(help).not.toContain('\nOptions:');
    expect(help).toContain('Global options:');
  });

  it('lays the options out in aligned, wrapped columns', () => {
    const command: CommandSpec = {
      name: 'demo',
      description: 'a demo',
      options: [{ long: 'long-option-name', value: 'value', description: 'word '.repeat(30).trim() }],
      operand: { name: 'thing', required: true, description: 'the thing' },
    };
    const lines = renderCommandHelp(command).split('\n');
    const itemLines = lines.filter((line) => line.startsWith('  '));
    const descriptionColumn = '  --long-option-name <value>  '.length;
    expect(lines).toContain(`  thing${' '.repeat(descriptionColumn - '  thing'.length)}the thing`);
    for (const line of itemLines) expect(line[descriptionColumn - 1]).toBe(' ');
    for (const line of itemLines) expect(line[descriptionColumn]).toMatch(/\S/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('help of the real table', () => {
  const helps: [string, string][] = [
    ['program', renderProgramHelp()],
    ...allCommands.map((command) => [command.name, renderCommandHelp(command)] as [string, string]),
  ];
  it.each(helps)('%s fits in 80 columns', (_, help) => {
    for (const line of help.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('wrapWords', () => {
  it.each([
    ['one two three', 13, ['one two three']],
    ['one two three', 12, ['one two', 'three']],
    ['one two three', 3, ['one', 'two', 'three']],
    ['unbreakable-word here', 5, ['unbreakable-word', 'here']],
    ['', 10, ['']],
  ])('%j in %i columns', (text, width, lines) => {
    expect(wrapWords(text, width)).toEqual(lines);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
