import nodeFs, { promises as fs } from 'node:fs';
import path from 'node:path';
import { AwsMfaError } from '../core/errors.js';
import { describeFileError, isCode } from '../core/file-errors.js';

/** A lock whose holder was killed is taken over after this long (its holder refreshes it twice as often). */
const STALE_AFTER_MS = 4000;
const HEARTBEAT_MS = STALE_AFTER_MS / 2;
/**
 * proper-lockfile's own takeover of a stale lock is unguarded: two waiters that both see it stale
 * can each remove the fresh lock the other just made, and both "hold" it, or crash on the vanished
 * lock (test/e2e/lock-takeover.test.ts: a few times in 100 takeovers). So the library gets a
 * threshold it never reaches, and takeOverIfStale() takes over, one process at a time.
 */
const LIBRARY_STALE_MS = 24 * 60 * 60 * 1000;
const POLL_INTERVAL_MS = 100;
/** Lock folders are the owner's only, whatever the umask: one that others can write to could be filled so that it can never be removed. */
const LOCK_FOLDER_MODE = 0o700;
/**
 * proper-lockfile makes its lock folder with a bare mkdir (0777 under umask 000): the same calls,
 * with that mkdir made private. Built when a lock is taken: spreading node:fs reads its lazy
 * members (fs.promises, the streams), which loads about 30 of Node's modules the cached path never uses.
 */
function privateLockFs() {
  return {
    ...nodeFs,
    mkdir: (folder: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
      nodeFs.mkdir(folder, { mode: LOCK_FOLDER_MODE }, callback),
  };
}

export interface LockOptions {
  /** What the lock protects, for the error when waiting times out. */
  readonly purpose: string;
  readonly maxWaitMs: number;
  /** Called once, when another process holds the lock and this one starts waiting. */
  readonly onWait?: () => void;
  /** Called at every poll while waiting; what it throws ends the wait (a holder's recorded failure). */
  readonly whileWaiting?: () => Promise<void>;
  readonly debug?: (line: string) => void;
}

/**
 * Runs `work` while holding an inter-process lock (a directory at `lockPath`, proper-lockfile's
 * mkdir protocol with an mtime heartbeat). Waits while another live process holds it.
 */
export async function withLock<T>(lockPath: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
  // A CommonJS module: its default export is module.exports, in Node and in the bundle alike.
  const { default: lockfile } = await import('proper-lockfile');
  await fs.mkdir(path.dirname(lockPath), { recursive: true, mode: LOCK_FOLDER_MODE }).catch((error: unknown) => {
    throw cannotLock(lockPath, options, error);
  });
  const lockOptions = {
    realpath: false,
    lockfilePath: lockPath,
    fs: privateLockFs(),
    stale: LIBRARY_STALE_MS,
    update: HEARTBEAT_MS,
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
      await takeOverIfStale(lockPath, options);
      return await lock(lockPath, lockOptions);
    } catch (error) {
      if (error instanceof AwsMfaError) throw error;
      if (!isCode(error, 'ELOCKED')) throw cannotLock(lockPath, options, error);
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
    await options.whileWaiting?.();
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** A folder where the lock cannot be made (read-only, not ours): one line, not a raw EACCES. */
function cannotLock(lockPath: string, options: LockOptions, error: unknown): AwsMfaError {
  return new AwsMfaError(`cannot create a lock in ${path.dirname(lockPath)}`, describeFileError(error), {
    hint: `needed for ${options.purpose}`,
    cause: error,
  });
}

/**
 * Removes the lock when its holder stopped refreshing it (killed, or its machine asleep). Only one
 * process does so at a time, under `<lock>.takeover` (held for a few system calls), and it checks
 * again under it: without that, a waiter that saw the stale lock could remove the one another
 * waiter has just taken.
 */
async function takeOverIfStale(lockPath: string, options: LockOptions): Promise<void> {
  if (!(await isStale(lockPath))) return;
  const guardPath = `${lockPath}.takeover`;
  try {
    await fs.mkdir(guardPath, { mode: LOCK_FOLDER_MODE });
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
    // Another waiter is taking over; a guard this old was left by one killed meanwhile.
    if (await isStale(guardPath)) await removeFolder(guardPath);
    return;
  }
  try {
    if (await isStale(lockPath)) {
      await removeFolder(lockPath).catch((error: unknown) => {
        throw isCode(error, 'ENOTEMPTY') || isCode(error, 'ENOTDIR') ? notALock(lockPath, error) : error;
      });
      options.debug?.(`took over ${lockPath}: its holder stopped refreshing it`);
    }
  } finally {
    await removeFolder(guardPath);
  }
}

/** Files in a lock folder, or a file in its place: not made by aws-mfa, so not removed by it. */
function notALock(lockPath: string, error: unknown): AwsMfaError {
  return new AwsMfaError(`cannot take over the stale lock ${lockPath}`, 'it is not an empty folder, as the locks of aws-mfa are', {
    hint: 'remove it if no aws-mfa is running',
    cause: error,
  });
}

/** lstat: a symbolic link in place of a lock is never followed, to a folder to remove or a time to trust. */
async function isStale(lockPath: string): Promise<boolean> {
  try {
    const stats = await fs.lstat(lockPath);
    if (stats.isSymbolicLink()) {
      throw new AwsMfaError(`refusing the lock ${lockPath}`, 'it is a symbolic link, which aws-mfa never makes', { hint: 'remove it' });
    }
    return stats.mtime.getTime() < Date.now() - STALE_AFTER_MS;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return false;
    throw error;
  }
}

async function removeFolder(folder: string): Promise<void> {
  await fs.rmdir(folder).catch((error: unknown) => {
    if (!isCode(error, 'ENOENT')) throw error;
  });
}
