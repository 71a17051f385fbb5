import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsMfaError } from '../../src/core/errors.js';
import { withLock } from '../../src/store/lock.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'aws-mfa-lock-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

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
});
