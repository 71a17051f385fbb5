import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsMfaError } from '../../src/core/errors.js';
import { runMfaProcess } from '../../src/mfa/mfa-process.js';

const env = { PATH: process.env.PATH };

async function failure(
  command: string,
  options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<AwsMfaError> {
  const error = await runMfaProcess(command, { env, ...options }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AwsMfaError)) throw new Error(`expected an AwsMfaError, got ${String(error)}`);
  return error;
}

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'aws-mfa-mfa-process-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('runMfaProcess', () => {
  it('returns the code the command prints', async () => {
    expect(await runMfaProcess('echo 123456', { env })).toBe('123456');
  });

  it('trims whitespace and the newline around the code', async () => {
    expect(await runMfaProcess("printf ' 654321\\r\\n'", { env })).toBe('654321');
  });

  it('runs the command through the shell, with the environment given', async () => {
    expect(await runMfaProcess('echo "$CODE_FROM_ENV" | tr -d x', { env: { ...env, CODE_FROM_ENV: 'x111222x' } })).toBe('111222');
  });

  it('does not take stderr into the code', async () => {
    expect(await runMfaProcess('echo touch your key >&2; echo 246810', { env })).toBe('246810');
  });

  it('gives the command no stdin', async () => {
    expect(await runMfaProcess('read line || echo 135790', { env })).toBe('135790');
  });

  it('returns the code even when something it started keeps stdout open', async () => {
    const started = Date.now();
    expect(await runMfaProcess('sleep 3 & echo 112233', { env, timeoutMs: 2000 })).toBe('112233');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports the exit status', async () => {
    const error = await failure('echo 123456; exit 3');
    expect(error.toLine()).toBe('aws-mfa: mfa_process failed: exited with status 3 (check mfa_process in the config profile)');
    expect(error.exitCode).toBe(1);
  });

  it('reports the signal that killed it', async () => {
    expect((await failure('kill -TERM $$')).why).toBe('killed by signal SIGTERM');
  });

  it.each([
    ['7 digits', 'echo 1234567'],
    ['5 digits', 'echo 12345'],
    ['letters', 'echo hunter2-secret'],
    ['two codes', 'echo 123456; echo 654321'],
    ['nothing', 'true'],
  ])('refuses output of %s, without repeating it', async (_what, command) => {
    const error = await failure(command);
    expect(error.toLine()).toBe('aws-mfa: mfa_process failed: printed no 6-digit code (it must print only the code on stdout)');
  });

  it('refuses more than 64 KiB of output', async () => {
    expect((await failure('yes 123456 | head -c 200000')).why).toBe('printed more than 64 KiB');
  });

  it('times out, and stops everything the command started', async () => {
    const marker = join(folder, 'still-running');
    const error = await failure(`sleep 1; touch '${marker}'; echo 123456`, { timeoutMs: 300 });
    expect(error.toLine()).toBe('aws-mfa: mfa_process failed: timed out after 0.3 s (check mfa_process in the config profile)');
    await sleep(1500);
    expect(existsSync(marker)).toBe(false);
  });

  it('kills what ignores SIGTERM after a grace period', async () => {
    const marker = join(folder, 'still-running');
    const error = await failure(`trap '' TERM; sleep 2; touch '${marker}'`, { timeoutMs: 300 });
    expect(error.why).toBe('timed out after 0.3 s');
    await sleep(2500);
    expect(existsSync(marker)).toBe(false);
  });

  it('shows the command in debug lines, never its output', async () => {
    for (const command of ["printf 'sec%s\\n' ret-output", "printf '%s\\n' 135 79 0"]) {
      const lines: string[] = [];
      await runMfaProcess(command, { env, debug: (line) => lines.push(line) }).catch(() => undefined);
      expect(lines).toEqual([`running mfa_process: ${command}`, 'mfa_process ended with status 0']);
    }
  });
});
