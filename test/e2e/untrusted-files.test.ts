/**
 * Issue 10, defects 1, 2, 4, 5 and 6: what the tool reads and writes when someone else (another
 * user, a symbolic link, a FIFO, a device) is in its way. The reproductions of the issue, run
 * with the real CLI in a throwaway HOME; the multi-user ones as a second uid through setpriv.
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SESSION } from '../aws/fake-aws.js';
import { useCleanups, useFakeSts } from './harness/fake-sts.js';
import { fileMode } from './harness/files.js';
import { cachedSessionPath } from './harness/keychain-tools.js';
import { useKeyring } from './harness/keyring.js';
import { cacheFolder, profileLockPath } from './harness/leftovers.js';
import { cliPath } from './harness/paths.js';
import { asUser, otherUsersSkipReason, otherUsersUntestable, useCliForOtherUsers } from './harness/permissions.js';
import { type RunResult, runProcess } from './harness/process.js';
import { expectNoSecrets, expectRefusal } from './harness/refusals.js';
import { type EnvOverrides, Sandbox } from './harness/sandbox.js';
import { describeRun } from './harness/session-fixtures.js';
import { randomSeed } from './harness/totp-tools.js';

const KEY_ID = 'AKIAUNTRUSTEDTEST001';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiUNTRUSTED001';
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const CODE = '246813';
const CREDENTIALS = `[dev-long-term]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`;
const CONFIG = `[profile dev]\nmfa_serial = ${SERIAL}\nregion = eu-west-1\n`;
const SECRETS = [KEY_ID, SECRET, CODE, SESSION.accessKeyId, SESSION.secretAccessKey, SESSION.sessionToken];
const VICTIM_TEXT = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExample victim@host\n';
/** Another user; no passwd entry is needed (setpriv). */
const ATTACKER_UID = 4242;
const USER_UID = 4243;
/** The one line that refuses something in the cache: names it and says to remove it. */
const removeIt = /remove it/;
/** Long enough for a run that is bounded; a run that hangs (a FIFO) fails the test instead. */
const BOUNDED_MS = 20_000;

const keyring = useKeyring();
const sts = useFakeSts();
const cleanups = useCleanups();
/** bin/aws-mfa where the second uid can run it, whatever folder the checkout is in. */
const otherUsersCli = useCliForOtherUsers();

/** A HOME with a working profile dev: keys in [dev-long-term], mfa_serial in the config. */
function devSandbox(): Sandbox {
  const box = new Sandbox({ endpointUrl: sts().url, region: 'eu-west-1' });
  cleanups.push(() => box.remove());
  box.writeCredentials(CREDENTIALS);
  box.writeConfig(CONFIG);
  return box;
}

function scratchFolder(mode = 0o700): string {
  const folder = mkdtempSync(join(tmpdir(), 'aws-mfa-untrusted-'));
  chmodSync(folder, mode);
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

function run(box: Sandbox, argv: readonly string[], options: { env?: EnvOverrides; cwd?: string } = {}): Promise<RunResult> {
  const [command = '', ...args] = argv;
  return runProcess(command, args, {
    env: box.env({ ...keyring().env, ...options.env }),
    cwd: options.cwd ?? box.home,
    timeoutMs: BOUNDED_MS,
  });
}

function cli(box: Sandbox, args: readonly string[], env: EnvOverrides = {}): Promise<RunResult> {
  return run(box, [cliPath, ...args], { env });
}

function expectOk(result: RunResult): RunResult {
  expect(result.code, describeRun(result)).toBe(0);
  return result;
}

/** A victim's file outside the cache that a symlink in the cache points to. */
function victimFile(box: Sandbox): string {
  return box.writeFile('victim', VICTIM_TEXT, 0o600);
}

function expectVictimUntouched(victim: string): void {
  expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
  expect(fileMode(victim)).toBe(0o600);
}

/** A cache file as an attacker would plant it: a valid session for dev holding the attacker's keys. */
function plantedSession(): string {
  return `${JSON.stringify({
    version: 1,
    origin: { profile: 'dev', mfaSerial: SERIAL, keySource: 'file', longTermKeyId: KEY_ID },
    session: {
      Version: 1,
      AccessKeyId: 'ASIAATTACKERATTACKER',
      SecretAccessKey: 'attacker-secret',
      SessionToken: 'attacker-token',
      Expiration: '2099-01-01T00:00:00Z',
    },
  })}\n`;
}

describe('defect 1: nothing in the cache is followed through a symbolic link', () => {
  it('a session file replaced by a link to ~/victim: login --force refuses before asking STS; the victim and the link stay', async () => {
    const box = devSandbox();
    expectOk(await cli(box, ['login', '-p', 'dev', '--code', CODE]));
    const sessionFile = cachedSessionPath(box.cacheHome, 'dev');
    const victim = victimFile(box);
    rmSync(sessionFile);
    symlinkSync(victim, sessionFile);
    const requestsBefore = sts().requests.length;

    const result = await cli(box, ['credential-process', '-p', 'dev', '--force', '--code', CODE]);

    expectRefusal(expect, result, { exit: 1, words: [`refusing ${sessionFile}`, 'symbolic link', removeIt] });
    expectNoSecrets(expect, result.stderr, SECRETS);
    expectVictimUntouched(victim);
    expect(readlinkSync(sessionFile)).toBe(victim);
    expect(sts().requests.length).toBe(requestsBefore);
  });

  it('a session file that is a link: the cached path refuses it rather than read through it', async () => {
    const box = devSandbox();
    const sessionFile = cachedSessionPath(box.cacheHome, 'dev');
    const planted = box.writeFile('planted.json', plantedSession(), 0o600);
    mkdirSync(dirname(sessionFile), { recursive: true, mode: 0o700 });
    symlinkSync(planted, sessionFile);

    const result = await cli(box, ['credential-process', '-p', 'dev', '--code', CODE]);

    expectRefusal(expect, result, { exit: 1, words: [`refusing ${sessionFile}`, 'symbolic link', removeIt] });
  });

  it.for([
    ['the cache folder', (box: Sandbox) => cacheFolder(box)],
    ['the sessions folder', (box: Sandbox) => join(cacheFolder(box), 'sessions')],
    ['the locks folder', (box: Sandbox) => join(cacheFolder(box), 'locks')],
  ] as const)('%s as a link to another folder: refused, nothing written there', async ([, where]) => {
    const box = devSandbox();
    const elsewhere = scratchFolder();
    const link = where(box);
    mkdirSync(dirname(link), { recursive: true, mode: 0o700 });
    symlinkSync(elsewhere, link);

    const result = await cli(box, ['login', '-p', 'dev', '--code', CODE]);

    expectRefusal(expect, result, { exit: 1, words: [`refusing ${link}`, 'symbolic link', removeIt] });
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a lock that is a link to a folder of the victim: refused, the folder kept', async () => {
    const box = devSandbox();
    const victimFolder = join(box.home, 'victim-folder');
    mkdirSync(victimFolder);
    const lock = profileLockPath(box, 'dev');
    mkdirSync(dirname(lock), { recursive: true, mode: 0o700 });
    symlinkSync(victimFolder, lock);

    const result = await cli(box, ['login', '-p', 'dev', '--code', CODE]);

    expectRefusal(expect, result, { exit: 1, words: [`refusing the lock ${lock}`, 'symbolic link', removeIt] });
    expect(statSync(victimFolder).isDirectory()).toBe(true);
  });

  it('a stray temporary file that is a link: the link is removed, never its target', async () => {
    const box = devSandbox();
    const victim = victimFile(box);
    const sessionFile = cachedSessionPath(box.cacheHome, 'dev');
    mkdirSync(dirname(sessionFile), { recursive: true, mode: 0o700 });
    // pid 2^22 + 1 is above Linux's pid_max: no live process has it.
    const stray = join(dirname(sessionFile), `.dev.json.4194305.0123abcd.tmp`);
    symlinkSync(victim, stray);

    expectOk(await cli(box, ['login', '-p', 'dev', '--code', CODE]));

    expectVictimUntouched(victim);
    expect(() => lstatSync(stray)).toThrow(/ENOENT/);
    expect(JSON.parse(readFileSync(sessionFile, 'utf8'))).toMatchObject({ session: { AccessKeyId: SESSION.accessKeyId } });
  });

  it('the TOTP step record as a link to ~/victim: `code` refuses it, the victim untouched', async () => {
    const box = devSandbox();
    const seed = randomSeed();
    const add = await runProcess(cliPath, ['add', 'tool', '--env', '--totp', '--mfa-serial', SERIAL], {
      env: box.env({ ...keyring().env, AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET }),
      cwd: box.home,
      stdin: `${seed}\n`,
    });
    expectOk(add);
    // src/mfa: the device is known by a hash of its seed, its record by a hash of that.
    const device = `totp-seed:${createHash('sha256').update(seed).digest('hex')}`;
    const stem = createHash('sha256').update(device, 'utf8').digest('hex').slice(0, 32);
    const record = join(cacheFolder(box), 'totp-steps', stem);
    const victim = victimFile(box);
    mkdirSync(dirname(record), { recursive: true, mode: 0o700 });
    symlinkSync(victim, record);

    const result = await cli(box, ['code', 'tool']);

    expectRefusal(expect, result, { exit: 1, words: [`refusing ${record}`, 'symbolic link', removeIt] });
    expectVictimUntouched(victim);
  });
});

describe("defect 2: the cache is the user's alone", () => {
  it('folders and files of the user with loose modes are made 0700 and 0600, and used', async () => {
    const box = devSandbox();
    expectOk(await cli(box, ['login', '-p', 'dev', '--code', CODE]));
    const sessionFile = cachedSessionPath(box.cacheHome, 'dev');
    chmodSync(cacheFolder(box), 0o777);
    chmodSync(dirname(sessionFile), 0o755);
    chmodSync(sessionFile, 0o644);
    const requestsBefore = sts().requests.length;

    const result = expectOk(await cli(box, ['credential-process', '-p', 'dev']));

    expect(JSON.parse(result.stdout)).toMatchObject({ AccessKeyId: SESSION.accessKeyId });
    expect(sts().requests.length).toBe(requestsBefore);
    expect([cacheFolder(box), dirname(sessionFile), sessionFile].map(fileMode)).toEqual([0o700, 0o700, 0o600]);
  });

  it('an empty HOME is refused (exit 2), nothing created in the current folder', async () => {
    const box = devSandbox();
    const cwd = scratchFolder();

    const result = await run(box, [cliPath, 'credential-process', '-p', 'dev', '--code', CODE], {
      env: { HOME: '', XDG_CACHE_HOME: undefined },
      cwd,
    });

    expectRefusal(expect, result, { exit: 2, words: ['no home directory', 'HOME is set but empty'] });
    expect(readdirSync(cwd)).toEqual([]);
  });

  describe.skipIf(otherUsersUntestable)(`another user${otherUsersSkipReason}`, () => {
    /** A cache home shared like /tmp (1777), where another user made aws-mfa/ and sessions/ 0777 first. */
    function attackedCache(plant: (sessions: string) => void): { cacheHome: string; sessions: string } {
      const cacheHome = scratchFolder(0o1777);
      const sessions = join(cacheHome, 'aws-mfa', 'sessions');
      const [command = '', ...args] = asUser(ATTACKER_UID, ['/bin/sh', '-c', 'umask 000; mkdir -p "$1"', 'sh', sessions]);
      execFileSync(command, args);
      plant(sessions);
      return { cacheHome, sessions };
    }

    it("another user's cache folder holding a planted p.json: refused with one line (exit 1), their keys never served", async () => {
      const box = devSandbox();
      const { cacheHome, sessions } = attackedCache((folder) => {
        const file = join(folder, 'dev.json');
        writeFileSync(file, plantedSession(), { mode: 0o644 });
        chownSync(file, ATTACKER_UID, ATTACKER_UID);
      });
      const planted = readFileSync(join(sessions, 'dev.json'));

      const result = await cli(box, ['credential-process', '-p', 'dev', '--code', CODE], { XDG_CACHE_HOME: cacheHome });

      expectRefusal(expect, result, {
        exit: 1,
        words: [`refusing ${join(cacheHome, 'aws-mfa')}`, `belongs to uid ${ATTACKER_UID}`, removeIt],
      });
      expect(result.stdout).not.toContain('ASIAATTACKER');
      expect(readFileSync(join(sessions, 'dev.json'))).toEqual(planted);
    });

    it("another user's file in the user's own sessions folder: refused, not served", async () => {
      const box = devSandbox();
      const sessionFile = cachedSessionPath(box.cacheHome, 'dev');
      mkdirSync(dirname(sessionFile), { recursive: true, mode: 0o700 });
      writeFileSync(sessionFile, plantedSession(), { mode: 0o644 });
      chownSync(sessionFile, ATTACKER_UID, ATTACKER_UID);

      const result = await cli(box, ['credential-process', '-p', 'dev', '--code', CODE]);

      expectRefusal(expect, result, { exit: 1, words: [`refusing ${sessionFile}`, `belongs to uid ${ATTACKER_UID}`, removeIt] });
    });
  });
});

describe('defect 4: reads are bounded and of regular files only', () => {
  function fifo(path: string): string {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    execFileSync('mkfifo', ['-m', '600', path]);
    return path;
  }

  it.for([
    ['/dev/zero as the credentials file', (_box: Sandbox) => ({ AWS_SHARED_CREDENTIALS_FILE: '/dev/zero' }), 'a device'],
    ['/dev/zero as the config file', (_box: Sandbox) => ({ AWS_CONFIG_FILE: '/dev/zero' }), 'a device'],
    [
      'a FIFO as the credentials file',
      (box: Sandbox) => ({ AWS_SHARED_CREDENTIALS_FILE: fifo(join(box.home, 'fifo-credentials')) }),
      'a FIFO',
    ],
  ] as const)('%s: exit 2, one line, at once', async ([, env, kind]) => {
    const box = devSandbox();
    const overrides = env(box);

    const result = await cli(box, ['credential-process', '-p', 'dev', '--code', CODE], overrides);

    const file = Object.values(overrides)[0] as string;
    expectRefusal(expect, result, { exit: 2, words: [`cannot read ${file}`, `it is ${kind}, not a regular file`] });
  });

  it('a FIFO as the session file: exit 1, one line, at once', async () => {
    const box = devSandbox();
    const sessionFile = fifo(cachedSessionPath(box.cacheHome, 'dev'));

    const result = await cli(box, ['credential-process', '-p', 'dev', '--code', CODE]);

    expectRefusal(expect, result, { exit: 1, words: [`refusing ${sessionFile}`, 'a FIFO, not a regular file', removeIt] });
  });

  it('a 1.5 GB sparse session file is read no further than its bound: a new session replaces it', async () => {
    const box = devSandbox();
    const sessionFile = cachedSessionPath(box.cacheHome, 'dev');
    mkdirSync(dirname(sessionFile), { recursive: true, mode: 0o700 });
    execFileSync('truncate', ['-s', '1500M', sessionFile]);
    chmodSync(sessionFile, 0o600);

    const result = expectOk(await cli(box, ['credential-process', '-p', 'dev', '--code', CODE]));

    expect(JSON.parse(result.stdout)).toMatchObject({ AccessKeyId: SESSION.accessKeyId });
    expect(statSync(sessionFile).size).toBeLessThan(4096);
  });
});

describe.skipIf(otherUsersUntestable)(`defect 5: a rewritten file keeps its owner${otherUsersSkipReason}`, () => {
  /** The sandbox's HOME handed to USER_UID, as a user's own home is. */
  function usersHome(): Sandbox {
    const box = devSandbox();
    execFileSync('chown', ['-R', `${USER_UID}:${USER_UID}`, box.home]);
    chmodSync(box.home, 0o755);
    return box;
  }

  it("root (sudo, the user's HOME kept) writes ~/.aws/credentials and the cache as the user's; the user then uses them", async () => {
    const box = usersHome();

    expectOk(await cli(box, ['login', '-p', 'dev', '--code', CODE]));

    const owned = (path: string) => `${statSync(path).uid}:${statSync(path).gid} ${fileMode(path).toString(8)}`;
    const sessionFile = cachedSessionPath(box.cacheHome, 'dev');
    expect(owned(box.credentialsPath)).toBe(`${USER_UID}:${USER_UID} 600`);
    expect([cacheFolder(box), dirname(sessionFile), join(cacheFolder(box), 'locks')].map(owned)).toEqual(
      Array(3).fill(`${USER_UID}:${USER_UID} 700`),
    );
    expect(owned(sessionFile)).toBe(`${USER_UID}:${USER_UID} 600`);
    const asTheUser = await run(box, asUser(USER_UID, [otherUsersCli(), 'credential-process', '-p', 'dev']));
    expect(JSON.parse(expectOk(asTheUser).stdout)).toMatchObject({ AccessKeyId: SESSION.accessKeyId });
  });

  it("a user who may replace another user's credentials file but not give it away is refused (exit 1), the file kept", async () => {
    const box = usersHome();
    chmodSync(dirname(box.credentialsPath), 0o777);
    chmodSync(box.credentialsPath, 0o666);
    const before = readFileSync(box.credentialsPath);
    const ownCache = scratchFolder(0o777);

    const result = await run(box, asUser(ATTACKER_UID, [otherUsersCli(), 'login', '-p', 'dev', '--code', CODE]), {
      env: { XDG_CACHE_HOME: ownCache },
    });

    expectRefusal(expect, result, {
      exit: 1,
      words: [`cannot rewrite ${box.credentialsPath}`, `belongs to uid ${USER_UID}`, 'run aws-mfa as the user who owns it'],
    });
    expectNoSecrets(expect, result.stderr, SECRETS);
    expect(readFileSync(box.credentialsPath)).toEqual(before);
    expect(statSync(box.credentialsPath).uid).toBe(USER_UID);
  });
});

describe.skipIf(otherUsersUntestable)(`defect 6: no home directory${otherUsersSkipReason}`, () => {
  it('HOME unset for a user with no passwd entry: one line that says so, exit 2', async () => {
    const box = devSandbox();
    const cwd = scratchFolder(0o777);

    const result = await run(box, asUser(ATTACKER_UID, [otherUsersCli(), 'credential-process', '-p', 'dev', '--code', CODE]), {
      env: { HOME: undefined, XDG_CACHE_HOME: undefined },
      cwd,
    });

    expectRefusal(expect, result, { exit: 2, words: ['no home directory', 'HOME is not set', 'no entry in the password database'] });
    expect(readdirSync(cwd)).toEqual([]);
  });
});
