import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isCode } from '../core/file-errors.js';

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

/**
 * Replaces `file` atomically: a temporary file in the same folder, fsynced, then renamed over it.
 * A reader sees the old bytes or the new ones, never a mix; a crash leaves at most a stray temp file,
 * which the next write of the same file removes. `mode` applies whatever the umask; with
 * `keepMode`, an existing file keeps its own mode.
 */
export async function writeFileAtomic(file: string, contents: string, options: { mode: number; keepMode?: boolean }): Promise<void> {
  const target = await resolveWriteTarget(file);
  const mode = options.keepMode ? ((await existingMode(target)) ?? options.mode) : options.mode;
  await removeStrayTemporaryFiles(target);
  const temporary = path.join(
    path.dirname(target),
    `${temporaryPrefix(target)}${process.pid}.${Math.random().toString(16).slice(2, 10)}.tmp`,
  );
  const handle = await fs.open(temporary, 'wx', mode);
  try {
    try {
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

/** `.NAME.` of the temporary files of NAME, which go on with the writer's pid and a random part. */
function temporaryPrefix(target: string): string {
  return `.${path.basename(target)}.`;
}

/**
 * Removes the temporary files of `target` left by writers that died between creating and renaming
 * them: their pid is no live process on this machine. Every writer of a file holds that file's lock
 * (edit-ini-file.ts, the session and TOTP locks), so no live writer of another machine sharing the
 * folder can own one either. Best effort: a file that cannot be listed or removed stays.
 */
async function removeStrayTemporaryFiles(target: string): Promise<void> {
  const folder = path.dirname(target);
  const prefix = temporaryPrefix(target);
  const names = await fs.readdir(folder).catch(() => []);
  const stray = names.filter((name) => {
    const pid = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : '')?.[1];
    return pid !== undefined && !isLiveProcess(Number(pid));
  });
  await Promise.all(stray.map((name) => fs.rm(path.join(folder, name), { force: true }).catch(() => undefined)));
}

function isLiveProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it lives, as another user's process.
    return !isCode(error, 'ESRCH');
  }
}

async function existingMode(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).mode & 0o7777;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}
