import fs from 'node:fs/promises';
import path from 'node:path';
import { AwsMfaError } from '../cli/errors.js';
import { isCode } from './atomic-write.js';

/** A lock whose holder was killed is taken over after this long (its holder refreshes it twice as often). */
const STALE_AFTER_MS = 4000;
const POLL_INTERVAL_MS = 100;

export interface LockOptions {
  /** What the lock protects, for the error when waiting times out. */
  readonly purpose: string;
  readonly maxWaitMs: number;
  /** Called once, when another process holds the lock and this one starts waiting. */
  readonly onWait?: () => void;
  readonly debug?: (line: string) => void;
}

/**
 * Runs `work` while holding an inter-process lock (a directory at `lockPath`, proper-lockfile's
 * mkdir protocol with an mtime heartbeat). Waits while another live process holds it.
 */
export async function withLock<T>(lockPath: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
  const lockfile = await import('proper-lockfile');
  await fs.mkdir(path.dirname(lockPath), { recursive: true, mode: 0o700 });
  const lockOptions = {
    realpath: false,
    lockfilePath: lockPath,
    stale: STALE_AFTER_MS,
    onCompromised: (error: Error) => options.debug?.(`lock ${lockPath} compromised: ${error.message}`),
  };
  const release = await acquire(lockfile.lock, lockPath, lockOptions, options);
  try {
    return await work();
  } finally {
    await release().catch((error: unknown) => options.debug?.(`releasing ${lockPath}: ${String(error)}`));
  }
}

async function acquire(
  lock: typeof import('proper-lockfile').lock,
  lockPath: string,
  lockOptions: Parameters<typeof import('proper-lockfile').lock>[1],
  options: LockOptions,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + options.maxWaitMs;
  let announced = false;
  for (;;) {
    try {
      return await lock(lockPath, lockOptions);
    } catch (error) {
      if (!isCode(error, 'ELOCKED')) throw error;
    }
    if (Date.now() >= deadline) {
      throw new AwsMfaError(options.purpose, 'another aws-mfa process held the lock for too long', {
        hint: `if none is running, remove ${lockPath}`,
      });
    }
    if (!announced) {
      announced = true;
      options.onWait?.();
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
