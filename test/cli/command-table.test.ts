import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  GLOBAL_OPTIONS,
  HELP_COMMAND,
  isNegation,
  type OptionSpec,
  optionFlags,
  optionKey,
} from '../../src/cli/command-table.js';

describe('the command table', () => {
  it.each([...COMMANDS, HELP_COMMAND].map((command) => [command.name, command] as const))(
    '%s has no option that clashes with another or with a global one',
    (_, command) => {
      const options: readonly OptionSpec[] = [...command.options, ...GLOBAL_OPTIONS];
      const keys = options.map(optionKey);
      const shorts = options.flatMap((option) => (option.short ? [option.short] : []));
      expect(new Set(options.map((option) => option.long)).size).toBe(options.length);
      expect(new Set(keys).size).toBe(keys.length);
      expect(new Set(shorts).size).toBe(shorts.length);
    },
  );

  it('names each command once', () => {
    const names = [...COMMANDS, HELP_COMMAND].map((command) => command.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('optionKey', () => {
  it.each([
    ['profile', 'profile'],
    ['mfa-serial', 'mfaSerial'],
    ['max-age', 'maxAge'],
    ['device-name', 'deviceName'],
    ['self-service', 'selfService'],
    ['no-qr', 'qr'],
    ['no-store', 'store'],
  ])('--%s is the key %s', (long, key) => {
    expect(optionKey({ long, description: '' })).toBe(key);
  });
});

describe('isNegation', () => {
  it.each([
    ['no-qr', true],
    ['force', false],
    ['node', false],
  ])('--%s: %s', (long, negation) => {
    expect(isNegation({ long, description: '' })).toBe(negation);
  });
});

describe('optionFlags', () => {
  it.each([
    [{ long: 'force', description: '' }, '--force'],
    [{ long: 'code', value: 'code', description: '' }, '--code <code>'],
    [{ long: 'profile', short: 'p', value: 'name', description: '' }, '-p, --profile <name>'],
    [{ long: 'help', short: 'h', description: '' }, '-h, --help'],
  ])('%j is shown as %s', (option, flags) => {
    expect(optionFlags(option)).toBe(flags);
  });
});
