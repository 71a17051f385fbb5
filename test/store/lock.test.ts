import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsMfaError } from '../../src/core/errors.js';
import { withLock } from '../../src/store/lock.js';
import { builtModule } from '../e2e/harness/paths.js';

let folder: string;
const holders: ChildProcess[] = [];
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'aws-mfa-lock-'));
});
afterEach(() => {
  for (const holder of holders.splice(0)) {
    holder.kill('SIGCONT');
    holder.kill('SIGKILL');
  }
  rmSync(folder, { recursive: true, force: true });
});

const longAgo = () => new Date(Date.now() - 10 * 60 * 1000);

/** Another process that takes the lock, says so on stdout, and holds it until its stdin closes; then prints 'released'. */
async function startHolder(lockPath: string): Promise<{ child: ChildProcess; output: () => string }> {
  const script = `
    const { withLock } = await import(process.env.LOCK_MODULE);
    await withLock(process.env.LOCK_PATH, { purpose: "holding", maxWaitMs: 60000 }, async () => {
      process.stdout.write("holding\\n");
      await new Promise((resolve) => process.stdin.on("end", resolve).resume());
    });
    process.stdout.write("released\\n");
  `;
  const env = { ...process.env, LOCK_MODULE: pathToFileURL(builtModule('store', 'lock.js')).href, LOCK_PATH: lockPath };
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  holders.push(child);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => output.includes('holding') && resolve());
    child.on('exit', () => reject(new Error(`the holder exited before taking the lock: ${output}`)));
  });
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.on('exit', () => resolve())));
}

describe('withLock', () => {
  it('gives up after maxWaitMs while a live holder keeps the lock: one line naming the lock, and the holder is undisturbed', async () => {
    const lockPath = join(folder, 'prod.lock');
    let releaseHolder = () => {};
    const holderMayFinish = new Promise<void>((resolve) => {
      releaseHolder = resolve;
    });
    let holderStarted = () => {};
    const holding = new Promise<void>((resolve) => {
      holderStarted = resolve;
    });
    const holder = withLock(lockPath, { purpose: 'getting a session for prod', maxWaitMs: 60_000 }, async () => {
      holderStarted();
      await holderMayFinish;
      return 'holder done';
    });
    await holding;
    let waitNotices = 0;

    const waiter = await withLock(
      lockPath,
      { purpose: 'getting a session for prod', maxWaitMs: 300, onWait: () => waitNotices++ },
      async () => 'waiter ran',
    ).catch((error: unknown) => error);

    expect(waiter).toBeInstanceOf(AwsMfaError);
    expect((waiter as AwsMfaError).toLine()).toBe(
      `aws-mfa: getting a session for prod: another aws-mfa process held the lock for too long (if none is running, remove ${lockPath})`,
    );
    expect(waitNotices).toBe(1);
    expect(existsSync(lockPath)).toBe(true);
    releaseHolder();
    expect(await holder).toBe('holder done');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('runs a waiter once the holder has released the lock', async () => {
    const lockPath = join(folder, 'prod.lock');
    const order: string[] = [];
    let holderStarted = () => {};
    const holding = new Promise<void>((resolve) => {
      holderStarted = resolve;
    });
    const holder = withLock(lockPath, { purpose: 'p', maxWaitMs: 60_000 }, async () => {
      holderStarted();
      await new Promise((resolve) => setTimeout(resolve, 200));
      order.push('holder');
    });
    await holding;

    await withLock(lockPath, { purpose: 'p', maxWaitMs: 60_000 }, async () => void order.push('waiter'));
    await holder;

    expect(order).toEqual(['holder', 'waiter']);
  });

  it('never takes over from a holder of this machine that still runs, however long since its heartbeat', async () => {
    const lockPath = join(folder, 'prod.lock');
    const holder = await startHolder(lockPath);
    // Stopped: no heartbeat; and its last one made long ago, as under a load that delays it.
    holder.child.kill('SIGSTOP');
    utimesSync(lockPath, longAgo(), longAgo());

    const waiter = await withLock(lockPath, { purpose: 'getting a session for prod', maxWaitMs: 1500 }, async () => 'taken over').catch(
      (error: unknown) => error,
    );

    expect((waiter as AwsMfaError).why).toBe('another aws-mfa process held the lock for too long');
    expect(readdirSync(lockPath)).toEqual(['holder']);
    holder.child.kill('SIGCONT');
    holder.child.stdin?.end();
    await exited(holder.child);
    expect(holder.output()).toBe('holding\nreleased\n');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('takes over at once from a holder of this machine that was killed, before its heartbeat is stale', async () => {
    const lockPath = join(folder, 'prod.lock');
    const holder = await startHolder(lockPath);
    holder.child.kill('SIGKILL');
    await exited(holder.child);
    expect(existsSync(lockPath)).toBe(true);

    // Less than the 4 s after which a heartbeat is stale: only the record can tell the holder is gone.
    const result = await withLock(lockPath, { purpose: 'p', maxWaitMs: 1000 }, async () => 'taken over');

    expect(result).toBe('taken over');
    expect(readdirSync(folder)).toEqual([]);
  });

  it("judges a lock of another machine's process by its heartbeat", async () => {
    const lockPath = join(folder, 'prod.lock');
    mkdirSync(lockPath, { mode: 0o700 });
    const record = { pid: process.pid, host: 'elsewhere', machine: 'boot 00000000-0000-0000-0000-000000000000 pid:[1]', started: '1' };
    writeFileSync(join(lockPath, 'holder'), `${JSON.stringify(record)}\n`, { mode: 0o600 });

    const whileFresh = await withLock(lockPath, { purpose: 'p', maxWaitMs: 300 }, async () => 'taken over').catch(
      (error: unknown) => error,
    );
    expect((whileFresh as AwsMfaError).why).toBe('another aws-mfa process held the lock for too long');
    utimesSync(lockPath, longAgo(), longAgo());
    const onceStale = await withLock(lockPath, { purpose: 'p', maxWaitMs: 300 }, async () => 'taken over');

    expect(onceStale).toBe('taken over');
    expect(readdirSync(folder)).toEqual([]);
  });
});
