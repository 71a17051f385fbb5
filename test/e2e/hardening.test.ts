/**
 * The edges of issue 4 that the other suites leave open: file modes whatever the umask (lock
 * folders included), an STS that never answers, temporary files of killed writers, hostile and
 * broken things in the session cache, truncated files, read-only folders, an endless stdin, and
 * a locked keychain. Every failure: its exit status, one line, no secret, nothing written.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, type ExpectStatic, expect, it } from 'vitest';
import { SESSION } from '../aws/fake-aws.js';
import { BackgroundCli } from './harness/background.js';
import { useCleanups, useFakeSts } from './harness/fake-sts.js';
import { fileBytes, fileMode, snapshotTree } from './harness/files.js';
import { cachedSessionPath } from './harness/keychain-tools.js';
import { useKeyring } from './harness/keyring.js';
import { cacheFolder, credentialsLockPath, leftovers, profileLockPath } from './harness/leftovers.js';
import { cliPath, repoRoot } from './harness/paths.js';
import { permissionsUntestable, withPermissionsApplying, withUmask } from './harness/permissions.js';
import { type RunResult, runProcess } from './harness/process.js';
import { expectNoSecrets, expectOnlyLockFoldersAdded, expectRefusal, type Refusal } from './harness/refusals.js';
import { type EnvOverrides, Sandbox } from './harness/sandbox.js';
import { describeRun } from './harness/session-fixtures.js';
import { randomSeed } from './harness/totp-tools.js';
import { SilentServer, UnacceptingServer } from './harness/unresponsive-servers.js';

const KEY_ID = 'AKIAHARDENINGTEST001';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiHARDENING001';
const KEYS_ENV = { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET };
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const CODE = '246813';
const CREDENTIALS = `# work account\n[dev-long-term]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`;
const CONFIG = `[profile dev]\nmfa_serial = ${SERIAL}\nregion = eu-west-1\n`;
/** Nothing of these may reach a message: the long-term keys, the code, the session's secrets. */
const SECRETS = [KEY_ID, SECRET, CODE, SESSION.accessKeyId, SESSION.secretAccessKey, SESSION.sessionToken];
const PAUSE_RENAME_HOOK = join(repoRoot, 'test', 'e2e', 'harness', 'pause-rename.mjs');
/** A killed writer's lock is stale after about 5 s: this only catches a run that hangs. */
const TAKEOVER_BOUND_MS = 20_000;
const pollIntervalMs = 50;

const keyring = useKeyring();
const sts = useFakeSts();
const cleanups = useCleanups();

/** A throwaway HOME whose STS is the fake one (or endpoint), removed after the test. */
function newSandbox(endpoint = sts().url): Sandbox {
  const box = new Sandbox({ endpointUrl: endpoint, region: 'eu-west-1' });
  cleanups.push(() => box.remove());
  return box;
}

/** A HOME with a working profile dev: keys in [dev-long-term], mfa_serial in the config. */
function devSandbox(endpoint?: string): Sandbox {
  const box = newSandbox(endpoint);
  box.writeCredentials(CREDENTIALS);
  box.writeConfig(CONFIG);
  return box;
}

function scratchFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'aws-mfa-hardening-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** Runs argv (bin/aws-mfa behind a prefix) with no terminal, the sandbox's environment and the test keyring. */
function run(box: Sandbox, argv: readonly string[], options: { env?: EnvOverrides; stdin?: string } = {}) {
  const [command = '', ...args] = argv;
  return runProcess(command, args, { env: box.env({ ...keyring().env, ...options.env }), cwd: box.home, stdin: options.stdin });
}

function expectOk(result: RunResult): RunResult {
  expect(result.code, describeRun(result)).toBe(0);
  return result;
}

/** Path under root → `folder 700` or `file 600`: the kind and permission bits of every entry. */
function modesUnder(root: string): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshotTree(root)).map(([path, entry]) => [path, entry.split(' ').slice(0, 2).join(' ')]));
}

/** Entries that are neither a 0700 folder nor a 0600 file. */
function notPrivate(modes: Record<string, string>): [string, string][] {
  return Object.entries(modes).filter(([, mode]) => mode !== 'folder 700' && mode !== 'file 600');
}

interface PausedWriter {
  pid: number;
  temporary: string;
}

/** The environment that makes a writer of `file` stop before its rename (harness/pause-rename.mjs). */
function pauseRenameOf(file: string, marker: string): EnvOverrides {
  return { NODE_OPTIONS: `--import=${PAUSE_RENAME_HOOK}`, PAUSE_RENAME_OF: file, PAUSE_RENAME_MARKER: marker };
}

async function waitForPausedWriter(marker: string, timeoutMs = 20_000): Promise<PausedWriter> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(marker)) {
    if (Date.now() >= deadline) throw new Error(`no writer paused before its rename within ${timeoutMs} ms`);
    await sleep(pollIntervalMs);
  }
  return JSON.parse(readFileSync(marker, 'utf8')) as PausedWriter;
}

/** The pid of a process that has exited (and that no live process has taken since). */
async function pidOfExitedProcess(): Promise<number> {
  const child = spawn('true');
  await new Promise((resolveExit) => child.once('exit', resolveExit));
  if (child.pid === undefined) throw new Error('could not start true');
  return child.pid;
}

describe.each(['000', '077'])('under umask %s', (umask) => {
  it('every file aws-mfa creates is 0600 and every folder 0700: ~/.aws, a new config file, the credentials file, the cache', async () => {
    const box = newSandbox();
    const cli = (args: readonly string[], options: { env?: EnvOverrides; stdin?: string } = {}) =>
      run(box, withUmask(umask, [cliPath, ...args]), options);
    // Three devices: the code of one time step is used once per device, and nothing here waits for the next.
    for (const profile of ['prod', 'svc', 'tool']) {
      const serial = `arn:aws:iam::123456789012:mfa/${profile}`;
      expectOk(await cli(['add', profile, '--env', '--totp', '--mfa-serial', serial], { env: KEYS_ENV, stdin: `${randomSeed()}\n` }));
    }

    expectOk(await cli(['configure', 'svc']));
    expectOk(await cli(['login', '-p', 'prod']));
    expectOk(await cli(['credential-process', '-p', 'svc']));
    expectOk(await cli(['code', 'tool']));

    const modes = modesUnder(box.home);
    expect(notPrivate(modes)).toEqual([]);
    expect(modes).toMatchObject({
      '.aws': 'folder 700',
      '.aws/config': 'file 600',
      '.aws/credentials': 'file 600',
      '.cache/aws-mfa': 'folder 700',
      '.cache/aws-mfa/locks': 'folder 700',
      '.cache/aws-mfa/sessions': 'folder 700',
      [relative(box.home, cachedSessionPath(box.cacheHome, 'prod'))]: 'file 600',
      [relative(box.home, cachedSessionPath(box.cacheHome, 'svc'))]: 'file 600',
      '.cache/aws-mfa/totp-steps': 'folder 700',
    });
    expect(Object.keys(modes).filter((path) => path.startsWith('.cache/aws-mfa/totp-steps/'))).toHaveLength(3);
  });

  it('an existing config file and ~/.aws keep their modes; the credentials file is made 0600', async () => {
    const box = devSandbox();
    chmodSync(dirname(box.configPath), 0o755);
    chmodSync(box.configPath, 0o644);
    chmodSync(box.credentialsPath, 0o644);
    const cli = (args: readonly string[]) => run(box, withUmask(umask, [cliPath, ...args]));

    expectOk(await cli(['login', '-p', 'dev', '--code', CODE]));
    expectOk(await cli(['configure', 'other']));

    const modes = modesUnder(box.home);
    expect(modes).toMatchObject({ '.aws': 'folder 755', '.aws/config': 'file 644', '.aws/credentials': 'file 600' });
    expect(readFileSync(box.configPath, 'utf8')).toContain(
      '[profile other]\ncredential_process = aws-mfa credential-process --profile other\n',
    );
    const aws = new Set(['.aws', '.aws/config']);
    expect(notPrivate(modes).filter(([path]) => !aws.has(path))).toEqual([]);
  });
});

describe('lock folders and temporary files under umask 000', () => {
  it('are 0700 and 0600 while a login waits at its prompt and while it writes the credentials file', async () => {
    const box = devSandbox();
    chmodSync(dirname(box.credentialsPath), 0o755);
    const marker = join(scratchFolder(), 'paused.json');
    const argv = withUmask('000', [cliPath, 'login', '-p', 'dev']);

    const login = await box.runInPty(
      argv,
      async (terminal) => {
        await terminal.waitForText('MFA code for dev');
        const profileLock = profileLockPath(box, 'dev');
        expect([profileLock, dirname(profileLock), cacheFolder(box)].map(fileMode)).toEqual([0o700, 0o700, 0o700]);
        await terminal.type(`${CODE}\r`);

        const writer = await waitForPausedWriter(marker);
        // The credentials file's lock sits in ~/.aws (0755 here): others could write into a 0777 lock folder.
        expect(fileMode(credentialsLockPath(box))).toBe(0o700);
        expect(fileMode(writer.temporary)).toBe(0o600);
        process.kill(writer.pid, 'SIGKILL');
      },
      { env: pauseRenameOf(box.credentialsPath, marker) },
    );

    expect(login.signal).toBe(9);
  });
});

describe('temporary files of writers that died', () => {
  it('the next write of the file removes those of dead processes and keeps those of live ones', async () => {
    const box = devSandbox();
    const marker = join(scratchFolder(), 'paused.json');
    const killed = new BackgroundCli(box, ['login', '-p', 'dev', '--code', CODE], { env: pauseRenameOf(box.credentialsPath, marker) });
    cleanups.push(() => killed.kill());
    const writer = await waitForPausedWriter(marker);
    killed.kill();
    await killed.exited;
    const awsFolder = dirname(box.credentialsPath);
    const deadByHand = join(awsFolder, `.credentials.${await pidOfExitedProcess()}.0123abcd.tmp`);
    // This test's own process: alive, as a writer on its way to its rename would be.
    const alive = join(awsFolder, `.credentials.${process.pid}.89abcdef.tmp`);
    writeFileSync(deadByHand, 'half a file', { mode: 0o600 });
    writeFileSync(alive, 'a file on its way', { mode: 0o600 });
    const credentialsBefore = fileBytes(box.credentialsPath);
    expect(leftovers(box).temporaryFiles.sort()).toEqual(
      [writer.temporary, deadByHand, alive].map((path) => relative(box.home, path)).sort(),
    );
    expect(fileBytes(box.credentialsPath)).toEqual(credentialsBefore);

    // The killed login cached its session before writing the file: this one writes it from the cache.
    const next = expectOk(await box.runCli(['login', '-p', 'dev'], { timeoutMs: TAKEOVER_BOUND_MS }));

    expect(next.stderr).toContain('reused the cached session');
    expect(leftovers(box)).toEqual({ locks: [], temporaryFiles: [relative(box.home, alive)], other: [] });
    expect(readFileSync(box.credentialsPath, 'utf8')).toContain(`[dev]\naws_access_key_id = ${SESSION.accessKeyId}\n`);
  });
});

describe.concurrent('an STS that never answers: one line after the bounded timeouts, nothing cached, no lock left', () => {
  // Its own sandbox, removed here: afterEach would run once the other, shorter test ends.
  async function expectTimedOut(expect: ExpectStatic, endpoint: string): Promise<void> {
    const box = new Sandbox({ endpointUrl: endpoint, region: 'eu-west-1' });
    try {
      box.writeCredentials(CREDENTIALS);
      box.writeConfig(CONFIG);
      const before = box.snapshot();

      const result = await box.runCli(['credential-process', '-p', 'dev', '--code', CODE], { timeoutMs: 150_000 });

      expectRefusal(expect, result, { exit: 1, words: ['GetSessionToken failed', `cannot reach ${endpoint}`, 'timed out'] });
      expectNoSecrets(expect, result.stderr, SECRETS);
      expectOnlyLockFoldersAdded(expect, before, box.snapshot());
      expect(leftovers(box)).toEqual({ locks: [], temporaryFiles: [], other: [] });
    } finally {
      box.remove();
    }
  }

  // One 15 s request timeout: a request that may have reached AWS is not sent again with its code.
  it('a server that accepts the connection and never answers', { timeout: 180_000 }, async ({ expect }) => {
    const server = await SilentServer.start();
    try {
      await expectTimedOut(expect, server.url);
      expect(server.connections).toBe(1);
    } finally {
      await server.close();
    }
  });

  // One 5 s connection timeout.
  it('a server that never accepts the connection', { timeout: 180_000 }, async ({ expect }) => {
    const server = await UnacceptingServer.start();
    try {
      await expectTimedOut(expect, server.url);
    } finally {
      server.close();
    }
  });
});

interface CacheCase extends Refusal {
  name: string;
  setup: (box: Sandbox) => void;
}

const staleTime = new Date(Date.now() - 10 * 60 * 1000);

const cacheCases: CacheCase[] = [
  {
    name: 'a folder where the cached session file should be',
    setup: (box) => mkdirSync(cachedSessionPath(box.cacheHome, 'dev'), { recursive: true }),
    exit: 1,
    words: ['refusing', '/.cache/aws-mfa/sessions/dev.json', 'it is a directory, not a regular file', 'remove it'],
  },
  {
    name: 'a file where the cache folder should be',
    setup: (box) => box.writeFile(cacheFolder(box), 'not a folder'),
    exit: 1,
    words: ['refusing', '/.cache/aws-mfa: it is a file, not a folder', 'remove it'],
  },
  {
    name: 'a file where the sessions folder should be',
    setup: (box) => box.writeFile(join(cacheFolder(box), 'sessions'), 'not a folder'),
    exit: 1,
    words: ['refusing', '/.cache/aws-mfa/sessions: it is a file, not a folder', 'remove it'],
  },
  {
    name: 'a file where the locks folder should be',
    setup: (box) => box.writeFile(join(cacheFolder(box), 'locks'), 'not a folder'),
    exit: 1,
    words: ['refusing', '/.cache/aws-mfa/locks: it is a file, not a folder', 'remove it'],
  },
  {
    name: 'a stale lock folder with a file in it (planted by someone else)',
    setup: (box) => {
      const lock = profileLockPath(box, 'dev');
      box.writeFile(join(lock, 'planted'), '');
      utimesSync(lock, staleTime, staleTime);
    },
    exit: 1,
    words: ['cannot take over the stale lock', '.lock', 'not an empty folder', 'remove it if no aws-mfa is running'],
  },
  {
    name: 'a stale file where the lock folder should be',
    setup: (box) => {
      const lock = box.writeFile(profileLockPath(box, 'dev'), '');
      utimesSync(lock, staleTime, staleTime);
    },
    exit: 1,
    words: ['cannot take over the stale lock', 'not an empty folder'],
  },
];

/** Folders 0700 and files 0600, as aws-mfa makes them (it would make them so, a change the snapshots would show). */
function makePrivate(root: string): void {
  if (!existsSync(root) || lstatSync(root).isSymbolicLink()) return;
  const isFolder = lstatSync(root).isDirectory();
  chmodSync(root, isFolder ? 0o700 : 0o600);
  if (isFolder) for (const name of readdirSync(root)) makePrivate(join(root, name));
}

describe('the session cache in a bad state: one line, nothing written', () => {
  it.for(cacheCases)('$name', async (testCase) => {
    const box = devSandbox();
    testCase.setup(box);
    makePrivate(cacheFolder(box));
    const before = box.snapshot();

    const result = await box.runCli(['credential-process', '-p', 'dev', '--code', CODE]);

    expectRefusal(expect, result, testCase);
    expectNoSecrets(expect, result.stderr, SECRETS);
    expect(box.snapshot()).toEqual(before);
  });
});

describe('a cached session file that is broken counts as no session: a new one is fetched and cached', () => {
  const broken: [string, (box: Sandbox) => string | Buffer][] = [
    ['cut short', () => `{"version":1,"origin":{"profile":"dev","mfaSerial":"${SERIAL}","keySource":"fi`],
    ['empty', () => ''],
    ['5 MiB of binary garbage', () => Buffer.alloc(5 * 1024 * 1024, 0xff)],
  ];

  it.for(broken)('%s', async ([, contents]) => {
    const box = devSandbox();
    const sessionFile = cachedSessionPath(box.cacheHome, 'dev');
    mkdirSync(dirname(sessionFile), { recursive: true, mode: 0o700 });
    writeFileSync(sessionFile, contents(box), { mode: 0o600 });

    const result = await box.runCli(['credential-process', '-p', 'dev', '--code', CODE]);

    expect(result.code, describeRun(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ AccessKeyId: SESSION.accessKeyId });
    expect(JSON.parse(readFileSync(sessionFile, 'utf8'))).toMatchObject({ version: 2, session: { AccessKeyId: SESSION.accessKeyId } });
    expect(fileMode(sessionFile)).toBe(0o600);
  });
});

interface FileCase extends Refusal {
  name: string;
  credentials: string | Buffer;
  config: string;
}

const truncatedFileCases: FileCase[] = [
  {
    name: 'credentials cut inside a section header',
    credentials: `${CREDENTIALS}\n[oth`,
    config: CONFIG,
    exit: 2,
    words: ['malformed', '/.aws/credentials', 'line 6'],
  },
  {
    name: 'credentials cut inside a key name',
    credentials: `[dev-long-term]\naws_access_key_id = ${KEY_ID}\naws_secret_acc`,
    config: CONFIG,
    exit: 2,
    words: ['malformed', '/.aws/credentials', 'line 3'],
  },
  {
    name: 'credentials cut inside a UTF-8 character',
    credentials: Buffer.concat([Buffer.from(CREDENTIALS), Buffer.from('# caf'), Buffer.from([0xc3])]),
    config: CONFIG,
    exit: 2,
    words: ['malformed', '/.aws/credentials', 'not UTF-8'],
  },
  {
    name: 'config cut inside a section header',
    credentials: CREDENTIALS,
    config: `${CONFIG}[profile ot`,
    exit: 2,
    words: ['malformed', '/.aws/config', 'line 4'],
  },
  {
    name: 'credentials cut to nothing: no keys left for the profile',
    credentials: '',
    config: CONFIG,
    exit: 2,
    words: ['no long-term keys for profile dev', '[dev-long-term]'],
  },
];

describe('truncated files: exit 2, one line, nothing written', () => {
  it.for(truncatedFileCases)('$name', async (testCase) => {
    const box = newSandbox();
    mkdirSync(dirname(box.credentialsPath), { recursive: true });
    writeFileSync(box.credentialsPath, testCase.credentials, { mode: 0o600 });
    box.writeConfig(testCase.config);
    const before = box.snapshot();

    const result = await run(box, [cliPath, 'login', '-p', 'dev', '--code', CODE]);

    expectRefusal(expect, result, testCase);
    expectNoSecrets(expect, result.stderr, SECRETS);
    expect(box.snapshot()).toEqual(before);
  });
});

describe.skipIf(permissionsUntestable)('read-only folders', () => {
  /** A folder made read-only for one test, and writable again after it (so that it can be removed). */
  function readOnly(folder: string): void {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    chmodSync(folder, 0o500);
    cleanups.unshift(() => chmodSync(folder, 0o700));
  }

  it('a read-only cache folder: exit 1, one line, the credentials file unchanged, no session asked for', async () => {
    const box = devSandbox();
    readOnly(cacheFolder(box));
    const before = box.snapshot();
    const requestsBefore = sts().requests.length;

    const result = await run(box, withPermissionsApplying([cliPath, 'login', '-p', 'dev', '--code', CODE]));

    expectRefusal(expect, result, { exit: 1, words: ['cannot create', '/.cache/aws-mfa/locks', 'permission denied'] });
    expect(box.snapshot()).toEqual(before);
    expect(sts().requests.length).toBe(requestsBefore);
  });

  it('a read-only ~/.aws: configure fails with one line, the config file unchanged', async () => {
    const box = devSandbox();
    readOnly(dirname(box.configPath));
    const before = box.snapshot();

    const result = await run(box, withPermissionsApplying([cliPath, 'configure', 'other']));

    expectRefusal(expect, result, { exit: 1, words: ['/.aws', 'permission denied'] });
    expect(box.snapshot()).toEqual(before);
  });

  it('a read-only sessions folder: login still writes the session STS issued, and says it could not be cached', async () => {
    const box = devSandbox();
    readOnly(join(cacheFolder(box), 'sessions'));

    const result = await run(box, withPermissionsApplying([cliPath, 'login', '-p', 'dev', '--code', CODE]));

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stderr).toContain(
      'aws-mfa: could not cache the session of dev (permission denied): the next run will ask for a code again\n',
    );
    expectNoSecrets(expect, result.stderr, SECRETS);
    expect(readFileSync(box.credentialsPath, 'utf8')).toContain(`[dev]\naws_access_key_id = ${SESSION.accessKeyId}\n`);
  });
});

describe('a seed piped in by a writer that never stops', () => {
  it('add --totp reads the first line and is done (`yes SEED | aws-mfa add`)', async () => {
    const box = newSandbox();
    const seed = randomSeed();
    const argv = ['/bin/sh', '-c', 'yes "$SEED" | exec "$@"', 'sh', cliPath, 'add', 'endless', '--env', '--totp', '--mfa-serial', SERIAL];

    const result = await run(box, argv, { env: { ...KEYS_ENV, SEED: seed } });

    expect(result.code, describeRun(result)).toBe(0);
    expect(JSON.parse((await keyring().lookup('endless')) ?? '{}')).toMatchObject({ accessKeyId: KEY_ID, totpSeed: seed });
  });

  it('add --totp refuses a first line of 10 MB with one line, storing nothing', async () => {
    const box = newSandbox();
    const argv = [
      '/bin/sh',
      '-c',
      'head -c 10000000 /dev/zero | tr \'\\0\' A | exec "$@"',
      'sh',
      cliPath,
      'add',
      'huge',
      '--env',
      '--totp',
    ];

    const result = await run(box, argv, { env: KEYS_ENV });

    expectRefusal(expect, result, { exit: 2, words: ['bad TOTP seed', 'longer than 512 bits'] });
    expect(await keyring().lookup('huge')).toBeUndefined();
  });
});

describe('a locked keychain', () => {
  const lockedKeyring = useKeyring();
  const seed = randomSeed();
  let box: Sandbox;
  const cli = (args: readonly string[], env: EnvOverrides = {}) => box.runCli(args, { env: { ...lockedKeyring().env, ...env } });

  beforeAll(async () => {
    box = new Sandbox({ endpointUrl: sts().url, region: 'eu-west-1' });
    expectOk(
      await box.runCli(['add', 'prod', '--env', '--totp', '--mfa-serial', SERIAL], {
        env: { ...lockedKeyring().env, ...KEYS_ENV },
        stdin: `${seed}\n`,
      }),
    );
    expectOk(await cli(['login', '-p', 'prod']));
    await lockedKeyring().lock();
  });
  afterAll(() => box.remove());

  it('does not stop the cached path: credential-process answers from the cache', async () => {
    const result = expectOk(await cli(['credential-process', '-p', 'prod']));

    expect(JSON.parse(result.stdout)).toMatchObject({ AccessKeyId: SESSION.accessKeyId });
  });

  it('add: exit 1, one line that says to unlock it, nothing stored', async () => {
    const result = await cli(['add', 'other', '--env'], KEYS_ENV);

    expectRefusal(expect, result, { exit: 1, words: ['keychain refused to store the item', 'locked'] });
    expectNoSecrets(expect, result.stderr, [SECRET, seed]);
  });

  // libsecret hides the items of a locked collection from a lookup; listing them fails, which tells.
  it('login --force: exit 1, one line that says the keyring is locked and to unlock it, nothing written', async () => {
    const before = box.snapshot();

    const result = await cli(['login', '-p', 'prod', '--force']);

    expectRefusal(expect, result, { exit: 1, words: ['no long-term keys for profile prod', 'is locked', 'unlock the default keyring'] });
    expectNoSecrets(expect, result.stderr, [SECRET, seed]);
    expectOnlyLockFoldersAdded(expect, before, box.snapshot());
  });

  it('list: the files still, and one line saying why the keychain items are missing', async () => {
    const result = expectOk(await cli(['list']));

    expect(result.stderr).toMatch(/^aws-mfa: keychain refused to list the items: [^\n]+locked[^\n]+; listing the files only\n$/);
    expectNoSecrets(expect, result.stdout + result.stderr, [SECRET, seed]);
  });
});
