import fs from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';
import { cacheDirectory } from '../config/paths.js';
import type { Env } from '../core/io.js';

/** Under aws-mfa's cache folder: the bundle's code cache, and Node's compile cache (Node 22.1+) of the chunks it loads. */
export const COMPILED_CODE_FOLDER = 'node-compile-cache';
const PRIVATE_FOLDER_MODE = 0o700;

/**
 * The folder for compiled code, made if need be, or undefined where it is not certainly the
 * user's own: then nothing is read from or written to it. Compiled code is run as the user's, so
 * only the user may be able to put anything there.
 *
 * It is used only inside aws-mfa's cache folder, never created here: that folder, and this one in
 * it, must each be a real folder (not a symbolic link), owned by this process's user and writable by
 * no one else.
 */
export function compiledCodeFolder(env: Env, platform: NodeJS.Platform): string | undefined {
  const root = cacheFolder(env, platform);
  if (root === undefined || !isPrivateFolder(root, platform)) return undefined;
  const folder = path.join(root, COMPILED_CODE_FOLDER);
  if (isPrivateFolder(folder, platform)) return folder;
  try {
    fs.mkdirSync(folder, { mode: PRIVATE_FOLDER_MODE });
  } catch {
    return undefined;
  }
  return isPrivateFolder(folder, platform) ? folder : undefined;
}

/**
 * Turns on Node's module compile cache (Node 22.1 and later) in that folder, for the chunks the
 * CLI loads on demand. Node creates its own sub-folder and files; the umask keeps them private
 * (0700 folders, 0600 files).
 */
export function enableNodeCompileCache(folder: string): void {
  // Not in Node 20's types: Node 20 has no compile cache.
  const { enableCompileCache } = nodeModule as { enableCompileCache?: (directory: string) => unknown };
  if (enableCompileCache === undefined) return;
  const umask = process.umask(0o077);
  try {
    enableCompileCache(folder);
  } finally {
    process.umask(umask);
  }
}

/** undefined where there is no cache folder (no home): the command itself then says so, in one line. */
function cacheFolder(env: Env, platform: NodeJS.Platform): string | undefined {
  try {
    return cacheDirectory(env, platform);
  } catch {
    return undefined;
  }
}

/** A folder, not a symbolic link, of this process's user, that neither group nor others can write. */
function isPrivateFolder(folder: string, platform: NodeJS.Platform): boolean {
  let stats: fs.Stats;
  try {
    stats = fs.lstatSync(folder);
  } catch {
    return false;
  }
  if (!stats.isDirectory()) return false;
  // Windows has no owner ids or mode bits: the folder is inside the user's own %LOCALAPPDATA%.
  if (platform === 'win32') return true;
  return stats.uid === process.geteuid?.() && (stats.mode & 0o022) === 0;
}
