import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

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
 * A reader sees the old bytes or the new ones, never a mix; a crash leaves at most a stray temp file.
 * `mode` applies whatever the umask; with `keepMode`, an existing file keeps its own mode.
 */
export async function writeFileAtomic(file: string, contents: string, options: { mode: number; keepMode?: boolean }): Promise<void> {
  const target = await resolveWriteTarget(file);
  const mode = options.keepMode ? ((await existingMode(target)) ?? options.mode) : options.mode;
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
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

async function existingMode(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).mode & 0o7777;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

export function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
