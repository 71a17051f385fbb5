import fs from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';
import { cacheDirectory } from './config/paths.js';
import type { Env } from './core/io.js';

/** Under aws-mfa's cache folder; Node keeps a folder per Node version and V8 flags inside. */
export const COMPILE_CACHE_FOLDER = 'node-compile-cache';
const PRIVATE_FOLDER_MODE = 0o700;

/**
 * Turns on Node's module compile cache (Node 22.1 and later) for the bundle that bin/aws-mfa
 * loads next: V8 then reads the bundle's compiled code instead of parsing and compiling it on
 * every call (docs/performance.md has the figures). An optimisation only: whenever the folder is
 * not certainly the user's own, it stays off and nothing is written.
 *
 * It is used only inside aws-mfa's cache folder, never created here: that folder, and the cache
 * folder in it, must each be a real folder (not a symbolic link), owned by this process's user and
 * writable by no one else; then only this user can put anything in Node's way below it. Node
 * creates its own sub-folder and files; the umask keeps them private (0700 folders, 0600 files).
 */
export function enableCompileCache(env: Env, platform: NodeJS.Platform): void {
  // Not in Node 20's types: Node 20 has no compile cache, and bin/aws-mfa does not load this there.
  const { enableCompileCache: enable } = nodeModule as { enableCompileCache?: (directory: string) => unknown };
  if (enable === undefined) return;
  const root = cacheFolder(env, platform);
  if (root === undefined) return;
  const folder = path.join(root, COMPILE_CACHE_FOLDER);
  if (!isPrivateFolder(root, platform)) return;
  if (!isPrivateFolder(folder, platform)) {
    try {
      fs.mkdirSync(folder, { mode: PRIVATE_FOLDER_MODE });
    } catch {
      return;
    }
    if (!isPrivateFolder(folder, platform)) return;
  }
  const umask = process.umask(0o077);
  try {
    enable(folder);
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
