import nodeFs, { promises as fs } from 'node:fs';
import path from 'node:path';
import { AwsMfaError } from '../core/errors.js';
import { describeFileError, isCode } from '../core/file-errors.js';
import { removeStrayTemporaryFiles, temporaryPath } from './atomic-write.js';
import { readBoundedFile } from './bounded-read.js';
import { holderHasEnded, holderRecord, MAX_HOLDER_RECORD_BYTES } from './lock-holder.js';

/**
 * A lock whose holder ran on another machine (a shared home) is taken over when its heartbeat has
 * stopped this long (the holder refreshes it twice as often). On this machine, the holder's record
 * decides: its lock is taken over once it has ended, at once, and never while it runs.
 */
const STALE_AFTER_MS = 4000;
const HEARTBEAT_MS = STALE_AFTER_MS / 2;
/**
 * proper-lockfile's own takeover of a stale lock is unguarded: two waiters that both see it stale
 * can each remove the fresh lock the other just made, and both "hold" it, or crash on the vanished
 * lock (test/e2e/lock-takeover.test.ts: a few times in 100 takeovers). So the library gets a
 * threshold it never reaches, and takeOverIfAbandoned() takes over, one process at a time.
 */
const LIBRARY_STALE_MS = 24 * 60 * 60 * 1000;
const POLL_INTERVAL_MS = 100;
/** Lock folders are the owner's only, whatever the umask: one that others can write to could be filled so that it can never be removed. */
const LOCK_FOLDER_MODE = 0o700;
/** The file in a lock folder (and a takeover guard) that names its holder (store/lock-holder.ts). */
const HOLDER_FILE = 'holder';

/**
 * The file system proper-lockfile works through, with its lock folder made and removed as aws-mfa
 * does (createHeldFolder, removeHeldFolder). Built when a lock is taken: spreading node:fs reads
 * its lazy members (fs.promises, the streams), which loads about 30 of Node's modules the cached
 * path never uses.
 */
function lockFs() {
  return {
    ...nodeFs,
    mkdir: (folder: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
      createHeldFolder(folder).then(() => callback(null), callback),
    rmdir: (folder: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
      removeHeldFolder(folder).then(() => callback(null), callback),
    // At exit (signal-exit), for the locks still held.
    rmdirSync: (folder: string) => {
      nodeFs.rmSync(path.join(folder, HOLDER_FILE), { force: true });
      nodeFs.rmdirSync(folder);
    },
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
 * Runs `work` while holding an inter-process lock (a directory at `lockPath` that names its holder,
 * proper-lockfile's protocol with an mtime heartbeat). Waits while another live process holds it.
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
    fs: lockFs(),
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
      await takeOverIfAbandoned(lockPath, options);
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
 * Makes a lock folder (or a takeover guard) that names its holder from the moment it exists: the
 * record is written in a private temporary folder, renamed into place. rename() replaces an empty
 * folder, never one with a record in it, so a lock already there (checked first; one of an older
 * aws-mfa is empty) is EEXIST, as mkdir() would say. A temporary folder left by a process killed
 * meanwhile is removed by the next one (atomic-write.ts).
 */
async function createHeldFolder(folder: string): Promise<void> {
  if (await entryExists(folder)) throw exists(folder);
  await removeStrayTemporaryFiles(folder);
  const temporary = temporaryPath(folder);
  await fs.mkdir(temporary, { mode: LOCK_FOLDER_MODE });
  try {
    await fs.writeFile(path.join(temporary, HOLDER_FILE), holderRecord(), { mode: 0o600, flag: 'wx' });
    await fs.rename(temporary, folder);
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true });
    // Another process made it first (and may have removed it since): ENOTEMPTY or EEXIST, EPERM on Windows.
    const madeFirst = isCode(error, 'ENOTEMPTY') || isCode(error, 'EEXIST') || (isCode(error, 'EPERM') && (await entryExists(folder)));
    throw madeFirst ? exists(folder) : error;
  }
}

/**
 * A lock folder, with the record in it; what is gone already is fine. Once the record is gone, the
 * folder is empty, and a process taking the lock then may put its own in its place (rename): the
 * lock is then its.
 */
async function removeHeldFolder(folder: string): Promise<void> {
  await fs.rm(path.join(folder, HOLDER_FILE), { force: true });
  await fs.rmdir(folder).catch((error: unknown) => {
    if (!isCode(error, 'ENOENT') && !isCode(error, 'ENOTEMPTY') && !isCode(error, 'EEXIST')) throw error;
  });
}

async function entryExists(entry: string): Promise<boolean> {
  return fs.lstat(entry).then(
    () => true,
    (error: unknown) => {
      if (isCode(error, 'ENOENT')) return false;
      throw error;
    },
  );
}

function exists(folder: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${folder} exists`), { code: 'EEXIST' });
}

/**
 * Removes the lock when its holder has ended (or, on another machine, stopped refreshing it). Only
 * one process does so at a time, under `<lock>.takeover` (held for a few system calls, and itself
 * taken over only once its holder has ended), and it checks again under it: without that, a
 * waiter that saw the abandoned lock could remove the one another waiter has just taken.
 */
async function takeOverIfAbandoned(lockPath: string, options: LockOptions): Promise<void> {
  if ((await abandonedRecord(lockPath)) === undefined) return;
  const guardPath = `${lockPath}.takeover`;
  try {
    await createHeldFolder(guardPath);
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
    // Another waiter is taking over; a guard whose holder has ended was left by one killed meanwhile.
    const guardRecord = await abandonedRecord(guardPath);
    if (guardRecord !== undefined) await removeIfStill(guardPath, guardRecord);
    return;
  }
  try {
    const record = await abandonedRecord(lockPath);
    if (record !== undefined) {
      await removeAbandonedLock(lockPath, record);
      options.debug?.(`took over ${lockPath}: its holder has ended or stopped refreshing it`);
    }
  } finally {
    await removeHeldFolder(guardPath);
  }
}

/** A folder with anything but the record in it, or a file in its place, was not made by aws-mfa and is not removed by it. */
async function removeAbandonedLock(lockPath: string, record: string): Promise<void> {
  const entries = await fs.readdir(lockPath).catch((error: unknown) => {
    if (isCode(error, 'ENOENT')) return [];
    throw isCode(error, 'ENOTDIR') ? notALock(lockPath, error) : error;
  });
  const foreign = entries.find((name) => name !== HOLDER_FILE);
  if (foreign !== undefined) throw notALock(lockPath, Object.assign(new Error(`${foreign} in ${lockPath}`), { code: 'ENOTEMPTY' }));
  await removeIfStill(lockPath, record);
}

/**
 * Removes an abandoned lock or guard if it still holds the record it was judged by: another waiter
 * may have removed it since, and a live process made a new one in its place.
 */
async function removeIfStill(folder: string, record: string): Promise<void> {
  if (readHolderRecord(folder) === record) await removeHeldFolder(folder);
}

/** Files in a lock folder, or a file in its place: not made by aws-mfa, so not removed by it. */
function notALock(lockPath: string, error: unknown): AwsMfaError {
  return new AwsMfaError(`cannot take over the stale lock ${lockPath}`, 'it is not an empty folder, as the locks of aws-mfa are', {
    hint: 'remove it if no aws-mfa is running',
    cause: error,
  });
}

/**
 * The record of a lock (or guard) that may be taken over ('' when it has none); undefined while it
 * may not. It may when its holder on this machine has ended, or, when the record names no process
 * of this machine (another machine's, an older aws-mfa's empty folder, a file in its place), when
 * its last heartbeat is older than the stale time. lstat: a symbolic link in place of a lock is
 * never followed, to a folder to remove or a time to trust.
 */
async function abandonedRecord(lockPath: string): Promise<string | undefined> {
  let stats: nodeFs.Stats;
  try {
    stats = await fs.lstat(lockPath);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  if (stats.isSymbolicLink()) {
    throw new AwsMfaError(`refusing the lock ${lockPath}`, 'it is a symbolic link, which aws-mfa never makes', { hint: 'remove it' });
  }
  const record = stats.isDirectory() ? readHolderRecord(lockPath) : '';
  const ended = holderHasEnded(record) ?? stats.mtime.getTime() < Date.now() - STALE_AFTER_MS;
  return ended ? record : undefined;
}

/** The record in a lock folder; '' when there is none to read (not yet, no more, or not a regular file). */
function readHolderRecord(lockPath: string): string {
  try {
    const read = readBoundedFile(path.join(lockPath, HOLDER_FILE), { maxBytes: MAX_HOLDER_RECORD_BYTES, noFollow: true });
    return 'bytes' in read ? read.bytes.toString('utf8') : '';
  } catch {
    return '';
  }
}
