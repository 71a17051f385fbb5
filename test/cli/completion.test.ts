import { describe, expect, it } from 'vitest';
import { COMPLETE_COMMAND_NAME, GLOBAL_OPTIONS, listedCommands } from '../../src/cli/command-table.js';
import { bashCompletionScript } from '../../src/cli/completion/bash.js';
import { completionModel, valueOptions } from '../../src/cli/completion/completion-model.js';
import { fishCompletionScript } from '../../src/cli/completion/fish.js';
import { powershellCompletionScript } from '../../src/cli/completion/powershell.js';
import { zshCompletionScript } from '../../src/cli/completion/zsh.js';
import { completionCommand } from '../../src/commands/completion.js';
import { createFakeIo } from '../fakes/fake-io.js';

const model = completionModel();

describe('the completion model', () => {
  it('is the command table: every listed command and option, and no hidden command', () => {
    expect(model.commands.map((command) => command.name)).toEqual(listedCommands().map((command) => command.name));
    expect(model.commands.map((command) => command.name)).not.toContain(COMPLETE_COMMAND_NAME);
    for (const command of listedCommands()) {
      const completed = model.commands.find((candidate) => candidate.name === command.name);
      expect(completed?.options.map((option) => option.flags.at(-1))).toEqual(command.options.map((option) => `--${option.long}`));
    }
    expect(model.globalOptions.map((option) => option.flags.at(-1))).toEqual(GLOBAL_OPTIONS.map((option) => `--${option.long}`));
  });

  it("takes each option's value set from the table", () => {
    const sets = valueOptions(model).map(({ command, option, source }) => [command, option.flags.at(-1), source]);
    expect(sets).toContainEqual(['', '--profile', { kind: 'profiles' }]);
    expect(sets).toContainEqual(['env', '--shell', { kind: 'words', words: ['sh', 'fish', 'powershell'] }]);
    expect(sets).toContainEqual(['audit', '--format', { kind: 'words', words: ['table', 'json', 'csv'] }]);
    expect(sets).toContainEqual(['audit', '--report', { kind: 'any' }]);
    expect(sets).toContainEqual(['login', '--prompt', { kind: 'words', words: ['auto', 'terminal', 'dialog'] }]);
  });
});

describe('the PowerShell script (no pwsh on this machine: its text is checked)', () => {
  const script = powershellCompletionScript(model);

  it('registers a native completer for aws-mfa with every command, its options and its operand', () => {
    expect(script).toContain("Register-ArgumentCompleter -Native -CommandName 'aws-mfa' -ScriptBlock {");
    for (const command of model.commands) expect(script).toMatch(new RegExp(`^ {8}'${command.name}' = @\\{ options = @\\(`, 'm'));
    expect(script).toContain(
      "'completion' = @{ options = @('--version', '-p', '--profile', '--debug', '-h', '--help'); operand = @('bash', 'zsh', 'fish', 'powershell') }",
    );
    expect(script).toContain(
      "'add' = @{ options = @('--env', '--import', '--mfa-serial', '--totp', '--version', '-p', '--profile', '--debug', '-h', '--help'); operand = 'profiles' }",
    );
  });

  it('knows which options take values, and which values', () => {
    expect(script).toContain("' -p' = 'profiles'");
    expect(script).toContain("'env --shell' = @('sh', 'fish', 'powershell')");
    expect(script).toContain("'audit --report' = @()");
    expect(script).toContain("& 'aws-mfa' __complete profiles 2>$null");
  });

  it('balances its braces and parentheses', () => {
    const count = (character: string) => script.split(character).length - 1;
    expect(count('{')).toBe(count('}'));
    expect(count('(')).toBe(count(')'));
  });
});

describe('every script', () => {
  it.each([
    ['bash', bashCompletionScript],
    ['zsh', zshCompletionScript],
    ['fish', fishCompletionScript],
    ['powershell', powershellCompletionScript],
  ])('%s: names every listed command and every option, and calls __complete for profiles', (_, render) => {
    const script = render(model);
    for (const command of model.commands) expect(script).toContain(command.name);
    for (const option of [...model.globalOptions, ...model.commands.flatMap((command) => command.options)]) {
      const long = option.flags.at(-1) ?? '';
      expect(script.includes(long) || script.includes(`-l ${long.slice(2)}`)).toBe(true);
    }
    expect(script).toContain('__complete profiles');
  });
});

describe('completionCommand', () => {
  it('prints the script of the shell named', () => {
    const io = createFakeIo();
    expect(completionCommand('fish', io)).toBe(0);
    expect(io.stdout.join('')).toBe(fishCompletionScript(model));
  });

  it('refuses another shell with a usage error that lists the four', () => {
    const io = createFakeIo();
    expect(() => completionCommand('tcsh', io)).toThrow("bad shell: 'tcsh' is not one of bash, zsh, fish, powershell");
    expect(io.stdout).toEqual([]);
  });
});
