import { existsSync, mkdirSync, readFileSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { type BackgroundCli, seededRandom, useBackgroundClis } from './harness/background.js';
import { credentialsLockPath, leftovers, profileLockPath, readLikeBotocore, temporaryFilePid } from './harness/leftovers.js';
import { useMoto } from './harness/moto.js';
import { cliPath } from './harness/paths.js';
import type { RunResult } from './harness/process.js';
import { type Sandbox, useSandbox } from './harness/sandbox.js';

// Concurrency as the contract states it ("Session reuse"): exactly one process refreshes (and
// prompts), the others wait for it and reuse its session; a process killed at any moment leaves
// every file whole and no lock that delays the next run by more than a few seconds.
// Every assertion is about outcomes; the only times are generous bounds that catch a hang.

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

const CODE = '123456';
const WAITING = 'waiting for another aws-mfa';
/** A lock is stale 4 s after its holder's last heartbeat: this only catches a run that hangs. */
const TAKEOVER_BOUND_MS = 20_000;
const SESSION_KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'expiration'];

const PROD_CREDENTIALS = [
  '# Long-term keys. aws-mfa must keep every byte outside [prod] as it is.',
  '[prod-long-term]',
  'aws_access_key_id = AKIAPRODLONGTERM0001',
  'aws_secret_access_key = prod-long-term-secret',
  '',
  '; a profile aws-mfa has nothing to do with',
  '[other]',
  'aws_access_key_id = AKIAOTHERPROFILE0001',
  'aws_secret_access_key = other-secret',
  '',
].join('\n');

type Sections = Record<string, Record<string, string>>;

const startCli = useBackgroundClis();

beforeEach(() => moto.reset());

function serialOf(profile: string): string {
  return `arn:aws:iam::123456789012:mfa/${profile}`;
}

function setUpProd(box: Sandbox): void {
  box.writeCredentials(PROD_CREDENTIALS);
  box.writeConfig(`[profile prod]\nmfa_serial = ${serialOf('prod')}\n`);
}

function credentialsText(box: Sandbox): string {
  return readFileSync(box.credentialsPath, 'utf8');
}

async function readLikeAwsCli(box: Sandbox): Promise<Sections> {
  const result = await box.runPython(readLikeBotocore, { env: { FILE_TO_READ: box.credentialsPath } });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Sections;
}

function expectSucceeded(result: RunResult): void {
  expect({ code: result.code, signal: result.signal, stderr: result.stderr }).toMatchObject({ code: 0, signal: null });
}

/** The credential_process JSON, checked for shape. */
function sessionFrom(stdout: string): Record<string, unknown> {
  const session = JSON.parse(stdout) as Record<string, unknown>;
  expect(Object.keys(session).sort()).toEqual(['AccessKeyId', 'Expiration', 'SecretAccessKey', 'SessionToken', 'Version']);
  expect(session.Version).toBe(1);
  return session;
}

/** The prod file as the contract wants it after any run, killed or not: whole, long-term keys as they were. */
async function expectProdFileIntact(box: Sandbox, options: { withSession: boolean }): Promise<Sections> {
  expect(credentialsText(box).startsWith(PROD_CREDENTIALS)).toBe(true);
  const sections = await readLikeAwsCli(box);
  expect(sections['prod-long-term']).toEqual({ aws_access_key_id: 'AKIAPRODLONGTERM0001', aws_secret_access_key: 'prod-long-term-secret' });
  expect(sections.other).toEqual({ aws_access_key_id: 'AKIAOTHERPROFILE0001', aws_secret_access_key: 'other-secret' });
  const prod = sections.prod;
  if (options.withSession || prod !== undefined) expect(Object.keys(prod ?? {}).sort()).toEqual([...SESSION_KEYS].sort());
  expect(Object.keys(sections).sort()).toEqual(prod === undefined ? ['other', 'prod-long-term'] : ['other', 'prod', 'prod-long-term']);
  return sections;
}

function expectNothingLeft(box: Sandbox): void {
  expect(leftovers(box)).toEqual({ locks: [], temporaryFiles: [], other: [] });
}

describe('single flight', () => {
  it('24 parallel credential-process calls on a cold cache make one STS call and all print that session', async () => {
    const box = sandbox();
    setUpProd(box);

    const callers = Array.from({ length: 24 }, () => startCli(box, ['credential-process', '-p', 'prod', '--code', CODE]));
    const results = await Promise.all(callers.map((caller) => caller.result()));

    for (const result of results) expectSucceeded(result);
    expect(await moto.countCalls('GetSessionToken')).toBe(1);
    expect(new Set(results.map((result) => result.stdout)).size).toBe(1);
    sessionFrom(results[0]?.stdout ?? '');
    // Proof that the run was concurrent at all: callers that found the lock taken said so.
    expect(results.filter((result) => result.stderr.includes(WAITING)).length).toBeGreaterThan(0);
    expectNothingLeft(box);
  });

  it('callers with no terminal wait while one prompts, then reuse its session: one prompt, one STS call', async () => {
    const box = sandbox();
    setUpProd(box);
    let waiters: BackgroundCli[] = [];

    const holder = await box.runInPty([cliPath, 'credential-process', '-p', 'prod'], async (terminal) => {
      await terminal.waitForText('MFA code for prod');
      waiters = Array.from({ length: 8 }, () => startCli(box, ['credential-process', '-p', 'prod']));
      for (const waiter of waiters) await waiter.waitForStderr(WAITING);
      await terminal.type(`${CODE}\r`);
    });
    const results = await Promise.all(waiters.map((waiter) => waiter.result()));

    expect(holder.code, holder.transcript).toBe(0);
    sessionFrom(holder.stdout);
    expect(holder.transcript.match(/MFA code for prod/g)).toHaveLength(1);
    for (const result of results) {
      expectSucceeded(result);
      expect(result.stdout).toBe(holder.stdout);
      expect(result.stderr).not.toContain('MFA code');
    }
    const requests = await moto.recordedRequests();
    expect(requests.filter((request) => request.action === 'GetSessionToken').map((request) => request.body.get('TokenCode'))).toEqual([
      CODE,
    ]);
    expectNothingLeft(box);
  });

  it('a caller waits while a live holder keeps its prompt open past the stale time, then reuses its session', async () => {
    const box = sandbox();
    setUpProd(box);
    let waiter: BackgroundCli | undefined;

    const holder = await box.runInPty([cliPath, 'login', '-p', 'prod'], async (terminal) => {
      await terminal.waitForText('MFA code for prod');
      waiter = startCli(box, ['credential-process', '-p', 'prod']);
      await waiter.waitForStderr(`${WAITING} to get a session for prod`);
      // Twice the 4 s after which a lock counts as stale: a live holder's heartbeat keeps it.
      // Taking it over would make this waiter prompt, and with no terminal fail.
      await sleep(9_000);
      expect(waiter.running).toBe(true);
      expect(existsSync(profileLockPath(box, 'prod'))).toBe(true);
      await terminal.type(`${CODE}\r`);
    });
    const result = await (waiter as BackgroundCli).result();

    expect(holder.code, holder.transcript).toBe(0);
    expectSucceeded(result);
    const session = sessionFrom(result.stdout);
    const sections = await expectProdFileIntact(box, { withSession: true });
    expect(sections.prod?.aws_session_token).toBe(session.SessionToken);
    expect(await moto.countCalls('GetSessionToken')).toBe(1);
    expectNothingLeft(box);
  });

  it('a holder stopped (SIGSTOP) past the stale time keeps its lock: waiters wait, and after SIGCONT reuse its session', async () => {
    const box = sandbox();
    setUpProd(box);
    const pidFile = join(box.home, 'holder.pid');
    let waiters: BackgroundCli[] = [];

    // Not tmux's own child, which tmux would continue at once: a child of a shell that waits for it.
    const holder = await box.runInPty(
      ['/bin/sh', '-c', 'file="$1"; shift; "$@" & echo $! >"$file"; wait $!', 'sh', pidFile, cliPath, 'login', '-p', 'prod'],
      async (terminal) => {
        await terminal.waitForText('MFA code for prod');
        const holderPid = Number(readFileSync(pidFile, 'utf8'));
        // A stopped holder refreshes nothing, as one that a loaded machine does not run for seconds.
        process.kill(holderPid, 'SIGSTOP');
        try {
          waiters = Array.from({ length: 4 }, () => startCli(box, ['credential-process', '-p', 'prod']));
          for (const waiter of waiters) await waiter.waitForStderr(`${WAITING} to get a session for prod`);
          // Past the 4 s after which a heartbeat counts as stale (about 5 s with mtime rounding).
          // Taking the lock over would make a waiter prompt, and with no terminal fail.
          await sleep(7_000);
          for (const waiter of waiters) expect(waiter.running, waiter.stderr).toBe(true);
          expect(existsSync(profileLockPath(box, 'prod'))).toBe(true);
        } finally {
          process.kill(holderPid, 'SIGCONT');
        }
        await terminal.type(`${CODE}\r`);
      },
    );
    const results = await Promise.all(waiters.map((waiter) => waiter.result()));

    expect(holder.code, holder.transcript).toBe(0);
    const sections = await expectProdFileIntact(box, { withSession: true });
    for (const result of results) {
      expectSucceeded(result);
      expect(sessionFrom(result.stdout).SessionToken).toBe(sections.prod?.aws_session_token);
    }
    const requests = await moto.recordedRequests();
    expect(requests.filter((request) => request.action === 'GetSessionToken').map((request) => request.body.get('TokenCode'))).toEqual([
      CODE,
    ]);
    expectNothingLeft(box);
  });
});

describe('the credentials file under parallel logins', () => {
  it('8 logins to 8 profiles in one file keep all 8 sessions and every other byte', async () => {
    const box = sandbox();
    const profiles = Array.from({ length: 8 }, (_, index) => `p${index + 1}`);
    const original = [
      '# Team credentials: comments, order and blank lines must survive.',
      '',
      ...profiles.flatMap((profile, index) => [
        `; long-term keys of ${profile}`,
        `[${profile}-long-term]`,
        `aws_access_key_id = AKIALONGTERM${String(index + 1).padStart(8, '0')}`,
        `aws_secret_access_key = secret-of-${profile}`,
        '',
      ]),
    ].join('\n');
    box.writeCredentials(original);
    box.writeConfig(profiles.map((profile) => `[profile ${profile}]\nmfa_serial = ${serialOf(profile)}\n`).join('\n'));

    const logins = profiles.map((profile) => startCli(box, ['login', '-p', profile, '--code', CODE]));
    const results = await Promise.all(logins.map((login) => login.result()));

    for (const result of results) expectSucceeded(result);
    const text = credentialsText(box);
    expect(text.startsWith(original)).toBe(true);
    const appended = [...text.slice(original.length).matchAll(/^\[([^\]]+)\]$/gm)].map((match) => match[1]);
    expect(appended.sort()).toEqual(profiles);
    const sections = await readLikeAwsCli(box);
    profiles.forEach((profile, index) => {
      expect(Object.keys(sections[profile] ?? {}).sort()).toEqual([...SESSION_KEYS].sort());
      expect(sections[`${profile}-long-term`]).toEqual({
        aws_access_key_id: `AKIALONGTERM${String(index + 1).padStart(8, '0')}`,
        aws_secret_access_key: `secret-of-${profile}`,
      });
    });
    const serials = (await moto.recordedRequests())
      .filter((request) => request.action === 'GetSessionToken')
      .map((request) => request.body.get('SerialNumber'));
    expect(serials.sort()).toEqual(profiles.map(serialOf).sort());
    expectNothingLeft(box);
  });

  it('parallel login, credential-process and env for one profile make one STS call and one [prod]', async () => {
    const box = sandbox();
    setUpProd(box);
    const commands = [
      ...Array.from({ length: 6 }, () => ['login', '-p', 'prod', '--code', CODE]),
      ...Array.from({ length: 6 }, () => ['credential-process', '-p', 'prod', '--code', CODE]),
      ...Array.from({ length: 4 }, () => ['env', '-p', 'prod', '--code', CODE]),
    ];

    const results = await Promise.all(commands.map((args) => startCli(box, args).result()));

    for (const result of results) expectSucceeded(result);
    expect(await moto.countCalls('GetSessionToken')).toBe(1);
    const sections = await expectProdFileIntact(box, { withSession: true });
    for (const result of results.slice(6, 12)) expect(sessionFrom(result.stdout).SessionToken).toBe(sections.prod?.aws_session_token);
    for (const result of results.slice(12)) expect(result.stdout).toContain(`AWS_SESSION_TOKEN=`);
    expect(credentialsText(box).match(/^\[prod\]$/gm)).toHaveLength(1);
    expectNothingLeft(box);
  });
});

describe('killed processes', () => {
  it('a login killed at its prompt leaves a lock the next run takes over within seconds, and nothing else', async () => {
    const box = sandbox();
    setUpProd(box);
    const pidFile = join(box.home, 'holder.pid');
    const lockPath = profileLockPath(box, 'prod');

    const holder = await box.runInPty(
      ['/bin/sh', '-c', 'echo $$ >"$1"; shift; exec "$@"', 'sh', pidFile, cliPath, 'login', '-p', 'prod'],
      async (terminal) => {
        await terminal.waitForText('MFA code for prod');
        expect(existsSync(lockPath)).toBe(true);
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      },
    );
    expect(holder.signal).toBe(9);
    // No exit handler runs on SIGKILL: the lock stays until it goes stale.
    expect(existsSync(lockPath)).toBe(true);

    const started = Date.now();
    const next = await box.runCli(['credential-process', '-p', 'prod', '--code', CODE], { timeoutMs: TAKEOVER_BOUND_MS });
    console.info(`takeover of a killed holder's lock: the next run took ${Date.now() - started} ms`);

    expectSucceeded(next);
    sessionFrom(next.stdout);
    expect(await moto.countCalls('GetSessionToken')).toBe(1);
    expect(credentialsText(box)).toBe(PROD_CREDENTIALS);
    expectNothingLeft(box);
  });

  it('stale lock folders left by killed processes are taken over by 8 parallel logins: one STS call', async () => {
    const box = sandbox();
    setUpProd(box);
    const longAgo = new Date(Date.now() - 10 * 60 * 1000);
    for (const lock of [profileLockPath(box, 'prod'), credentialsLockPath(box)]) {
      mkdirSync(lock, { recursive: true, mode: 0o700 });
      utimesSync(lock, longAgo, longAgo);
    }

    const logins = Array.from({ length: 8 }, () => startCli(box, ['login', '-p', 'prod', '--code', CODE]));
    const results = await Promise.all(logins.map((login) => login.result(TAKEOVER_BOUND_MS)));

    for (const result of results) expectSucceeded(result);
    expect(await moto.countCalls('GetSessionToken')).toBe(1);
    await expectProdFileIntact(box, { withSession: true });
    expectNothingLeft(box);
  });

  it('logins killed at random moments never leave a broken file or a lock that blocks the next run', async () => {
    const box = sandbox();
    setUpProd(box);
    const random = seededRandom(20_261_122);
    const killed = new Set<number>();
    const iterations = 15;

    for (let iteration = 0; iteration < iterations; iteration++) {
      // Killed anywhere from start-up to the file write (a login takes about 250-500 ms here).
      const victim = startCli(box, ['login', '-p', 'prod', '--code', CODE, '--force']);
      await sleep(Math.floor(random() * 600));
      if (victim.running) victim.kill('SIGKILL');
      const outcome = await victim.result();
      if (outcome.signal === 'SIGKILL') killed.add(victim.pid);
      else expectSucceeded(outcome);
      await expectProdFileIntact(box, { withSession: false });

      const next = await box.runCli(['login', '-p', 'prod', '--code', CODE], { timeoutMs: TAKEOVER_BOUND_MS });
      expectSucceeded(next);
      await expectProdFileIntact(box, { withSession: true });
      const left = leftovers(box);
      // The next login took the credentials file's lock, so a stale one is gone. It took the
      // profile's lock only if the cache did not have a session: otherwise a stale one may stay,
      // harmless, until a refresh takes it over.
      const reused = next.stderr.includes('reused the cached session');
      expect(left.locks).toEqual(
        reused && existsSync(profileLockPath(box, 'prod')) ? [relative(box.home, profileLockPath(box, 'prod'))] : [],
      );
      expect(left.other).toEqual([]);
      // A temporary file can only come from a process killed between creating and renaming it.
      for (const file of left.temporaryFiles) expect(killed).toContain(temporaryFilePid(file));
    }

    const cached = await box.runCli(['credential-process', '-p', 'prod']);
    expectSucceeded(cached);
    expect(sessionFrom(cached.stdout).SessionToken).toBe((await readLikeAwsCli(box)).prod?.aws_session_token);
    const leftAfterKills = leftovers(box);
    // A refresh takes over (and then removes) whatever lock a killed login left.
    expectSucceeded(await box.runCli(['login', '-p', 'prod', '--code', CODE, '--force'], { timeoutMs: TAKEOVER_BOUND_MS }));
    expect(leftovers(box).locks).toEqual([]);
    console.info(`SIGKILL loop: ${killed.size} of ${iterations} logins killed; left behind: ${JSON.stringify(leftAfterKills)}`);
  });
});
