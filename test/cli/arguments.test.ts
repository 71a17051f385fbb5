import { describe, expect, it } from 'vitest';
import { parseInvocation } from '../../src/cli/arguments.js';
import { UsageError } from '../../src/cli/errors.js';

function parse(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const invocation = parseInvocation(argv, '1.2.3', { writeOut: (text) => out.push(text), writeErr: (text) => err.push(text) });
  return { invocation, out: out.join(''), err: err.join('') };
}

describe('parseInvocation', () => {
  it.each([
    [['login'], 'login', {}, []],
    [['login', '-p', 'prod'], 'login', { profile: 'prod' }, []],
    [['-p', 'prod', 'login'], 'login', { profile: 'prod' }, []],
    [
      ['login', '--profile=prod', '--code', '123456', '--duration', '1h30m', '--force'],
      'login',
      { profile: 'prod', code: '123456', duration: '1h30m', force: true },
      [],
    ],
    [['credential-process', '--profile', 'prod'], 'credential-process', { profile: 'prod' }, []],
    [
      ['credential-process', '--mfa-serial', 'arn:aws:iam::123456789012:mfa/a'],
      'credential-process',
      { mfaSerial: 'arn:aws:iam::123456789012:mfa/a' },
      [],
    ],
    [['env', '--shell', 'fish', '-p', 'dev'], 'env', { shell: 'fish', profile: 'dev' }, []],
    [['--debug', 'env'], 'env', { debug: true }, []],
    [['exec', '-p', 'prod', '--', 'terraform', 'plan', '-out', 'x'], 'exec', { profile: 'prod' }, ['terraform', 'plan', '-out', 'x']],
    [['exec', '--', 'aws', '--profile', 'other'], 'exec', {}, ['aws', '--profile', 'other']],
  ])('%j runs %s with its options', (argv, command, options, operands) => {
    const { invocation } = parse(argv);
    expect(invocation).toEqual({ kind: 'run', command, options, operands });
  });

  it('prints the version on stdout and exits 0', () => {
    const { invocation, out } = parse(['--version']);
    expect(invocation).toEqual({ kind: 'exit', exitCode: 0 });
    expect(out).toBe('1.2.3\n');
  });

  it.each([['--help'], ['login', '--help'], ['exec', '--help']])('%j prints help and exits 0', (...argv) => {
    const { invocation, out } = parse(argv);
    expect(invocation).toEqual({ kind: 'exit', exitCode: 0 });
    expect(out).toContain('Usage: aws-mfa');
  });

  it.each([
    [['frobnicate'], "aws-mfa: bad usage: unknown command 'frobnicate' (see aws-mfa --help)"],
    [['login', '--frob'], "aws-mfa: bad usage: unknown option '--frob' (see aws-mfa --help)"],
    [['login', '--code'], "aws-mfa: bad usage: option '--code <code>' argument missing (see aws-mfa --help)"],
    [['exec'], "aws-mfa: bad usage: missing required argument 'command' (see aws-mfa --help)"],
    [['login', 'extra'], "aws-mfa: bad usage: too many arguments for 'login'. Expected 0 arguments but got 1. (see aws-mfa --help)"],
  ])('%j is bad usage (exit 2)', (argv, line) => {
    let caught: unknown;
    try {
      parse(argv);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).exitCode).toBe(2);
    expect((caught as UsageError).toLine()).toBe(line);
  });
});
