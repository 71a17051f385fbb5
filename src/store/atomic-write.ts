import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { AwsMfaError } from '../core/errors.js';
import { isCode } from '../core/file-errors.js';
import { isLiveProcess } from './lock-holder.js';

const MAX_SYMLINK_HOPS = 32;

/**
 * The file a write to `file` should land in: symlinks are followed (even a dangling one) so the
 * link itself is kept, as editors and the AWS CLI do.
 */
export async function resolveWriteTarget(file: string): Promise<string> {
  let current = path.resolve(file);
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
    let linkText: string;
    try {
      linkText = await fs.readlink(current);
    } catch (error) {
      if (isCode(error, 'EINVAL') || isCode(error, 'ENOENT') || isCode(error, 'UNKNOWN')) return current;
      throw error;
    }
    current = path.resolve(path.dirname(current), linkText);
  }
  throw Object.assign(new Error(`too many symbolic links at ${file}`), { code: 'ELOOP' });
}

/** A file's owner and group (POSIX ids). */
export interface FileOwner {
  readonly uid: number;
  readonly gid: number;
}

export interface AtomicWriteOptions {
  readonly mode: number;
  /** An existing file keeps its own mode. */
  readonly keepMode?: boolean;
  /** Replace a symbolic link at `file` instead of writing through it (callers refuse one first). */
  readonly noFollow?: boolean;
  /** The owner to give a new file, when not the process's (root writing into a user's cache). */
  readonly newFileOwner?: FileOwner;
}

/**
 * Replaces `file` atomically: a temporary file in the same folder, fsynced, then renamed over it.
 * A reader sees the old bytes or the new ones, never a mix; a crash leaves at most a stray temp file,
 * which the next write of the same file removes. `mode` applies whatever the umask; with
 * `keepMode`, an existing file keeps its own mode. An existing file keeps its owner and group
 * (root writing a user's file, as `sudo` with the user's HOME does): where that is not allowed,
 * the write is refused rather than taking the file from its owner.
 */
export async function writeFileAtomic(file: string, contents: string, options: AtomicWriteOptions): Promise<void> {
  const target = options.noFollow ? path.resolve(file) : await resolveWriteTarget(file);
  const existing = await statIfExists(target, options.noFollow === true);
  const mode = options.keepMode && existing ? existing.mode & 0o7777 : options.mode;
  const owner = existing ? { uid: existing.uid, gid: existing.gid } : options.newFileOwner;
  await removeStrayTemporaryFiles(target);
  const temporary = temporaryPath(target);
  const handle = await fs.open(temporary, 'wx', mode);
  try {
    try {
      if (owner) await keepOwner(handle, owner, file);
      await handle.writeFile(contents, 'utf8');
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

/** Gives the temporary file `owner` before any byte is in it; POSIX only (Windows has no such ids). */
async function keepOwner(handle: fs.FileHandle, owner: FileOwner, file: string): Promise<void> {
  if (process.platform === 'win32') return;
  const created = await handle.stat();
  if (created.uid === owner.uid && created.gid === owner.gid) return;
  try {
    await handle.chown(owner.uid, owner.gid);
  } catch (error) {
    if (!isCode(error, 'EPERM')) throw error;
    throw new AwsMfaError(
      `cannot rewrite ${file}`,
      `it belongs to uid ${owner.uid} (gid ${owner.gid}), and the new file could not keep that owner`,
      {
        hint: 'run aws-mfa as the user who owns it',
        cause: error,
      },
    );
  }
}

/** `.NAME.PID.HEX.tmp`: a temporary file (or lock folder, store/lock.ts) of NAME, with its writer's pid. */
export function temporaryPath(target: string): string {
  return path.join(path.dirname(target), `${temporaryPrefix(target)}${process.pid}.${Math.random().toString(16).slice(2, 10)}.tmp`);
}

function temporaryPrefix(target: string): string {
  return `.${path.basename(target)}.`;
}

/**
 * Removes the temporary files of `target` left by writers that died between creating and renaming
 * them: their pid is no live process on this machine. Every writer of a file holds that file's lock
 * (edit-ini-file.ts, the session and TOTP locks), so no live writer of another machine sharing the
 * folder can own one either. Best effort: a file that cannot be listed or removed stays. A lock's
 * temporary folder (store/lock.ts) goes with the record in it.
 */
export async function removeStrayTemporaryFiles(target: string): Promise<void> {
  const folder = path.dirname(target);
  const prefix = temporaryPrefix(target);
  const names = await fs.readdir(folder).catch(() => []);
  const stray = names.filter((name) => {
    const pid = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : '')?.[1];
    return pid !== undefined && !isLiveProcess(Number(pid));
  });
  await Promise.all(stray.map((name) => fs.rm(path.join(folder, name), { force: true, recursive: true }).catch(() => undefined)));
}

async function statIfExists(file: string, noFollow: boolean): Promise<Stats | undefined> {
  try {
    return noFollow ? await fs.lstat(file) : await fs.stat(file);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}
