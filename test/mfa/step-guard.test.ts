import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsMfaError } from '../../src/core/errors.js';
import { claimTimeStep, type StepGuardDependencies } from '../../src/mfa/step-guard.js';
import { builtModule } from '../e2e/harness/paths.js';

const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const OTHER_SERIAL = 'GAHT12345678';
const STEP_MS = 30_000;
/** 10 s into time step 60 000 000. */
const START_MS = 60_000_000 * STEP_MS + 10_000;
const START_STEP = 60_000_000;

interface FakeGuard {
  readonly deps: StepGuardDependencies;
  readonly notices: string[];
  readonly sleeps: number[];
  nowMs: number;
}

/** A fake clock that moves only when the guard sleeps (by `sleepFraction` of what it asked for). */
function fakeGuard(cacheDirectory: string, startMs = START_MS, sleepFraction = 1): FakeGuard {
  const guard: FakeGuard = {
    notices: [],
    sleeps: [],
    nowMs: startMs,
    deps: {
      cacheDirectory,
      now: () => new Date(guard.nowMs),
      sleep: async (ms) => {
        guard.sleeps.push(ms);
        guard.nowMs += Math.ceil(ms * sleepFraction);
      },
      notice: (text) => guard.notices.push(text),
    },
  };
  return guard;
}

function stepFiles(cacheDirectory: string): string[] {
  return readdirSync(join(cacheDirectory, 'totp-steps')).map((name) => join(cacheDirectory, 'totp-steps', name));
}

let cacheDirectory: string;

beforeEach(() => {
  cacheDirectory = mkdtempSync(join(tmpdir(), 'aws-mfa-step-guard-'));
});

afterEach(() => {
  rmSync(cacheDirectory, { recursive: true, force: true });
});

describe('claimTimeStep', () => {
  it('claims the current step when none was used', async () => {
    const guard = fakeGuard(cacheDirectory);
    expect(await claimTimeStep(SERIAL, guard.deps)).toBe(START_STEP);
    expect(guard.notices).toEqual([]);
    expect(guard.sleeps).toEqual([]);
  });

  it('waits for the next step when this one was used, and says so', async () => {
    const guard = fakeGuard(cacheDirectory);
    await claimTimeStep(SERIAL, guard.deps);
    expect(await claimTimeStep(SERIAL, guard.deps)).toBe(START_STEP + 1);
    expect(guard.notices).toEqual(['aws-mfa: the MFA code for this 30 s step was already used; waiting 20s for the next one\n']);
    expect(guard.sleeps).toEqual([20_000]);
    expect(guard.nowMs).toBe((START_STEP + 1) * STEP_MS);
  });

  it('keeps sleeping while the clock says the step has not begun', async () => {
    const guard = fakeGuard(cacheDirectory, START_MS, 0.5);
    await claimTimeStep(SERIAL, guard.deps);
    expect(await claimTimeStep(SERIAL, guard.deps)).toBe(START_STEP + 1);
    expect(guard.sleeps.length).toBeGreaterThan(1);
    expect(guard.notices).toHaveLength(1);
  });

  it('keeps devices apart', async () => {
    const guard = fakeGuard(cacheDirectory);
    expect(await claimTimeStep(SERIAL, guard.deps)).toBe(START_STEP);
    expect(await claimTimeStep(OTHER_SERIAL, guard.deps)).toBe(START_STEP);
    expect(guard.sleeps).toEqual([]);
    expect(stepFiles(cacheDirectory)).toHaveLength(2);
  });

  it('remembers the used step across runs', async () => {
    await claimTimeStep(SERIAL, fakeGuard(cacheDirectory).deps);
    const nextRun = fakeGuard(cacheDirectory, START_MS + 5_000);
    expect(await claimTimeStep(SERIAL, nextRun.deps)).toBe(START_STEP + 1);
    expect(nextRun.sleeps).toEqual([15_000]);
  });

  it('claims a later step without waiting once the clock has moved on', async () => {
    await claimTimeStep(SERIAL, fakeGuard(cacheDirectory).deps);
    const later = fakeGuard(cacheDirectory, START_MS + 3 * STEP_MS);
    expect(await claimTimeStep(SERIAL, later.deps)).toBe(START_STEP + 3);
    expect(later.sleeps).toEqual([]);
  });

  it('never reuses a recorded step when the clock moved back', async () => {
    await claimTimeStep(SERIAL, fakeGuard(cacheDirectory).deps);
    const movedBack = fakeGuard(cacheDirectory, START_MS - 40_000);
    expect(await claimTimeStep(SERIAL, movedBack.deps)).toBe(START_STEP + 1);
    expect(movedBack.notices[0]).toContain('waiting 60s');
    expect(movedBack.nowMs).toBe((START_STEP + 1) * STEP_MS);
  });

  it('does not wait for a step recorded with a clock far ahead, and says to check the clock', async () => {
    const hourAhead = fakeGuard(cacheDirectory, START_MS + 3_600_000);
    await claimTimeStep(SERIAL, hourAhead.deps);
    const now = fakeGuard(cacheDirectory);
    expect(await claimTimeStep(SERIAL, now.deps)).toBe(START_STEP);
    expect(now.sleeps).toEqual([]);
    expect(now.notices).toEqual(['aws-mfa: an MFA code was made for a time about 3600s ahead of this clock; check the system clock\n']);
    expect(await claimTimeStep(SERIAL, now.deps)).toBe(START_STEP + 1);
  });

  it.each([
    ['garbage', 'not a step\n'],
    ['empty', ''],
    ['negative', '-5\n'],
    ['too large', '9'.repeat(30)],
  ])('treats a %s record as no step used', async (_what, contents) => {
    await claimTimeStep(SERIAL, fakeGuard(cacheDirectory, START_MS - STEP_MS).deps);
    const [stateFile] = stepFiles(cacheDirectory);
    writeFileSync(stateFile as string, contents);
    const guard = fakeGuard(cacheDirectory);
    expect(await claimTimeStep(SERIAL, guard.deps)).toBe(START_STEP);
    expect(guard.sleeps).toEqual([]);
  });

  it('records the step in a 0600 file in a 0700 folder, whatever the umask', async () => {
    const previousUmask = process.umask(0);
    try {
      await claimTimeStep(SERIAL, fakeGuard(cacheDirectory).deps);
    } finally {
      process.umask(previousUmask);
    }
    const [stateFile] = stepFiles(cacheDirectory) as [string];
    expect(readFileSync(stateFile, 'utf8')).toBe(`${START_STEP}\n`);
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(cacheDirectory, 'totp-steps')).mode & 0o777).toBe(0o700);
    expect(statSync(join(cacheDirectory, 'locks')).mode & 0o777).toBe(0o700);
  });

  it('names its files by a hash of the serial, and leaves no lock behind', async () => {
    await claimTimeStep(SERIAL, fakeGuard(cacheDirectory).deps);
    expect(readdirSync(join(cacheDirectory, 'totp-steps'))).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)]);
    expect(readdirSync(join(cacheDirectory, 'locks'))).toEqual([]);
  });

  it('refuses with one line a folder in place of the record', async () => {
    await claimTimeStep(SERIAL, fakeGuard(cacheDirectory).deps);
    const [stateFile] = stepFiles(cacheDirectory) as [string];
    rmSync(stateFile);
    await mkdir(stateFile);
    const error = await claimTimeStep(SERIAL, fakeGuard(cacheDirectory).deps).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AwsMfaError);
    expect((error as AwsMfaError).exitCode).toBe(1);
    expect((error as AwsMfaError).toLine()).toMatch(
      new RegExp(`^aws-mfa: refusing ${stateFile}: it is a directory, not a regular file \\(.*remove it.*\\)$`),
    );
  });

  it('refuses with one line a file in place of the records folder', async () => {
    writeFileSync(join(cacheDirectory, 'totp-steps'), 'a file where the folder should be');
    const error = await claimTimeStep(SERIAL, fakeGuard(cacheDirectory).deps).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AwsMfaError);
    expect((error as AwsMfaError).toLine()).toMatch(/^aws-mfa: refusing \S+totp-steps: it is a file, not a folder \(.*remove it.*\)$/);
  });

  it('gives concurrent claims in one process different steps', async () => {
    const guards = [fakeGuard(cacheDirectory), fakeGuard(cacheDirectory)];
    const steps = await Promise.all(guards.map((guard) => claimTimeStep(SERIAL, guard.deps)));
    expect(steps.sort()).toEqual([START_STEP, START_STEP + 1]);
  });
});

describe('claimTimeStep across processes', () => {
  // The built module (test/e2e/harness/global-setup.ts builds .build/modules), each process with its own
  // fake clock at the same moment: only the inter-process lock keeps their steps apart.
  const stepGuardModule = pathToFileURL(builtModule('mfa', 'step-guard.js')).href;
  const worker = `
const { claimTimeStep } = await import(process.env.STEP_GUARD_MODULE);
let nowMs = Number(process.env.START_MS);
const step = await claimTimeStep(process.env.SERIAL, {
  cacheDirectory: process.env.CACHE_DIRECTORY,
  now: () => new Date(nowMs),
  sleep: async (ms) => { nowMs += ms; },
  notice: () => {},
});
console.log(step);
`;

  function claimInChild(): Promise<number> {
    const env = { ...process.env, STEP_GUARD_MODULE: stepGuardModule, START_MS: String(START_MS), SERIAL, CACHE_DIRECTORY: cacheDirectory };
    const child = spawn(process.execPath, ['--input-type=module', '-e', worker], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(Number(output)) : reject(new Error(`the worker exited with ${code}: ${output}`))));
    });
  }

  it('gives processes that claim at once different steps', async () => {
    await mkdir(cacheDirectory, { recursive: true });
    const steps = await Promise.all([claimInChild(), claimInChild(), claimInChild()]);
    expect(steps.sort()).toEqual([START_STEP, START_STEP + 1, START_STEP + 2]);
  });
});
