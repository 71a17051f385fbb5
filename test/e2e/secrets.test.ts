/**
 * A sweep for secrets, end to end: every command of a user's day (and its failures), each with
 * --debug, then a search of everything observable: stdout and stderr of every run, every file under
 * HOME, the argv of every child process aws-mfa started (recorded inside aws-mfa by
 * harness/record-spawns.mjs, and by the children themselves), and the environment of those children.
 *
 * - The long-term secret and the TOTP seed (as stored, lower case, grouped as pasted) appear in no
 *   output, no argv, no child's environment, and no file: in the keychain flow nowhere under HOME,
 *   in the file flow only in [prod-long-term] of the credentials file.
 * - The long-term key id appears in no output in full, --debug included: masked (`AKIA…0001`) at most.
 * - The session's key id, secret and token appear only in the protocol outputs (credential-process
 *   and env stdout, exec's child environment), in [prod] of the credentials file and in the cache.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPort, errorReply, FakeSts } from '../aws/fake-aws.js';
import { cachedSessionPath, clearKeychain, filesContaining } from './harness/keychain-tools.js';
import { useKeyring } from './harness/keyring.js';
import { useMoto } from './harness/moto.js';
import { repoRoot } from './harness/paths.js';
import type { RunResult } from './harness/process.js';
import { recordedChildren, recordedSpawns, writeRecorderScript } from './harness/recorders.js';
import { expectNoSecrets } from './harness/refusals.js';
import { type EnvOverrides, type Sandbox, useSandbox } from './harness/sandbox.js';
import { describeRun, mfaSerial, motoSession, sectionOf } from './harness/session-fixtures.js';
import { randomSeed } from './harness/totp-tools.js';

const moto = useMoto();
const keyring = useKeyring();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

const LONG_TERM = { accessKeyId: 'AKIASECRETSWEEP00001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiSWEEPSECRET1' } as const;
const LONG_TERM_ENV = { AWS_ACCESS_KEY_ID: LONG_TERM.accessKeyId, AWS_SECRET_ACCESS_KEY: LONG_TERM.secretAccessKey };
const MASKED_KEY_ID = 'AKIA…0001';
/** Given with --code in the failing runs, and printed by mfa_process: a one-time code is a secret too. */
const TYPED_CODE = '135791';
const MFA_PROCESS_CODE = '975319';
const RECORD_SPAWNS_HOOK = join(repoRoot, 'test', 'e2e', 'harness', 'record-spawns.mjs');

/** One run of a flow: its argv and what it printed. */
interface Run {
  args: readonly string[];
  result: RunResult;
}

let wrongCodeSts: FakeSts;
let unreachableSts: string;
let scratch: string;

beforeAll(async () => {
  wrongCodeSts = await FakeSts.start();
  wrongCodeSts.reply = errorReply(403, 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ');
  unreachableSts = `http://127.0.0.1:${await closedPort()}`;
});
afterAll(() => wrongCodeSts.close());
beforeEach(async () => {
  await moto.reset();
  await clearKeychain(keyring());
  wrongCodeSts.requests.length = 0;
  scratch = mkdtempSync(join(tmpdir(), 'aws-mfa-secrets-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** Records the runs of one flow: every one with --debug, the test keyring and the spawn recorder. */
class Flow {
  readonly runs: Run[] = [];
  readonly spawnLog: string;

  constructor(private readonly box: Sandbox) {
    this.spawnLog = join(scratch, 'spawns.jsonl');
  }

  async run(args: readonly string[], options: { env?: EnvOverrides; stdin?: string; exit?: number } = {}): Promise<RunResult> {
    const debugArgs = ['--debug', ...args];
    const env = { ...keyring().env, NODE_OPTIONS: `--import=${RECORD_SPAWNS_HOOK}`, RECORD_SPAWNS_TO: this.spawnLog, ...options.env };
    const result = await this.box.runCli(debugArgs, { env, stdin: options.stdin });
    expect(result.code, `aws-mfa ${debugArgs.join(' ')}\n${describeRun(result)}`).toBe(options.exit ?? 0);
    this.runs.push({ args: debugArgs, result });
    return result;
  }

  /** Every run's stdout and stderr but the named protocol outputs, which are allowed the session. */
  outputsBut(protocol: readonly RunResult[]): string[] {
    return this.runs.flatMap(({ result }) => (protocol.includes(result) ? [result.stderr] : [result.stdout, result.stderr]));
  }

  everyOutput(): string[] {
    return this.runs.flatMap(({ result }) => [result.stdout, result.stderr]);
  }

  /** The argv of every child aws-mfa started, as recorded inside aws-mfa. */
  spawnedArgv(): string[] {
    return recordedSpawns(this.spawnLog).map((argv) => argv.join(' '));
  }
}

/** The forms a seed is pasted or stored in: as given, lower case, in groups of four, both. */
function seedForms(seed: string): string[] {
  const grouped = seed.match(/.{1,4}/g)?.join(' ') ?? seed;
  return [seed, seed.toLowerCase(), grouped, grouped.toLowerCase()];
}

function expectAbsent(texts: readonly string[], needles: readonly string[], where: string): void {
  for (const text of texts) {
    for (const needle of needles) expect(text.includes(needle), `${where} holds ${JSON.stringify(needle)}: ${text}`).toBe(false);
  }
}

/** A 6-digit code, not as part of a longer number (a port, a date): a random code could be that by chance. */
function expectNoCode(texts: readonly string[], codes: readonly string[], where: string): void {
  for (const text of texts) {
    for (const code of codes)
      expect(new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text), `${where} holds the code ${code}: ${text}`).toBe(false);
  }
}

interface IssuedSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly all: readonly string[];
}

/** The session that moto issued, as credential-process printed it. */
function sessionFrom(credentialProcessOutput: string): IssuedSession {
  const { AccessKeyId, SecretAccessKey, SessionToken } = JSON.parse(credentialProcessOutput) as Record<string, string>;
  expect(AccessKeyId).toBe(motoSession.accessKeyId);
  const [accessKeyId = '', secretAccessKey = '', sessionToken = ''] = [AccessKeyId, SecretAccessKey, SessionToken];
  return { accessKeyId, secretAccessKey, sessionToken, all: [accessKeyId, secretAccessKey, sessionToken] };
}

function serialOf(profile: string): string {
  return `arn:aws:iam::123456789012:mfa/${profile}`;
}

describe('keys and seeds in the keychain', () => {
  it('no secret in any output, argv, child environment or file; the session only where its protocol puts it', async () => {
    const box = sandbox();
    const flow = new Flow(box);
    const child = writeRecorderScript(scratch, 'child');
    // A device each: a time step is used once per device, and no run here waits for the next one.
    const seeds = { prod: randomSeed(), svc: randomSeed(), tool: randomSeed(), wrong: randomSeed() };
    for (const [profile, seed] of Object.entries(seeds)) {
      await flow.run(['add', profile, '--env', '--totp', '--mfa-serial', serialOf(profile)], { env: LONG_TERM_ENV, stdin: `${seed}\n` });
    }
    await flow.run(['add', 'unreachable', '--env', '--mfa-serial', serialOf('unreachable')], { env: LONG_TERM_ENV });

    await flow.run(['configure', 'svc']);
    const login = await flow.run(['login', '-p', 'prod']);
    const credentialProcess = await flow.run(['credential-process', '-p', 'prod']);
    const env = await flow.run(['env', '-p', 'prod']);
    await flow.run(['exec', '-p', 'prod', '--', child, 'an-argument']);
    await flow.run(['list']);
    const listJson = await flow.run(['list', '--json']);
    const code = await flow.run(['code', 'tool']);
    const svcProcess = await flow.run(['credential-process', '-p', 'svc']);
    // Failing runs: a code AWS refuses (computed from the seed), no network, bad input.
    const wrongCode = await flow.run(['login', '-p', 'wrong'], { env: { AWS_ENDPOINT_URL: wrongCodeSts.url }, exit: 1 });
    const unreachable = await flow.run(['credential-process', '-p', 'unreachable', '--code', TYPED_CODE], {
      env: { AWS_ENDPOINT_URL: unreachableSts },
      exit: 1,
    });
    await flow.run(['login', '-p', 'prod', '--force', '--duration', '1s'], { exit: 2 });
    await flow.run(['add', 'pasted', '--env', '--totp'], { env: LONG_TERM_ENV, stdin: `${seeds.prod.toLowerCase()}!\n`, exit: 2 });
    await flow.run(['add', 'spaced', '--env'], {
      env: { ...LONG_TERM_ENV, AWS_SECRET_ACCESS_KEY: `${LONG_TERM.secretAccessKey} x` },
      exit: 2,
    });
    await flow.run(['clear', 'prod']);
    await flow.run(['remove', 'prod', '--force']);

    const longTermSecrets = [LONG_TERM.secretAccessKey, ...Object.values(seeds).flatMap(seedForms)];
    const session = sessionFrom(credentialProcess.stdout);
    const sentCodes = wrongCodeSts.requests.map((request) => request.params.get('TokenCode') ?? '');
    expect(sentCodes).toHaveLength(1);

    // Outputs: no long-term secret, seed, full long-term key id or code; the session only in protocol outputs.
    expectAbsent(flow.everyOutput(), [...longTermSecrets, LONG_TERM.accessKeyId], 'an output');
    expectNoCode(flow.outputsBut([code]), [TYPED_CODE, ...sentCodes], 'an output');
    expectAbsent(flow.outputsBut([credentialProcess, env, svcProcess]), session.all, 'a non-protocol output');
    for (const { result } of flow.runs) expectNoSecrets(expect, result.stderr, []);
    expect(credentialProcess.stdout).toContain(session.secretAccessKey);
    expect(env.stdout).toContain(session.sessionToken);
    expect(code.stdout).toMatch(/^\d{6}\n$/);
    expect(listJson.stdout).toContain(MASKED_KEY_ID);
    for (const run of [login, wrongCode, unreachable]) expect(run.stderr).toContain('aws-mfa[debug]: ');

    // Files: the long-term secret and the seeds nowhere under HOME; the session in [prod] and svc's cache.
    expect(filesContaining(box.home, longTermSecrets)).toEqual([]);
    const svcCache = cachedSessionPath(box.cacheHome, 'svc').slice(box.home.length + 1);
    expect(filesContaining(box.home, [session.secretAccessKey]).sort()).toEqual(['.aws/credentials', svcCache]);
    expect(sectionOf(readFileSync(box.credentialsPath, 'utf8'), 'prod')).toMatchObject({ aws_secret_access_key: session.secretAccessKey });
    expect(readFileSync(box.credentialsPath, 'utf8').split(session.secretAccessKey)).toHaveLength(2);

    // Children: no secret in any argv; exec's child has the session in its environment, never the long-term keys or a seed.
    const spawned = flow.spawnedArgv();
    expect(spawned).toContain(`${child} an-argument`);
    expectAbsent(spawned, [...longTermSecrets, LONG_TERM.accessKeyId, ...session.all], 'an argv');
    expectNoCode(spawned, [TYPED_CODE, ...sentCodes], 'an argv');
    const [execChild, ...others] = recordedChildren(scratch, 'child');
    expect(others).toEqual([]);
    expect(execChild?.argv.slice(1)).toEqual([child, 'an-argument']);
    expect(execChild?.env).toMatchObject({
      AWS_ACCESS_KEY_ID: session.accessKeyId,
      AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
      AWS_SESSION_TOKEN: session.sessionToken,
    });
    expectAbsent(Object.values(execChild?.env ?? {}), [...longTermSecrets, LONG_TERM.accessKeyId], "exec's child environment");
  });
});

describe('keys in [prod-long-term] of the credentials file, the code from mfa_process', () => {
  it('the long-term secret only in [prod-long-term]; no secret in any output, argv or child environment', async () => {
    const box = sandbox();
    const flow = new Flow(box);
    const child = writeRecorderScript(scratch, 'child');
    const mfaProcess = writeRecorderScript(scratch, 'mfa-process', `${MFA_PROCESS_CODE}\n`);
    box.writeCredentials(
      `[prod-long-term]\naws_access_key_id = ${LONG_TERM.accessKeyId}\naws_secret_access_key = ${LONG_TERM.secretAccessKey}\n`,
    );
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\nmfa_process = ${mfaProcess}\n`);

    await flow.run(['login', '-p', 'prod']);
    const credentialProcess = await flow.run(['credential-process', '-p', 'prod']);
    const env = await flow.run(['env', '-p', 'prod', '--shell', 'fish']);
    await flow.run(['exec', '-p', 'prod', '--', child]);
    await flow.run(['list']);
    await flow.run(['list', '--json']);
    await flow.run(['clear', 'prod']);
    const again = await flow.run(['credential-process', '-p', 'prod']);
    await flow.run(['login', '-p', 'prod', '--force'], { env: { AWS_ENDPOINT_URL: wrongCodeSts.url }, exit: 1 });
    await flow.run(['env', '-p', 'prod', '--force', '--code', TYPED_CODE], { env: { AWS_ENDPOINT_URL: unreachableSts }, exit: 1 });
    await flow.run(['exec', '-p', 'prod', '--duration', '99h', '--', child], { exit: 2 });

    const session = sessionFrom(credentialProcess.stdout);
    expect(wrongCodeSts.requests.map((request) => request.params.get('TokenCode'))).toEqual([MFA_PROCESS_CODE]);

    const longTerm = [LONG_TERM.secretAccessKey, LONG_TERM.accessKeyId];
    const codes = [TYPED_CODE, MFA_PROCESS_CODE];
    expectAbsent(flow.everyOutput(), longTerm, 'an output');
    expectNoCode(flow.everyOutput(), codes, 'an output');
    expectAbsent(flow.outputsBut([credentialProcess, env, again]), session.all, 'a non-protocol output');
    for (const { result } of flow.runs) expectNoSecrets(expect, result.stderr, []);

    expect(filesContaining(box.home, [LONG_TERM.secretAccessKey])).toEqual(['.aws/credentials']);
    const credentials = readFileSync(box.credentialsPath, 'utf8');
    expect(credentials.split(LONG_TERM.secretAccessKey)).toHaveLength(2);
    expect(sectionOf(credentials, 'prod-long-term')?.aws_secret_access_key).toBe(LONG_TERM.secretAccessKey);
    const prodCache = cachedSessionPath(box.cacheHome, 'prod').slice(box.home.length + 1);
    expect(filesContaining(box.home, [session.secretAccessKey]).sort()).toEqual(['.aws/credentials', prodCache]);

    expectAbsent(flow.spawnedArgv(), [...longTerm, ...session.all], 'an argv');
    expectNoCode(flow.spawnedArgv(), codes, 'an argv');
    const mfaRuns = recordedChildren(scratch, 'mfa-process');
    expect(mfaRuns).toHaveLength(3);
    for (const run of mfaRuns) {
      expect(run.argv.slice(1)).toEqual([mfaProcess]);
      expectAbsent(Object.values(run.env), [LONG_TERM.secretAccessKey, ...session.all], "mfa_process's environment");
    }
    const execChildren = recordedChildren(scratch, 'child');
    expect(execChildren).toHaveLength(1);
    expectAbsent(Object.values(execChildren[0]?.env ?? {}), [LONG_TERM.secretAccessKey, LONG_TERM.accessKeyId], "exec's child environment");
  });
});
