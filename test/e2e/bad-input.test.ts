/**
 * Bad usage and bad input, end to end: bin/aws-mfa is spawned for each case and must exit 2
 * (or 1/130 where the operation itself fails), print exactly one `aws-mfa: …` line on stderr,
 * nothing on stdout, and leave HOME as it was.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileFileStem } from '../../src/store/session-cache.js';
import { closedPort, FakeSts, SESSION } from '../aws/fake-aws.js';
import { FakeIam } from '../aws/fake-iam.js';
import { fileBytes, fileMode } from './harness/files.js';
import { useKeyring } from './harness/keyring.js';
import { runProcess } from './harness/process.js';
import { expectNoSecrets, expectOnlyLockFoldersAdded, expectRefusal, type Refusal } from './harness/refusals.js';
import { type EnvOverrides, Sandbox } from './harness/sandbox.js';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const CODE = '246813';
const CREDENTIALS = `[dev-long-term]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`;
const CONFIG = `[profile dev]\nmfa_serial = ${SERIAL}\nregion = eu-west-1\n`;
const FOUR_MIB = 4 * 1024 * 1024;

type Command = 'login' | 'credential-process' | 'env' | 'exec';

interface Case extends Refusal {
  name: string;
  /** The whole argv; default: `<command> -p dev --code CODE` (plus `-- true` for exec). */
  args?: readonly string[];
  /** The command for the default argv. */
  command?: Command;
  env?: EnvOverrides;
  /** Default: CREDENTIALS and CONFIG, a profile `dev` that would work. */
  setup?: (box: Sandbox) => void;
  /**
   * `reachable`: a private, empty keychain (test/e2e/harness/keyring.ts). Default: none, as in this
   * sandbox, which has no D-Bus session: the keychain cannot be searched.
   */
  keychain?: 'reachable';
  /** AWS_ENDPOINT_URL_IAM is a fake IAM whose iam:ListMFADevices finds no device. */
  fakeIam?: true;
  /**
   * The run gets as far as the profile's lock (MFA serial discovery happens under it): the lock's
   * empty folders may stay behind, nothing else may change, and no session is cached.
   */
  takesLock?: true;
}

/** Every session command with -p dev and a valid code: only the case's own flaw may stop it. */
function argv(command: Command, ...extra: string[]): string[] {
  const args = [command, '-p', 'dev', '--code', CODE, ...extra];
  return command === 'exec' ? [...args, '--', 'sh', '-c', 'touch ran-the-command'] : args;
}

function files(credentials: string | Buffer | undefined, config: string | Buffer | undefined) {
  return (box: Sandbox): void => {
    if (credentials !== undefined) writeRaw(box.credentialsPath, credentials, 0o600);
    if (config !== undefined) writeRaw(box.configPath, config, 0o644);
  };
}

function writeRaw(path: string, contents: string | Buffer, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, contents, { mode });
}

function directoryAt(which: 'credentialsPath' | 'configPath') {
  return (box: Sandbox): void => {
    files(which === 'credentialsPath' ? undefined : CREDENTIALS, which === 'configPath' ? undefined : CONFIG)(box);
    mkdirSync(box[which], { recursive: true });
  };
}

/** The same flaws, for the credentials file and for the config file. */
function malformedFileCases(which: 'credentials' | 'config', command: Command): Case[] {
  const path = which === 'credentials' ? '/.aws/credentials' : '/.aws/config';
  const valid = which === 'credentials' ? CREDENTIALS : CONFIG;
  const section = which === 'credentials' ? '[dev-long-term]' : '[profile dev]';
  const key = which === 'credentials' ? 'aws_access_key_id' : 'mfa_serial';
  const with_ = (text: string | Buffer) => (which === 'credentials' ? files(text, CONFIG) : files(CREDENTIALS, text));
  const oversized = `${valid}${`# ${'x'.repeat(97)}\n`.repeat(FOUR_MIB / 100 + 1)}`;
  const malformed = (line: number, why: string) => ['malformed', path, `line ${line}: ${why}`];
  return [
    {
      name: `${which}: duplicate section`,
      setup: with_(`${valid}${section}\nregion = us-east-1\n`),
      words: malformed(4, `duplicate section ${section}`),
    },
    {
      name: `${which}: duplicate key, other case`,
      setup: with_(`${valid}${key.toUpperCase()} = again\n`),
      words: malformed(4, `duplicate key "${key}"`),
    },
    {
      name: `${which}: a key before any section`,
      setup: with_(`region = eu-west-1\n${valid}`),
      words: malformed(1, 'text before the first [section] header'),
    },
    {
      name: `${which}: a line that is no key (a pasted secret)`,
      setup: with_(`${valid}${SECRET}\n`),
      words: malformed(4, 'not a [section] header'),
    },
    {
      name: `${which}: a NUL byte`,
      setup: with_(`${valid}output = json\0\n`),
      words: malformed(4, 'NUL byte'),
    },
    {
      name: `${which}: bytes that are not UTF-8`,
      setup: with_(Buffer.concat([Buffer.from(valid), Buffer.from([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a])])),
      words: ['malformed', path, 'not UTF-8'],
    },
    {
      name: `${which}: the path is a directory`,
      setup: directoryAt(which === 'credentials' ? 'credentialsPath' : 'configPath'),
      words: ['cannot read', path, 'directory'],
    },
    {
      name: `${which}: larger than 4 MiB`,
      setup: with_(oversized),
      words: ['cannot read', path, 'larger than 4 MiB'],
    },
  ].map((partial) => ({ ...partial, command, exit: 2 }));
}

const usageCases: Case[] = [
  { name: 'unknown command', args: ['frobnicate', '-p', 'dev'], exit: 2, words: ['bad usage', "unknown command 'frobnicate'"] },
  {
    name: 'unknown command close to a known one',
    args: ['logon', '-p', 'dev'],
    exit: 2,
    words: ['bad usage', "unknown command 'logon'", 'did you mean login?'],
  },
  { name: 'unknown flag', args: argv('login', '--colour'), exit: 2, words: ['bad usage', "unknown option '--colour'"] },
  {
    name: 'unknown flag close to a known one',
    args: argv('env', '--forse'),
    exit: 2,
    words: ["unknown option '--forse'", 'did you mean --force?'],
  },
  { name: 'an operand login does not take', args: argv('login', 'extra'), exit: 2, words: ['bad usage', 'too many arguments'] },
  { name: 'missing flag value', args: ['login', '-p', 'dev', '--duration'], exit: 2, words: ['bad usage', '--duration', 'missing'] },
  { name: 'missing profile value', args: ['env', '-p'], exit: 2, words: ['bad usage', '--profile', 'missing'] },
  { name: 'exec without a command', args: ['exec', '-p', 'dev', '--code', CODE], exit: 2, words: ['bad usage', 'command'] },
  { name: 'exec with nothing after --', args: ['exec', '-p', 'dev', '--code', CODE, '--'], exit: 2, words: ['bad usage', 'command'] },
  { name: '--duration 899', args: argv('login', '--duration', '899'), exit: 2, words: ['bad --duration', "'899'", '15m..36h'] },
  { name: '--duration 36h1s', args: argv('env', '--duration', '36h1s'), exit: 2, words: ['bad --duration', "'36h1s'", '15m..36h'] },
  { name: '--duration soon', args: argv('exec', '--duration', 'soon'), exit: 2, words: ['bad --duration', "'soon' is not a duration"] },
  {
    name: '--duration 899 for an unknown profile: the flag is reported',
    args: ['login', '-p', 'nosuch', '--code', CODE, '--duration', '899'],
    exit: 2,
    words: ['bad --duration', "'899'"],
  },
  {
    name: 'aws_mfa_duration = bad in the config',
    command: 'credential-process',
    setup: files(CREDENTIALS, `${CONFIG}aws_mfa_duration = bad\n`),
    exit: 2,
    words: ['bad aws_mfa_duration in', '/.aws/config', "'bad' is not a duration"],
  },
  { name: '--code 12345', args: argv('login', '--code', '12345'), exit: 2, words: ['bad MFA code from --code', '6 digits'] },
  { name: '--code abcdef', args: argv('credential-process', '--code', 'abcdef'), exit: 2, words: ['bad MFA code from --code', '6 digits'] },
  { name: '--code 1234567', args: argv('env', '--code', '1234567'), exit: 2, words: ['bad MFA code from --code', '6 digits'] },
  {
    name: '--mfa-serial short',
    args: argv('login', '--mfa-serial', 'short'),
    exit: 2,
    words: ['bad MFA serial in --mfa-serial', '"short"'],
  },
  {
    name: '--mfa-serial with spaces',
    args: argv('credential-process', '--mfa-serial', 'arn:aws:iam::123456789012:mfa/al ice'),
    exit: 2,
    words: ['bad MFA serial in --mfa-serial', 'mfa/al ice'],
  },
  {
    name: '--mfa-serial of 257 characters',
    args: argv('env', '--mfa-serial', `arn:aws:iam::123456789012:mfa/${'a'.repeat(257 - 30)}`),
    exit: 2,
    words: ['bad MFA serial in --mfa-serial', 'not an MFA device ARN or hardware serial'],
  },
  {
    name: 'a bad mfa_serial in the config',
    command: 'login',
    setup: files(CREDENTIALS, '[profile dev]\nmfa_serial = arn:aws:iam::123456789012:mfa/{alice}\n'),
    exit: 2,
    words: ['bad MFA serial in', '/.aws/config', 'mfa/{alice}'],
  },
  {
    name: 'a bad aws_mfa_device in [NAME-long-term]',
    command: 'env',
    setup: files(`${CREDENTIALS}aws_mfa_device = nope\n`, '[profile dev]\n'),
    exit: 2,
    words: ['bad MFA serial in', '/.aws/credentials', '"nope"'],
  },
  {
    name: 'aws_mfa_refresh_margin = 5m (below 10 min)',
    command: 'credential-process',
    setup: files(CREDENTIALS, `${CONFIG}aws_mfa_refresh_margin = 5m\n`),
    exit: 2,
    words: ['bad aws_mfa_refresh_margin in', "'5m' is outside 10m..2h"],
  },
  { name: '--shell zsh', args: argv('env', '--shell', 'zsh'), exit: 2, words: ['bad --shell', "'zsh'", 'sh, fish, powershell'] },
  { name: 'profile a]b', args: ['login', '-p', 'a]b', '--code', CODE], exit: 2, words: ['bad profile name', '"a]b"'] },
  { name: 'profile [x', args: ['credential-process', '-p', '[x', '--code', CODE], exit: 2, words: ['bad profile name', '"[x"'] },
  {
    name: 'AWS_PROFILE with a newline',
    args: ['env', '--code', CODE],
    env: { AWS_PROFILE: 'a\nb' },
    exit: 2,
    words: ['bad profile name', '"a\\nb"'],
  },
  { name: "profile ' lead'", args: ['login', '-p', ' lead', '--code', CODE], exit: 2, words: ['bad profile name', '" lead"'] },
  { name: "profile 'trail '", args: ['env', '--profile', 'trail ', '--code', CODE], exit: 2, words: ['bad profile name', '"trail "'] },
  { name: "empty -p ''", args: ['login', '-p', '', '--code', CODE], exit: 2, words: ['bad profile name', '""'] },
  // A profile named nowhere is most often a typo: exit 2, also when the keychain cannot be searched.
  {
    name: 'unknown profile, no files at all, no keychain',
    args: ['login', '-p', 'nosuch', '--code', CODE],
    setup: () => {},
    exit: 2,
    words: [
      "unknown profile 'nosuch'",
      /not in \S+\/\.aws\/credentials or \S+\/\.aws\/config, and the keychain could not be searched \(no D-Bus session/,
      '`aws-mfa add nosuch`',
      '[nosuch-long-term]',
    ],
  },
  {
    name: 'unknown profile, no files at all, an empty keychain',
    args: ['login', '-p', 'nosuch', '--code', CODE],
    setup: () => {},
    keychain: 'reachable',
    exit: 2,
    words: [
      "unknown profile 'nosuch'",
      /not in \S+\/\.aws\/credentials or \S+\/\.aws\/config, nor in the keychain \(/,
      '[nosuch-long-term]',
    ],
  },
  {
    name: 'unknown profile, other profiles exist, no keychain',
    args: ['credential-process', '-p', 'nosuch', '--code', CODE],
    exit: 2,
    words: ["unknown profile 'nosuch'", '/.aws/credentials', '/.aws/config', 'the keychain could not be searched', '[nosuch-long-term]'],
  },
  {
    name: 'unknown profile, other profiles exist, an empty keychain',
    args: ['credential-process', '-p', 'nosuch', '--code', CODE],
    keychain: 'reachable',
    exit: 2,
    words: ["unknown profile 'nosuch'", '/.aws/credentials', '/.aws/config', 'nor in the keychain', '[nosuch-long-term]'],
  },
  {
    name: 'unknown default profile (no -p, no AWS_PROFILE), no keychain',
    args: ['env', '--code', CODE],
    exit: 2,
    words: ["unknown profile 'default'", 'the keychain could not be searched', '`aws-mfa add default`', '[default-long-term]'],
  },
  {
    name: 'unknown default profile (no -p, no AWS_PROFILE), an empty keychain',
    args: ['env', '--code', CODE],
    keychain: 'reachable',
    exit: 2,
    words: ["unknown profile 'default'", 'nor in the keychain', '`aws-mfa add default`', '[default-long-term]'],
  },
  {
    name: '[x-long-term] with only the key id',
    args: ['login', '-p', 'x', '--code', CODE, '--mfa-serial', SERIAL],
    setup: files(`[x-long-term]\naws_access_key_id = ${KEY_ID}\n`, undefined),
    exit: 2,
    words: ['malformed', '/.aws/credentials', '[x-long-term] needs both aws_access_key_id and aws_secret_access_key'],
  },
  {
    name: '[x-long-term] with only the secret',
    args: ['env', '-p', 'x', '--code', CODE, '--mfa-serial', SERIAL],
    setup: files(`[x-long-term]\naws_secret_access_key = ${SECRET}\n`, undefined),
    exit: 2,
    words: ['malformed', '[x-long-term] needs both'],
  },
  ...malformedFileCases('credentials', 'login'),
  ...malformedFileCases('config', 'credential-process'),
  {
    name: 'login when [NAME] holds long-term keys',
    command: 'login',
    setup: files(`# my keys\n[dev]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`, CONFIG),
    exit: 2,
    words: ['will not overwrite [dev]', '/.aws/credentials', 'long-term keys', '[dev-long-term]'],
  },
  {
    name: 'login for a profile with credential_process',
    command: 'login',
    setup: files(CREDENTIALS, `${CONFIG}credential_process = aws-mfa credential-process --profile dev\n`),
    exit: 2,
    words: ['will not log in profile dev', 'credential_process', 'aws-mfa credential-process'],
  },
  // No serial anywhere: iam:ListMFADevices is asked (under the profile's lock) and finds no device.
  {
    name: 'no MFA serial configured, IAM finds no device',
    command: 'login',
    setup: files(CREDENTIALS, '[profile dev]\nregion = eu-west-1\n'),
    fakeIam: true,
    takesLock: true,
    exit: 2,
    words: ['no MFA device for profile dev', 'the user has none', 'mfa_serial', '--mfa-serial'],
  },
  {
    name: 'no MFA serial configured, IAM finds no device (credential-process)',
    command: 'credential-process',
    setup: files(CREDENTIALS, undefined),
    fakeIam: true,
    takesLock: true,
    exit: 2,
    words: ['no MFA device for profile dev', 'the user has none'],
  },
  // Named in the files, no keys there: they may be in the keychain, so when it cannot be reached
  // its own error is the answer (exit 1); when it can, and holds none, the profile lacks keys (exit 2).
  {
    name: 'no long-term keys, only a config profile, no keychain',
    command: 'exec',
    setup: files(undefined, CONFIG),
    exit: 1,
    words: ['no long-term keys for profile dev: no [dev-long-term] in', 'and no D-Bus session', 'dbus-run-session'],
  },
  {
    name: 'no long-term keys, only a config profile, an empty keychain',
    command: 'exec',
    setup: files(undefined, CONFIG),
    keychain: 'reachable',
    exit: 2,
    words: ['no long-term keys for profile dev', 'no keychain item and no [dev-long-term] in', '/.aws/credentials', '`aws-mfa add dev`'],
  },
  {
    name: 'no long-term keys, only a session in [NAME], no keychain',
    command: 'env',
    setup: files(`[dev]\naws_access_key_id = ASIAOLDSESSION000001\naws_secret_access_key = s\naws_session_token = t\n`, CONFIG),
    exit: 1,
    words: ['no long-term keys for profile dev: no [dev-long-term] in', 'and no D-Bus session'],
  },
  {
    name: 'no long-term keys, only a session in [NAME], an empty keychain',
    command: 'env',
    setup: files(`[dev]\naws_access_key_id = ASIAOLDSESSION000001\naws_secret_access_key = s\naws_session_token = t\n`, CONFIG),
    keychain: 'reachable',
    exit: 2,
    words: ['no long-term keys for profile dev', 'no keychain item and no [dev-long-term]'],
  },
];

let unreachableSts: string;
let iamWithNoDevice: FakeIam;
/** A private Secret Service with no item: cases pass its env to reach it. */
const keyring = useKeyring();

beforeAll(async () => {
  unreachableSts = `http://127.0.0.1:${await closedPort()}`;
  iamWithNoDevice = await FakeIam.start();
});
afterAll(() => iamWithNoDevice.close());

/** The environment a case adds: its own, and the keychain or the fake IAM it asks for. */
function caseEnv(testCase: Pick<Case, 'env' | 'keychain' | 'fakeIam'>): EnvOverrides {
  return {
    ...(testCase.keychain === 'reachable' ? keyring().env : {}),
    ...(testCase.fakeIam ? { AWS_ENDPOINT_URL_IAM: iamWithNoDevice.url } : {}),
    ...testCase.env,
  };
}

/** A throwaway HOME whose STS endpoint is a closed port: a case that reached STS would exit 1. */
async function withSandbox<T>(use: (box: Sandbox) => Promise<T>): Promise<T> {
  const box = new Sandbox({ endpointUrl: unreachableSts, region: 'eu-west-1' });
  try {
    return await use(box);
  } finally {
    box.remove();
  }
}

describe.concurrent('bad usage and bad input: exit 2, one line, nothing written', () => {
  it.for(usageCases)('$name', async (testCase, { expect }) => {
    await withSandbox(async (box) => {
      (testCase.setup ?? files(CREDENTIALS, CONFIG))(box);
      const before = box.snapshot();

      const result = await box.runCli(testCase.args ?? argv(testCase.command ?? 'login'), { env: caseEnv(testCase) });

      const line = expectRefusal(expect, result, testCase);
      expectNoSecrets(expect, line, [SECRET, CODE]);
      if (testCase.takesLock) {
        expectOnlyLockFoldersAdded(expect, before, box.snapshot());
        expect(existsSync(join(box.cacheHome, 'aws-mfa', 'sessions'))).toBe(false);
      } else {
        expect(box.snapshot()).toEqual(before);
      }
    });
  });
});

describe('bare invocation', () => {
  it('with no command: usage on stderr, exit 2, nothing on stdout', async () => {
    await withSandbox(async (box) => {
      const before = box.snapshot();
      const result = await box.runCli([]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('Usage: aws-mfa');
      expect(box.snapshot()).toEqual(before);
    });
  });
});

describe.concurrent('the operation fails before STS', () => {
  const commands: Command[] = ['login', 'credential-process', 'env', 'exec'];

  it.for(commands)('%s with no --code and no terminal: exit 1, says to pass --code', async (command, { expect }) => {
    await withSandbox(async (box) => {
      files(CREDENTIALS, CONFIG)(box);
      const before = box.snapshot();
      const args = argv(command).filter((arg) => arg !== '--code' && arg !== CODE);

      const result = await box.runCli(args);

      expectRefusal(expect, result, { exit: 1, words: ['cannot ask for the MFA code', 'no terminal', '--code'] });
      expectOnlyLockFoldersAdded(expect, before, box.snapshot());
    });
  });

  it('Ctrl-C at the prompt: exit 130, one line, nothing written', async ({ expect }) => {
    await withSandbox(async (box) => {
      files(CREDENTIALS, CONFIG)(box);
      const before = box.snapshot();

      const result = await box.runInPty(['aws-mfa', 'login', '-p', 'dev'], async (terminal) => {
        await terminal.waitForText('MFA code for dev');
        await terminal.press('C-c');
      });

      expect(result.code, result.transcript).toBe(130);
      expect(result.stdout).toBe('');
      const lines = result.transcript.split('\n').filter((line) => line.startsWith('aws-mfa'));
      expect(lines).toEqual(['aws-mfa: MFA code prompt: interrupted']);
      expect(result.transcript).not.toMatch(/^\s+at\s/m);
      expectOnlyLockFoldersAdded(expect, before, box.snapshot());
    });
  });
});

const runningAsRoot = process.getuid?.() === 0;
/** Permission bits mean nothing on Windows, nor to root without setpriv to drop its powers. */
const permissionsUntestable = process.platform === 'win32' || (runningAsRoot && spawnSync('setpriv', ['--version']).status !== 0);

/**
 * Runs bin/aws-mfa so that file permissions apply. Tests run as root here, and root ignores
 * permission bits: setpriv drops the capabilities that let it (util-linux, in every Debian).
 */
function runCliWithPermissions(box: Sandbox, args: readonly string[], env: EnvOverrides = {}) {
  const [command, prefix] = runningAsRoot
    ? ['setpriv', ['--bounding-set=-dac_override,-dac_read_search,-fowner', '--', 'aws-mfa']]
    : ['aws-mfa', []];
  return runProcess(command, [...prefix, ...args], { env: box.env(env), cwd: box.home });
}

describe.concurrent('a file that cannot be read', () => {
  it('AWS_SHARED_CREDENTIALS_FILE below a regular file: exit 2', async ({ expect }) => {
    await withSandbox(async (box) => {
      files(CREDENTIALS, CONFIG)(box);
      const before = box.snapshot();

      const result = await box.runCli(argv('login'), { env: { AWS_SHARED_CREDENTIALS_FILE: join(box.configPath, 'credentials') } });

      expectRefusal(expect, result, { exit: 2, words: ['cannot read', '/.aws/config/credentials', 'not a folder'] });
      expect(box.snapshot()).toEqual(before);
    });
  });

  it.skipIf(permissionsUntestable)('a config file without read permission: exit 1, permission denied', async ({ expect }) => {
    await withSandbox(async (box) => {
      files(CREDENTIALS, CONFIG)(box);
      chmodSync(box.configPath, 0o000);
      const before = box.snapshot();

      const result = await runCliWithPermissions(box, argv('credential-process'));

      expectRefusal(expect, result, { exit: 1, words: ['cannot read', '/.aws/config', 'permission denied'] });
      expect(box.snapshot()).toEqual(before);
    });
  });
});

describe('the credentials file cannot be written', () => {
  let sts: FakeSts;
  beforeAll(async () => {
    sts = await FakeSts.start();
  });
  afterAll(() => sts.close());

  it.skipIf(permissionsUntestable)(
    'a read-only ~/.aws: exit 1 with the reason, the file unchanged, the session kept in the cache',
    async () => {
      await withSandbox(async (box) => {
        files(CREDENTIALS, CONFIG)(box);
        const awsFolder = join(box.home, '.aws');
        const before = fileBytes(box.credentialsPath);
        chmodSync(awsFolder, 0o500);
        try {
          const result = await runCliWithPermissions(box, argv('login'), { AWS_ENDPOINT_URL: sts.url });

          const line = expectRefusal(expect, result, { exit: 1, words: ['/.aws: permission denied', 'writing', '/.aws/credentials'] });
          expectNoSecrets(expect, line, [SECRET, CODE, SESSION.secretAccessKey, SESSION.sessionToken]);
          expect(fileBytes(box.credentialsPath)).toEqual(before);
          // STS accepted the code, which cannot be used again: the session stays cached for the next login.
          const second = await box.runCli(['credential-process', '-p', 'dev'], { env: { AWS_ENDPOINT_URL: sts.url } });
          expect(second.code, second.stderr).toBe(0);
          expect(JSON.parse(second.stdout)).toMatchObject({ AccessKeyId: SESSION.accessKeyId });
          expect(sts.requests).toHaveLength(1);
        } finally {
          chmodSync(awsFolder, 0o700);
        }
      });
    },
  );
});

describe('a dangling symlink as the credentials file', () => {
  // An empty keychain: with none reachable, its error would be the answer (the keys may be there).
  it('reads as a missing file: no long-term keys, exit 2, the link untouched', async () => {
    await withSandbox(async (box) => {
      box.writeConfig(CONFIG);
      mkdirSync(join(box.home, 'dotfiles'));
      symlinkSync('../dotfiles/aws-credentials', box.credentialsPath);
      const before = box.snapshot();

      const result = await box.runCli(['login', '-p', 'dev', '--code', CODE], { env: keyring().env });

      expectRefusal(expect, result, {
        exit: 2,
        words: ['no long-term keys for profile dev', 'no keychain item and no [dev-long-term] in', '/.aws/credentials'],
      });
      expect(box.snapshot()).toEqual(before);
      expect(readlinkSync(box.credentialsPath)).toBe('../dotfiles/aws-credentials');
    });
  });

  it('login with a session from elsewhere writes through the link: the target is created 0600, the link kept', async () => {
    await withSandbox(async (box) => {
      box.writeConfig(CONFIG);
      mkdirSync(join(box.home, 'dotfiles'));
      symlinkSync('../dotfiles/aws-credentials', box.credentialsPath);
      // A cached session whose keys live in the keychain: login needs no long-term keys in the file.
      writeKeychainSession(box, 'dev');

      const result = await box.runCli(['login', '-p', 'dev']);

      expect(result.code, result.stderr).toBe(0);
      expect(readlinkSync(box.credentialsPath)).toBe('../dotfiles/aws-credentials');
      const target = join(box.home, 'dotfiles', 'aws-credentials');
      expect(fileMode(target)).toBe(0o600);
      expect(readFileSync(target, 'utf8')).toContain(`[dev]\naws_access_key_id = ${SESSION.accessKeyId}\n`);
    });
  });
});

describe('a dangling symlink whose target folder does not exist', () => {
  it('login refuses to create that folder: exit 1, nothing written', async () => {
    await withSandbox(async (box) => {
      box.writeConfig(CONFIG);
      symlinkSync('../unmounted/aws-credentials', box.credentialsPath);
      writeKeychainSession(box, 'dev');
      const before = box.snapshot();

      const result = await box.runCli(['login', '-p', 'dev']);

      expectRefusal(expect, result, {
        exit: 1,
        words: ['cannot write', '/.aws/credentials', 'symbolic link', '/unmounted/aws-credentials', 'does not exist'],
      });
      expect(box.snapshot()).toEqual(before);
    });
  });
});

/**
 * Stores a session in the cache as if its long-term keys came from the keychain, in the cache's
 * file format (`$XDG_CACHE_HOME/aws-mfa/sessions/<profileFileStem(profile)>.json`, version 1).
 */
function writeKeychainSession(box: Sandbox, profile: string): void {
  const stem = profileFileStem(profile);
  const contents = {
    version: 1,
    origin: { profile, mfaSerial: SERIAL, keySource: 'keychain', longTermKeyId: KEY_ID },
    session: {
      Version: 1,
      AccessKeyId: SESSION.accessKeyId,
      SecretAccessKey: SESSION.secretAccessKey,
      SessionToken: SESSION.sessionToken,
      Expiration: SESSION.expiration,
    },
  };
  // Private, as aws-mfa makes them: it would otherwise make them so, a change the snapshots would show.
  const sessions = join(box.cacheHome, 'aws-mfa', 'sessions');
  mkdirSync(sessions, { recursive: true, mode: 0o700 });
  box.writeFile(join(sessions, `${stem}.json`), `${JSON.stringify(contents)}\n`);
}
