import path from 'node:path';
import { lazyBuiltin } from '../core/builtin.js';
import { UsageError } from '../core/errors.js';
import type { Env } from '../core/io.js';

/**
 * The user's home: HOME, else USERPROFILE, else the password database. An empty HOME is refused
 * rather than taken for the current directory, where the cache and ~/.aws would then land.
 */
export function homeDirectory(env: Env): string {
  if (env.HOME === '') throw new UsageError('no home directory', 'HOME is set but empty', { hint: 'set HOME to your home directory' });
  const home = env.HOME || env.USERPROFILE || passwdHome();
  if (home === undefined || home === '') {
    throw new UsageError('no home directory', 'HOME is not set and this user has no entry in the password database', {
      hint: 'set HOME to your home directory',
    });
  }
  return home;
}

function passwdHome(): string | undefined {
  try {
    return lazyBuiltin('node:os').homedir();
  } catch {
    return undefined;
  }
}

function expandHome(file: string, env: Env): string {
  return file === '~' || file.startsWith('~/') || file.startsWith('~\\') ? path.join(homeDirectory(env), file.slice(1)) : file;
}

export function credentialsFilePath(env: Env): string {
  return expandHome(env.AWS_SHARED_CREDENTIALS_FILE || path.join(homeDirectory(env), '.aws', 'credentials'), env);
}

export function configFilePath(env: Env): string {
  return expandHome(env.AWS_CONFIG_FILE || path.join(homeDirectory(env), '.aws', 'config'), env);
}

/** The platform's per-user cache directory for aws-mfa. */
export function cacheDirectory(env: Env, platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    const localAppData = env.LOCALAPPDATA || path.join(homeDirectory(env), 'AppData', 'Local');
    return path.join(localAppData, 'aws-mfa', 'Cache');
  }
  if (platform === 'darwin') return path.join(homeDirectory(env), 'Library', 'Caches', 'aws-mfa');
  const xdgCache = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  return path.join(xdgCache ?? path.join(homeDirectory(env), '.cache'), 'aws-mfa');
}
