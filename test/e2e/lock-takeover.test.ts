import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { builtModule } from './harness/paths.js';
import { killGroup } from './harness/process.js';

// The lock of src/store/lock.ts (built into .build/modules) under a storm of stale-lock takeovers, with
// real processes: each holder checks that it is alone (an owner file created with O_EXCL), and
// some die holding the lock, SIGKILLed with its mtime made old, so that every waiter sees a stale
// lock at once. proper-lockfile's own takeover let two waiters both "hold" the lock (an overlap,
// or a crash on the vanished lock folder) a few times in 100 takeovers; aws-mfa's guarded
// takeover must give none.

const lockModule = pathToFileURL(builtModule('store', 'lock.js')).href;

const worker = `
import fs from "node:fs";
const { withLock } = await import(process.env.LOCK_MODULE);
const { LOCK_PATH, OWNER_PATH } = process.env;
let state = Number(process.env.SEED) >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
for (let round = 0; round < 20; round++) {
  await withLock(LOCK_PATH, { purpose: "the stress test", maxWaitMs: 60000 }, async () => {
    let owner;
    try { owner = fs.openSync(OWNER_PATH, "wx"); } catch { console.log("overlap"); }
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (owner !== undefined) { fs.closeSync(owner); fs.unlinkSync(OWNER_PATH); }
    if (random() < 0.3) {
      const longAgo = new Date(Date.now() - 60000);
      fs.utimesSync(LOCK_PATH, longAgo, longAgo);
      process.kill(process.pid, "SIGKILL");
    }
  });
}
`;

interface WorkerOutcome {
  signal: NodeJS.Signals | null;
  code: number | null;
  stdout: string;
  stderr: string;
}

const folders: string[] = [];
const pids = new Set<number>();

afterEach(() => {
  for (const pid of pids) killGroup(pid);
  pids.clear();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function runWorker(folder: string, seed: number): Promise<WorkerOutcome> {
  const env = {
    ...process.env,
    LOCK_MODULE: lockModule,
    LOCK_PATH: join(folder, 'x.lock'),
    OWNER_PATH: join(folder, 'owner'),
    SEED: String(seed),
  };
  const child = spawn(process.execPath, ['--input-type=module', '-e', worker], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) pids.add(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (child.pid !== undefined) pids.delete(child.pid);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

it('10 processes taking over 100 stale locks never hold the lock together', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'aws-mfa-lock-'));
  folders.push(folder);
  const contenders = 10;
  const totalWorkers = 100;
  const outcomes: WorkerOutcome[] = [];
  let started = 0;
  // Each contender is replaced when it dies, until totalWorkers have run.
  const contender = async (): Promise<void> => {
    while (started < totalWorkers) {
      started += 1;
      outcomes.push(await runWorker(folder, 1000 + started));
    }
  };

  await Promise.all(Array.from({ length: contenders }, contender));

  const overlaps = outcomes.reduce((sum, outcome) => sum + (outcome.stdout.match(/overlap/g)?.length ?? 0), 0);
  const crashes = outcomes.filter((outcome) => outcome.signal !== 'SIGKILL' && outcome.code !== 0).map((outcome) => outcome.stderr);
  const takeovers = outcomes.filter((outcome) => outcome.signal === 'SIGKILL').length;
  console.info(`lock stress: ${takeovers} holders killed, ${overlaps} overlaps, ${crashes.length} crashes`);
  expect(crashes).toEqual([]);
  expect(overlaps).toBe(0);
  expect(takeovers).toBeGreaterThan(totalWorkers / 2);
});
