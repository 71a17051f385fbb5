import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../aws/fake-aws.js';
import { useBackgroundClis } from './harness/background.js';
import { useMoto } from './harness/moto.js';
import type { RunResult } from './harness/process.js';
import { Sandbox, useSandbox } from './harness/sandbox.js';
import { longTermSection, mfaSerial } from './harness/session-fixtures.js';
import { SilentServer } from './harness/unresponsive-servers.js';

// Issue 10, defect 3: when the process that holds a session's lock fails (STS refused or
// unreachable, no code), the processes waiting for it report that same failure instead of each
// asking for a code and calling STS in turn. A holder that is killed is still taken over.

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });
const CALLERS = 8;

const start = useBackgroundClis();
beforeEach(() => moto.reset());

/**
 * [profile prod] (or a role of it) whose code comes from a mfa_process that counts its runs in a
 * file and takes `seconds` first, so that every caller is waiting before the holder calls STS.
 */
function setUp(box: Sandbox, seconds: number): () => number {
  const counter = join(box.home, 'mfa-process-runs');
  box.writeCredentials(longTermSection('prod'));
  box.writeConfig(
    [
      '[profile prod]',
      `mfa_serial = ${mfaSerial}`,
      `mfa_process = echo run >> ${counter}; sleep ${seconds}; echo 123456`,
      '[profile admin]',
      'role_arn = arn:aws:iam::111111111111:role/admin',
      'source_profile = prod',
      '',
    ].join('\n'),
  );
  return () => {
    try {
      return readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
}

async function runCallers(box: Sandbox, profile: string, timeoutMs: number): Promise<RunResult[]> {
  const callers = Array.from({ length: CALLERS }, () => start(box, ['credential-process', '-p', profile]));
  return Promise.all(callers.map((caller) => caller.result(timeoutMs)));
}

/** Every caller failed with exit 1 and the same last line; the waiters said they waited. */
function expectOneFailureForAll(results: RunResult[], words: readonly string[]): void {
  const lastLines = results.map((result) => result.stderr.trimEnd().split('\n').at(-1) ?? '');
  for (const result of results) expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
  expect(new Set(lastLines).size, lastLines.join('\n')).toBe(1);
  for (const word of words) expect(lastLines[0]).toContain(word);
  expect(results.filter((result) => result.stderr.includes('waiting for another aws-mfa'))).toHaveLength(CALLERS - 1);
}

describe('a lock holder that fails', () => {
  it.each([
    ['a profile', 'prod'],
    ['a role whose root it is', 'admin'],
  ])('with STS unreachable (nothing listening): all 8 callers of %s report its failure; mfa_process ran once', async (_what, profile) => {
    const port = await closedPort();
    const box = new Sandbox({ endpointUrl: `http://127.0.0.1:${port}`, region: 'us-east-1' });
    try {
      const mfaProcessRuns = setUp(box, 2);

      const results = await runCallers(box, profile, 60_000);

      expectOneFailureForAll(results, ['GetSessionToken failed', 'connection refused']);
      expect(mfaProcessRuns()).toBe(1);
    } finally {
      box.remove();
    }
  });

  it('with an STS that accepts and never answers: one request, one mfa_process run, every caller fails with it', {
    timeout: 120_000,
  }, async () => {
    const server = await SilentServer.start();
    const box = new Sandbox({ endpointUrl: server.url, region: 'us-east-1' });
    try {
      const mfaProcessRuns = setUp(box, 1);

      const results = await runCallers(box, 'prod', 90_000);

      expectOneFailureForAll(results, ['GetSessionToken failed', 'timed out']);
      expect(server.connections).toBe(1);
      expect(mfaProcessRuns()).toBe(1);
    } finally {
      box.remove();
      await server.close();
    }
  });

  it('leaves nothing that stops the next run: a later caller tries again, and succeeds', async () => {
    const box = sandbox();
    const mfaProcessRuns = setUp(box, 0);
    const port = await closedPort();
    const failed = await box.runCli(['credential-process', '-p', 'prod'], { env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` } });
    expect(failed.code).toBe(1);

    const later = await box.runCli(['credential-process', '-p', 'prod']);

    expect(later.code, later.stderr).toBe(0);
    expect(mfaProcessRuns()).toBe(2);
  });
});

describe('a lock holder that is killed', () => {
  it('is taken over as before: a waiter gets its own code and session', async () => {
    const box = sandbox();
    const mfaProcessRuns = setUp(box, 30);
    const holder = start(box, ['credential-process', '-p', 'prod']);
    while (mfaProcessRuns() === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    box.writeConfig(readFileSync(box.configPath, 'utf8').replace('sleep 30', 'sleep 0'));
    const waiter = start(box, ['credential-process', '-p', 'prod']);
    await waiter.waitForStderr('waiting for another aws-mfa');

    holder.kill();
    const result = await waiter.result();

    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Version: 1 });
    expect(mfaProcessRuns()).toBe(2);
  });
});
