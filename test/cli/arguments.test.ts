import { describe, expect, it } from 'vitest';
import { parseInvocation } from '../../src/cli/arguments.js';
import { COMMANDS } from '../../src/cli/command-table.js';
import { UsageError } from '../../src/core/errors.js';

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
    [['credential-process', '--prompt', 'dialog'], 'credential-process', { prompt: 'dialog' }, []],
    [['exec', '--prompt=terminal', '--', 'aws'], 'exec', { prompt: 'terminal' }, ['aws']],
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

function optionsOf(argv: string[]): unknown {
  const { invocation } = parse(argv);
  return invocation.kind === 'run' ? invocation.options : invocation;
}

function usageErrorFrom(argv: string[]): UsageError {
  try {
    parse(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(argv)} parsed without a usage error`);
}

describe('parseInvocation: commands and options', () => {
  it.each([
    [['login'], 'login'],
    [['credential-process'], 'credential-process'],
    [['env'], 'env'],
    [['exec', '--', 'true'], 'exec'],
    [['add', 'prod'], 'add'],
    [['remove', 'prod'], 'remove'],
    [['list'], 'list'],
    [['clear'], 'clear'],
    [['code', 'prod'], 'code'],
    [['configure', 'prod'], 'configure'],
    [['policy'], 'policy'],
    [['audit'], 'audit'],
    [['enroll'], 'enroll'],
    [['rotate'], 'rotate'],
    [['doctor', '--online', '--json'], 'doctor'],
    [['completion', 'fish'], 'completion'],
    [['__complete', 'profiles'], '__complete'],
  ])('%j runs %s', (argv, command) => {
    expect(parse(argv).invocation).toMatchObject({ kind: 'run', command });
  });

  it.each([
    [
      ['add', 'prod', '--mfa-serial', 'GAHT12345678', '--env', '--import', '--totp'],
      { mfaSerial: 'GAHT12345678', env: true, import: true, totp: true },
    ],
    [['policy', '--max-age', '4h', '--self-service', '--partition', 'aws-cn'], { maxAge: '4h', selfService: true, partition: 'aws-cn' }],
    [['enroll', '--user', 'alice', '--device-name', 'phone'], { user: 'alice', deviceName: 'phone', qr: true, store: true }],
    [['audit', '--report', 'r.csv', '--format', 'json'], { report: 'r.csv', format: 'json' }],
    [['remove', 'prod', '--force'], { force: true }],
    [['list', '--json'], { json: true }],
  ])('%j gives the options in camelCase', (argv, options) => {
    expect(optionsOf(argv)).toEqual(options);
  });

  it.each([
    [['enroll'], { qr: true, store: true }],
    [['enroll', '--no-qr'], { qr: false, store: true }],
    [['enroll', '--no-store'], { qr: true, store: false }],
    [['enroll', '--no-store', '--no-qr', '-p', 'admin'], { qr: false, store: false, profile: 'admin' }],
  ])('%j gives the negatable options as commander did', (argv, options) => {
    expect(optionsOf(argv)).toEqual(options);
  });

  it('gives the negatable options of enroll only to enroll', () => {
    expect(optionsOf(['login'])).toEqual({});
  });

  it.each([
    [['-p', 'a', 'login', '-p', 'b'], 'b'],
    [['login', '--profile', 'a', '--profile=b'], 'b'],
    [['login', '-pa', '-pb'], 'b'],
    [['login', '-pprod'], 'prod'],
    [['login', '-p=x'], '=x'],
    [['login', '--profile='], ''],
    [['--profile', 'prod', '--debug', 'login'], 'prod'],
  ])('%j reads the profile %j (the last one given wins)', (argv, profile) => {
    expect(optionsOf(argv)).toEqual(argv.includes('--debug') ? { profile, debug: true } : { profile });
  });

  it('takes the global options after the command too', () => {
    expect(parse(['configure', 'prod', '--debug', '-p', 'admin']).invocation).toEqual({
      kind: 'run',
      command: 'configure',
      options: { debug: true, profile: 'admin' },
      operands: ['prod'],
    });
  });

  it('takes a value that starts with a dash when it is attached', () => {
    expect(optionsOf(['login', '--code=--force'])).toEqual({ code: '--force' });
  });

  it('takes a lone dash as a value', () => {
    expect(optionsOf(['login', '--code', '-'])).toEqual({ code: '-' });
  });
});

describe('parseInvocation: operands', () => {
  it.each([
    [
      ['exec', '--', 'aws', '--profile', 'other', '--', '-h'],
      ['aws', '--profile', 'other', '--', '-h'],
    ],
    [['exec', '--', '--'], ['--']],
    [
      ['exec', 'terraform', '--force', '--', 'plan'],
      ['terraform', 'plan'],
    ],
  ])('exec keeps %j as operands', (argv, operands) => {
    expect(parse(argv).invocation).toMatchObject({ kind: 'run', command: 'exec', operands });
  });

  it('reads options given before the -- of exec', () => {
    expect(parse(['exec', '--code', '123456', '--', 'a']).invocation).toMatchObject({ options: { code: '123456' }, operands: ['a'] });
  });

  it.each([['add'], ['remove'], ['code'], ['configure']])('%s takes one name', (command) => {
    expect(parse([command, 'prod']).invocation).toMatchObject({ operands: ['prod'] });
    expect(usageErrorFrom([command]).why).toBe("missing required argument 'name'");
    expect(usageErrorFrom([command, 'a', 'b']).why).toBe(`too many arguments for '${command}'. Expected 1 argument but got 2.`);
  });

  it.each([[[]], [['prod']]])('clear takes an optional name: %j', (operands) => {
    expect(parse(['clear', ...operands]).invocation).toMatchObject({ command: 'clear', operands });
  });

  it('clear takes no more than one name', () => {
    expect(usageErrorFrom(['clear', 'a', 'b']).why).toBe("too many arguments for 'clear'. Expected 1 argument but got 2.");
  });

  it.each([['login'], ['credential-process'], ['env'], ['list'], ['policy'], ['audit'], ['enroll'], ['rotate']])(
    '%s takes no operand',
    (command) => {
      expect(usageErrorFrom([command, 'x']).why).toBe(`too many arguments for '${command}'. Expected 0 arguments but got 1.`);
    },
  );

  it('counts the operands after -- too', () => {
    expect(usageErrorFrom(['login', '--', 'x']).why).toBe("too many arguments for 'login'. Expected 0 arguments but got 1.");
  });

  it('exec needs a command even with options', () => {
    expect(usageErrorFrom(['exec', '-p', 'prod', '--']).why).toBe("missing required argument 'command'");
  });
});

describe('parseInvocation: help and version', () => {
  it.each([[['login', '--version']], [['-p', 'x', '--version']], [['--help', '--version']], [['login', '--frob', '--version']]])(
    '%j prints the version',
    (argv) => {
      const { invocation, out, err } = parse(argv);
      expect(invocation).toEqual({ kind: 'exit', exitCode: 0 });
      expect(out).toBe('1.2.3\n');
      expect(err).toBe('');
    },
  );

  it.each([[['-h']], [['--help']], [['--help', 'login']], [['help']], [['frobnicate', '--help']]])('%j prints the program help', (argv) => {
    const { invocation, out, err } = parse(argv);
    expect(invocation).toEqual({ kind: 'exit', exitCode: 0 });
    expect(out).toMatch(/^Usage: aws-mfa \[options\] \[command\]\n/);
    expect(err).toBe('');
  });

  const commandNames: string[] = COMMANDS.map((command) => command.name);
  it.each(commandNames.flatMap((command) => [[[command, '--help']], [[command, '-h']], [['help', command]], [['-p', 'x', command, '-h']]]))(
    '%j prints the help of the command',
    (argv) => {
      const command = argv.find((arg) => commandNames.includes(arg));
      const { invocation, out } = parse(argv);
      expect(invocation).toEqual({ kind: 'exit', exitCode: 0 });
      expect(out).toMatch(new RegExp(`^Usage: aws-mfa ${command} \\[options\\]`));
    },
  );

  it.each([[['help', 'help']], [['help', '--help']]])('%j prints the help of help', (argv) => {
    expect(parse(argv).out).toMatch(/^Usage: aws-mfa help \[options\] \[command\]\n/);
  });

  it('prints help even after a bad option', () => {
    expect(parse(['login', '--frob', '--help']).out).toMatch(/^Usage: aws-mfa login /);
  });

  it.each([[[]], [['--debug']], [['-p', 'prod']], [['--']]])('%j prints the program help on stderr and is bad usage', (argv) => {
    const { invocation, out, err } = parse(argv);
    expect(invocation).toEqual({ kind: 'exit', exitCode: 2 });
    expect(out).toBe('');
    expect(err).toMatch(/^Usage: aws-mfa \[options\] \[command\]\n/);
  });

  it.each([
    [['help', 'frob'], "aws-mfa: bad usage: unknown command 'frob' (see aws-mfa --help)"],
    [['help', 'logn'], "aws-mfa: bad usage: unknown command 'logn' (did you mean login? see aws-mfa --help)"],
    [['help', 'login', 'env'], "aws-mfa: bad usage: too many arguments for 'help'. Expected 1 argument but got 2. (see aws-mfa --help)"],
  ])('%j is bad usage', (argv, line) => {
    expect(usageErrorFrom(argv).toLine()).toBe(line);
  });
});

describe('parseInvocation: bad usage', () => {
  it.each([
    [['logn'], "unknown command 'logn'", 'did you mean login? see aws-mfa --help'],
    [['Login'], "unknown command 'Login'", 'did you mean login? see aws-mfa --help'],
    [['credential-proces'], "unknown command 'credential-proces'", 'did you mean credential-process? see aws-mfa --help'],
    [['login', '--forc'], "unknown option '--forc'", 'did you mean --force? see aws-mfa --help'],
    [['env', '--shel', 'fish'], "unknown option '--shel'", 'did you mean --shell? see aws-mfa --help'],
    [['login', '--profil', 'x'], "unknown option '--profil'", 'did you mean --profile? see aws-mfa --help'],
    [['login', '--promt', 'dialog'], "unknown option '--promt'", 'did you mean --prompt? see aws-mfa --help'],
    [['--deb', 'login'], "unknown option '--deb'", 'did you mean --debug? see aws-mfa --help'],
    [['policy', '--no-self-service'], "unknown option '--no-self-service'", 'did you mean --self-service? see aws-mfa --help'],
    [['enroll', '--qr'], "unknown option '--qr'", 'see aws-mfa --help'],
    [['login', '-x'], "unknown option '-x'", 'see aws-mfa --help'],
    [['login', '--frob=1'], "unknown option '--frob'", 'see aws-mfa --help'],
    [['--force', 'login'], "unknown option '--force'", 'see aws-mfa --help'],
    [['remove', 'prod', '--save'], "unknown option '--save'", 'see aws-mfa --help'],
    [['login', '-p'], "option '-p, --profile <name>' argument missing", 'see aws-mfa --help'],
    [['-p'], "option '-p, --profile <name>' argument missing", 'see aws-mfa --help'],
    [['add', 'prod', '--mfa-serial'], "option '--mfa-serial <serial>' argument missing", 'see aws-mfa --help'],
    [['login', '--force=yes'], "option '--force' takes no value", 'see aws-mfa --help'],
    [['login', '--debug=1'], "option '--debug' takes no value", 'see aws-mfa --help'],
    [
      ['login', '--code', '--force'],
      "option '--code <code>' argument missing",
      'a value that starts with - goes as --code=VALUE; see aws-mfa --help',
    ],
    [
      ['-p', '--debug', 'login'],
      "option '-p, --profile <name>' argument missing",
      'a value that starts with - goes as --profile=VALUE; see aws-mfa --help',
    ],
  ])('%j: %s (%s)', (argv, why, hint) => {
    const error = usageErrorFrom(argv);
    expect(error.exitCode).toBe(2);
    expect(error.why).toBe(why);
    expect(error.hint).toBe(hint);
  });

  it.each([
    [['login', '--frob', '--code'], "unknown option '--frob'"],
    [['login', 'extra', '--frob'], "unknown option '--frob'"],
    [['--frob', 'logn'], "unknown option '--frob'"],
    [['logn', '--frob'], "unknown command 'logn'"],
    [['add', '--frob'], "unknown option '--frob'"],
  ])('%j reports the first problem: %s', (argv, why) => {
    expect(usageErrorFrom(argv).why).toBe(why);
  });
});
