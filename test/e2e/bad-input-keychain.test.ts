/**
 * Bad input to the keychain commands (add, remove, code, configure, clear), malformed keychain
 * items and a failing mfa_process, end to end against a private Secret Service
 * (test/e2e/harness/keyring.ts): bin/aws-mfa must exit 2 (1 where the operation itself fails),
 * print exactly one `aws-mfa: …` line on stderr that repeats no secret, nothing on stdout, leave
 * HOME as it was and the keychain items as they were.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../aws/fake-aws.js';
import { useKeyring } from './harness/keyring.js';
import { expectNoSecrets, expectOnlyLockFoldersAdded, expectRefusal, type Refusal } from './harness/refusals.js';
import { type EnvOverrides, Sandbox } from './harness/sandbox.js';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_KEY_ID = 'ASIAIOSFODNN7EXAMPLE';
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
/** keytar finds only items of libsecret's generic schema: what another client must store for aws-mfa to read it. */
const GENERIC_SCHEMA = { 'xdg:schema': 'org.freedesktop.Secret.Generic' };

/** The keys of `add NAME --env`, valid unless a case overrides one. */
const ENV_KEYS = { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET };

function longTerm(section: string, keyId = KEY_ID): string {
  return `[${section}]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${SECRET}\n`;
}

function item(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: 1, accessKeyId: KEY_ID, secretAccessKey: SECRET, ...fields });
}

interface Case extends Refusal {
  name: string;
  args: readonly string[];
  env?: EnvOverrides;
  /** Written to stdin (default: /dev/null). */
  stdin?: string;
  credentials?: string;
  config?: string;
  /** Keychain items (service aws-mfa, account → secret) stored before the run: each must be unchanged after it. */
  items?: Record<string, string>;
  /** More accounts that must be as they were after the run (absent ones still absent): what add would store. */
  accounts?: readonly string[];
  /** Text the line must not repeat, besides SECRET: a seed, a garbage item, the output of mfa_process. */
  secrets?: readonly string[];
  /** The run gets as far as the profile's lock: its empty folders may stay, no session is cached. */
  takesLock?: true;
}

/** `add NAME --env` (plus extra) with the case's environment on top of valid keys. */
function addEnv(name: string, env: EnvOverrides, ...extra: string[]): Pick<Case, 'args' | 'env' | 'accounts'> {
  return { args: ['add', name, '--env', ...extra], env: { ...ENV_KEYS, ...env }, accounts: [name] };
}

const addCases: Case[] = [
  {
    name: 'add --env without AWS_ACCESS_KEY_ID',
    ...addEnv('add-no-key-id', { AWS_ACCESS_KEY_ID: undefined }),
    exit: 2,
    words: ['bad access key id from AWS_ACCESS_KEY_ID', 'empty or not set'],
  },
  {
    name: 'add --env without AWS_SECRET_ACCESS_KEY',
    ...addEnv('add-no-secret', { AWS_SECRET_ACCESS_KEY: undefined }),
    exit: 2,
    words: ['bad secret access key from AWS_SECRET_ACCESS_KEY', 'empty or not set'],
  },
  {
    name: 'add --env with a temporary ASIA key id',
    ...addEnv('add-asia', { AWS_ACCESS_KEY_ID: SESSION_KEY_ID, AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLE' }),
    exit: 2,
    words: ['bad access key id from AWS_ACCESS_KEY_ID', 'temporary session credentials', 'long-term key (AKIA…)'],
    secrets: [SESSION_KEY_ID, 'IQoJb3JpZ2luX2VjEXAMPLE'],
  },
  {
    name: 'add --env with a user id, not a key id',
    ...addEnv('add-aida', { AWS_ACCESS_KEY_ID: 'AIDAIOSFODNN7EXAMPLE' }),
    exit: 2,
    words: ['bad access key id from AWS_ACCESS_KEY_ID', 'AKIA followed by letters and digits'],
    secrets: ['AIDAIOSFODNN7EXAMPLE'],
  },
  {
    name: 'add --env with a lower-case key id',
    ...addEnv('add-lower', { AWS_ACCESS_KEY_ID: KEY_ID.toLowerCase() }),
    exit: 2,
    words: ['bad access key id from AWS_ACCESS_KEY_ID'],
    secrets: [KEY_ID.toLowerCase()],
  },
  {
    name: 'add --env with a secret that has a space',
    ...addEnv('add-space-secret', { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI K7MDENGbPxRfiCYEXAMPLEKEY' }),
    exit: 2,
    words: ['bad secret access key from AWS_SECRET_ACCESS_KEY', '16 to 128 letters, digits, /, + or ='],
    secrets: ['wJalrXUtnFEMI', 'K7MDENGbPxRfiCYEXAMPLEKEY'],
  },
  {
    name: 'add --env with a secret too short',
    ...addEnv('add-short-secret', { AWS_SECRET_ACCESS_KEY: 'tooShort123' }),
    exit: 2,
    words: ['bad secret access key from AWS_SECRET_ACCESS_KEY', '16 to 128'],
    secrets: ['tooShort123'],
  },
  {
    name: 'add --env --import together',
    ...addEnv('add-both', {}, '--import'),
    credentials: longTerm('add-both-long-term'),
    exit: 2,
    words: ['bad usage', '--env and --import both say where the keys come from'],
  },
  {
    name: 'add --import with no credentials file',
    args: ['add', 'add-import-nofile', '--import'],
    accounts: ['add-import-nofile'],
    exit: 2,
    words: [
      'nothing to import for add-import-nofile',
      'no keys in [add-import-nofile-long-term] or [add-import-nofile] of',
      '/.aws/credentials',
    ],
  },
  {
    name: 'add --import when only other profiles have keys',
    args: ['add', 'add-import-none', '--import'],
    credentials: longTerm('dev-long-term'),
    accounts: ['add-import-none'],
    exit: 2,
    words: ['nothing to import for add-import-none', '[add-import-none-long-term]'],
  },
  {
    name: 'add --import when [NAME] holds a session, not long-term keys',
    args: ['add', 'add-import-session', '--import'],
    credentials: `[add-import-session]\naws_access_key_id = ${SESSION_KEY_ID}\naws_secret_access_key = ${SECRET}\naws_session_token = t\n`,
    accounts: ['add-import-session'],
    exit: 2,
    words: ['nothing to import for add-import-session'],
  },
  {
    name: 'add --import of an ASIA key in [NAME-long-term]: the file is kept',
    args: ['add', 'add-import-asia', '--import'],
    credentials: longTerm('add-import-asia-long-term', SESSION_KEY_ID),
    accounts: ['add-import-asia'],
    exit: 2,
    words: ['bad access key id from [add-import-asia-long-term] of', '/.aws/credentials', 'temporary session credentials'],
    secrets: [SESSION_KEY_ID],
  },
  {
    name: 'add with no terminal, no --env, no --import',
    args: ['add', 'add-no-tty'],
    accounts: ['add-no-tty'],
    exit: 1,
    words: [
      'cannot ask for the access key id',
      'no terminal to prompt on',
      '--env with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      '--import',
    ],
  },
  {
    name: 'add with no terminal, keys in [NAME-long-term]: not moved without --import',
    args: ['add', 'add-no-tty-file'],
    credentials: longTerm('add-no-tty-file-long-term'),
    accounts: ['add-no-tty-file'],
    exit: 1,
    words: ['cannot ask for the access key id', 'no terminal', '--import'],
  },
  {
    name: 'add --totp with a seed that is not base32 (1, 8)',
    ...addEnv('add-seed-digits', {}, '--totp'),
    stdin: 'JBSWY3DPEHPK3PX1JBSWY3DPEHPK3PX8\n',
    exit: 2,
    words: ['bad TOTP seed', 'only the letters A-Z and the digits 2-7', 'copy the seed again'],
    secrets: ['JBSWY3DPEHPK3PX1JBSWY3DPEHPK3PX8', 'JBSWY3DPEHPK3PX'],
  },
  {
    name: 'add --totp with a seed that has punctuation',
    ...addEnv('add-seed-punctuation', {}, '--totp'),
    stdin: 'JBSWY3DP!EHPK3PXP\n',
    exit: 2,
    words: ['bad TOTP seed', 'only the letters A-Z'],
    secrets: ['JBSWY3DP', 'EHPK3PXP'],
  },
  {
    name: 'add --totp with a seed shorter than 80 bits',
    ...addEnv('add-seed-short', {}, '--totp'),
    stdin: 'jbsw y3dp\n',
    exit: 2,
    words: ['bad TOTP seed', 'shorter than 16 characters'],
    secrets: ['jbsw', 'y3dp', 'JBSWY3DP'],
  },
  {
    name: 'add --totp with an empty stdin',
    ...addEnv('add-seed-empty', {}, '--totp'),
    stdin: '',
    exit: 2,
    words: ['bad TOTP seed', 'it is empty'],
  },
  {
    name: 'add --totp with the seed on the second line only',
    ...addEnv('add-seed-second-line', {}, '--totp'),
    stdin: `\n${SEED}\n`,
    exit: 2,
    words: ['bad TOTP seed', 'it is empty'],
    secrets: [SEED],
  },
  {
    name: 'add --mfa-serial that is not a serial',
    ...addEnv('add-bad-serial', {}, '--mfa-serial', 'arn:aws:iam::123456789012:mfa/al ice'),
    exit: 2,
    words: ['bad MFA serial in --mfa-serial', 'not an MFA device ARN or hardware serial'],
  },
  {
    name: 'add --mfa-serial too short, before the keys are looked at',
    args: ['add', 'add-short-serial', '--mfa-serial', 'GAHT1'],
    accounts: ['add-short-serial'],
    exit: 2,
    words: ['bad MFA serial in --mfa-serial', '"GAHT1"'],
  },
];

const profileNameCases: Case[] = [
  { name: 'add a]b', ...addEnv('a]b', {}), exit: 2, words: ['bad profile name', '"a]b"'] },
  // Accounts that start with `[` are kept for other kinds of items (profile-keychain.ts).
  { name: 'add [x', ...addEnv('[x', {}), exit: 2, words: ['bad profile name', '"[x"'] },
  { name: 'add with a newline in the name', ...addEnv('a\nb', {}), exit: 2, words: ['bad profile name', '"a\\nb"'] },
  { name: 'remove a]b', args: ['remove', 'a]b', '--force'], accounts: ['a]b'], exit: 2, words: ['bad profile name', '"a]b"'] },
  { name: 'code a]b', args: ['code', 'a]b'], exit: 2, words: ['bad profile name', '"a]b"'] },
  { name: 'configure a]b', args: ['configure', 'a]b'], config: '[profile dev]\n', exit: 2, words: ['bad profile name', '"a]b"'] },
  { name: "configure ' lead'", args: ['configure', ' lead'], exit: 2, words: ['bad profile name', '" lead"'] },
  { name: 'clear a]b', args: ['clear', 'a]b'], exit: 2, words: ['bad profile name', '"a]b"'] },
];

const keychainCommandCases: Case[] = [
  {
    name: 'remove --force of a profile with no item',
    args: ['remove', 'rm-none', '--force'],
    credentials: longTerm('rm-none-long-term'),
    accounts: ['rm-none'],
    exit: 2,
    words: ['cannot remove rm-none', 'the keychain holds no item for it', 'aws-mfa list'],
  },
  {
    name: 'remove of a profile with no item, before asking',
    args: ['remove', 'rm-none-ask'],
    accounts: ['rm-none-ask'],
    exit: 2,
    words: ['cannot remove rm-none-ask', 'the keychain holds no item for it'],
  },
  {
    name: 'remove with no terminal and no --force: the item is kept',
    args: ['remove', 'rm-kept'],
    items: { 'rm-kept': item({ totpSeed: SEED }) },
    exit: 1,
    words: ['cannot ask for confirmation', 'no terminal to prompt on', '--force'],
    secrets: [SEED],
  },
  {
    name: 'code for a profile whose item has no seed',
    args: ['code', 'code-keys-only'],
    items: { 'code-keys-only': item({ mfaSerial: SERIAL }) },
    exit: 2,
    words: ['no TOTP seed for code-keys-only', 'its keychain item holds keys only', '`aws-mfa add code-keys-only --totp`'],
  },
  {
    name: 'code for a profile with no item',
    args: ['code', 'code-none'],
    accounts: ['code-none'],
    exit: 2,
    words: ['no TOTP seed for code-none', 'the keychain holds no item for it', '`aws-mfa add code-none --totp`'],
  },
  {
    name: 'code for a profile whose keys are in the file only',
    args: ['code', 'code-file'],
    credentials: longTerm('code-file-long-term'),
    config: `[profile code-file]\nmfa_serial = ${SERIAL}\n`,
    accounts: ['code-file'],
    exit: 2,
    words: ['no TOTP seed for code-file', 'the keychain holds no item for it'],
  },
  {
    name: 'configure while [NAME] holds long-term keys: the config is kept',
    args: ['configure', 'cfg-keys'],
    credentials: longTerm('cfg-keys'),
    config: '# mine\n[profile cfg-keys]\nregion = eu-west-1\n',
    exit: 2,
    words: [
      'will not configure cfg-keys',
      '[cfg-keys] in',
      '/.aws/credentials holds keys, which AWS tools would use instead of credential_process',
      '`aws-mfa add cfg-keys --import`',
    ],
  },
  {
    name: 'configure while [NAME] holds a session from login',
    args: ['configure', 'cfg-session'],
    credentials: `[cfg-session]\naws_access_key_id = ${SESSION_KEY_ID}\naws_secret_access_key = ${SECRET}\naws_session_token = t\n`,
    exit: 2,
    words: ['will not configure cfg-session', 'holds keys', 'delete [cfg-session] in', 'a session written by `aws-mfa login`'],
  },
  {
    name: 'configure of the default profile while [default] holds keys',
    args: ['configure', 'default'],
    credentials: longTerm('default'),
    config: '[default]\nregion = eu-west-1\n',
    exit: 2,
    words: ['will not configure default', '[default] in', '`aws-mfa add default --import`'],
  },
];

const GARBAGE = `{"version":1,"accessKeyId":"${KEY_ID}","secretAccessKey":"${SECRET}"`;
const malformed = (what: string, profile: string, secret: string, args: readonly string[], extra: Partial<Case> = {}): Case => ({
  name: `${what}: ${args[0]}`,
  args,
  items: { [profile]: secret },
  exit: 2,
  words: [`keychain item for ${profile}`, "not in aws-mfa's format", `\`aws-mfa remove ${profile}\``, `\`aws-mfa add ${profile}\` again`],
  secrets: [secret],
  ...extra,
});

const malformedItemCases: Case[] = [
  malformed('an item cut short', 'bad-cut', GARBAGE, ['login', '-p', 'bad-cut', '--code', '123456']),
  malformed(
    'an item cut short, the profile also in the config',
    'bad-cut-config',
    GARBAGE,
    ['credential-process', '-p', 'bad-cut-config'],
    {
      config: `[profile bad-cut-config]\nmfa_serial = ${SERIAL}\n`,
    },
  ),
  malformed('an item of plain text', 'bad-text', 'hunter2-not-json', ['env', '-p', 'bad-text', '--code', '123456']),
  malformed('an item of a later format', 'bad-version', item({ version: 2 }), [
    'exec',
    '-p',
    'bad-version',
    '--code',
    '123456',
    '--',
    'true',
  ]),
  malformed('an item with no secret key', 'bad-no-secret', JSON.stringify({ version: 1, accessKeyId: KEY_ID }), ['code', 'bad-no-secret']),
  malformed('an item with a seed that is not base32', 'bad-seed', item({ totpSeed: 'NOT-A-SEED-0189' }), ['code', 'bad-seed'], {
    secrets: ['NOT-A-SEED-0189'],
  }),
  malformed(
    'an item with a seed that is not base32',
    'bad-seed-login',
    item({ totpSeed: 'not a seed 0189' }),
    ['login', '-p', 'bad-seed-login'],
    {
      config: `[profile bad-seed-login]\nmfa_serial = ${SERIAL}\n`,
      secrets: ['not a seed 0189'],
    },
  ),
  malformed('an item with a serial that is not one', 'bad-serial', item({ mfaSerial: 'arn:aws:iam::1:mfa/{x}' }), [
    'login',
    '-p',
    'bad-serial',
    '--code',
    '123456',
  ]),
];

/** mfa_process of profile NAME, keys in [NAME-long-term]; no --code, so the command is asked. */
function mfaProcess(name: string, command: string, why: string, secrets: readonly string[] = []): Case {
  return {
    name: `mfa_process that ${name}`,
    args: ['login', '-p', 'mp'],
    credentials: longTerm('mp-long-term'),
    config: `[profile mp]\nmfa_serial = ${SERIAL}\nmfa_process = ${command}\n`,
    takesLock: true,
    exit: 1,
    words: ['mfa_process failed', why],
    secrets,
  };
}

// No knob shortens mfa_process's 60 s limit, so its timeout is left to the unit tests (test/mfa/mfa-process.test.ts).
const mfaProcessCases: Case[] = [
  mfaProcess('exits 1', 'exit 1', 'exited with status 1 (check mfa_process in the config profile)'),
  mfaProcess('prints a code, then exits 1', 'echo 135791; exit 1', 'exited with status 1', ['135791']),
  mfaProcess('prints letters', 'echo LETTERSNOTACODE', 'printed no 6-digit code (it must print only the code on stdout)', [
    'LETTERSNOTACODE',
  ]),
  mfaProcess('prints seven digits', 'echo 1357913', 'printed no 6-digit code', ['1357913']),
  mfaProcess('prints the code among words', "printf 'your code: 135791\\n'", 'printed no 6-digit code', ['135791', 'your code']),
  mfaProcess('prints two codes', "printf '135791\\n246802\\n'", 'printed no 6-digit code', ['135791', '246802']),
  mfaProcess('prints nothing', 'true', 'printed no 6-digit code'),
  mfaProcess('is killed', 'kill -9 $$', 'killed by signal SIGKILL'),
  mfaProcess('prints more than 64 KiB', 'yes 1357913 | head -c 70000', 'printed more than 64 KiB', ['1357913']),
];

let unreachableSts: string;
const keyring = useKeyring();

beforeAll(async () => {
  unreachableSts = `http://127.0.0.1:${await closedPort()}`;
});

async function lookupAll(accounts: readonly string[]): Promise<Record<string, string | undefined>> {
  const found = await Promise.all(accounts.map(async (account) => [account, await keyring().lookup(account)] as const));
  return Object.fromEntries(found);
}

/** Stores an item as another client would, readable by aws-mfa (keytar's schema). */
async function storeItem(account: string, secret: string): Promise<void> {
  await keyring().store(account, secret, { ...GENERIC_SCHEMA, service: 'aws-mfa', account });
}

/** A throwaway HOME whose STS endpoint is a closed port: a case that reached STS would exit 1 with a network error. */
async function withSandbox<T>(use: (box: Sandbox) => Promise<T>): Promise<T> {
  const box = new Sandbox({ endpointUrl: unreachableSts, region: 'eu-west-1' });
  try {
    return await use(box);
  } finally {
    box.remove();
  }
}

describe.concurrent('keychain commands, keychain items, mfa_process: one line, nothing written, nothing stored', () => {
  const cases = [...addCases, ...profileNameCases, ...keychainCommandCases, ...malformedItemCases, ...mfaProcessCases];

  it.for(cases)('$name', async (testCase, { expect }) => {
    await withSandbox(async (box) => {
      if (testCase.credentials !== undefined) box.writeCredentials(testCase.credentials);
      if (testCase.config !== undefined) box.writeConfig(testCase.config);
      for (const [account, secret] of Object.entries(testCase.items ?? {})) await storeItem(account, secret);
      const accounts = [...Object.keys(testCase.items ?? {}), ...(testCase.accounts ?? [])];
      const itemsBefore = await lookupAll(accounts);
      const before = box.snapshot();

      const result = await box.runCli(testCase.args, { env: { ...keyring().env, ...testCase.env }, stdin: testCase.stdin });

      const line = expectRefusal(expect, result, testCase);
      expectNoSecrets(expect, line, [SECRET, ...(testCase.secrets ?? [])]);
      if (testCase.takesLock) {
        expectOnlyLockFoldersAdded(expect, before, box.snapshot());
        expect(existsSync(join(box.cacheHome, 'aws-mfa', 'sessions'))).toBe(false);
      } else {
        expect(box.snapshot()).toEqual(before);
      }
      expect(await lookupAll(accounts)).toEqual(itemsBefore);
    });
  });
});

describe('the way out of a malformed item, as its message says', () => {
  it('remove --force deletes it, and add --env then stores a good one', async () => {
    await withSandbox(async (box) => {
      await storeItem('fix-me', GARBAGE);

      const removed = await box.runCli(['remove', 'fix-me', '--force'], { env: keyring().env });

      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stderr).toBe('aws-mfa: removed fix-me from the keychain and dropped its cached session\n');
      expect(await keyring().lookup('fix-me')).toBeUndefined();

      const added = await box.runCli(['add', 'fix-me', '--env'], { env: { ...keyring().env, ...ENV_KEYS } });

      expect(added.code, added.stderr).toBe(0);
      expect(JSON.parse((await keyring().lookup('fix-me')) ?? '')).toEqual({ version: 1, accessKeyId: KEY_ID, secretAccessKey: SECRET });
    });
  });

  it('add --env over it replaces it directly', async () => {
    await withSandbox(async (box) => {
      await storeItem('replace-me', GARBAGE);

      const added = await box.runCli(['add', 'replace-me', '--env', '--mfa-serial', SERIAL], { env: { ...keyring().env, ...ENV_KEYS } });

      expect(added.code, added.stderr).toBe(0);
      expectNoSecrets(expect, added.stderr, [SECRET]);
      expect(JSON.parse((await keyring().lookup('replace-me')) ?? '')).toEqual({
        version: 1,
        accessKeyId: KEY_ID,
        secretAccessKey: SECRET,
        mfaSerial: SERIAL,
      });
    });
  });
});

describe('a keychain that cannot be reached (no D-Bus session)', () => {
  const noBus: EnvOverrides = { DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined, XDG_RUNTIME_DIR: undefined };

  it.for<[string, readonly string[], EnvOverrides]>([
    ['add --env', ['add', 'nobus', '--env'], ENV_KEYS],
    ['remove --force', ['remove', 'nobus', '--force'], {}],
    ['code', ['code', 'nobus'], {}],
  ])('%s: exit 1, the keychain error, nothing written (not even the cache folder)', async ([, args, env], { expect }) => {
    await withSandbox(async (box) => {
      box.writeCredentials(longTerm('nobus-long-term'));
      const before = box.snapshot();

      const result = await box.runCli(args, { env: { ...noBus, ...env } });

      const line = expectRefusal(expect, result, { exit: 1, words: ['keychain unavailable', 'no D-Bus session', 'dbus-run-session'] });
      expectNoSecrets(expect, line, [SECRET]);
      expect(box.snapshot()).toEqual(before);
      expect(readdirSync(box.home)).toEqual(['.aws']);
    });
  });
});
