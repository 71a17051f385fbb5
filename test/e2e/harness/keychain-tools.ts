import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { profileFileStem } from '../../../src/store/session-cache.js';
import type { Keyring } from './keyring.js';
import { runProcess } from './process.js';

/** Deletes every item of the service aws-mfa from the keyring, as another client would (secret-tool). */
export async function clearKeychain(keyring: Keyring): Promise<void> {
  const result = await runProcess('secret-tool', ['clear', 'service', 'aws-mfa'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...keyring.env },
    cwd: '/',
    timeoutMs: 15_000,
  });
  // secret-tool clear exits 1 with no message when nothing matched.
  if (result.code !== 0 && result.stderr !== '') throw new Error(`secret-tool clear failed: ${result.stderr}`);
}

/** The keychain item of a profile as JSON, read with secret-tool; undefined when there is none. */
export async function keychainItem(keyring: Keyring, profile: string): Promise<Record<string, unknown> | undefined> {
  const secret = await keyring.lookup(profile);
  return secret === undefined ? undefined : (JSON.parse(secret) as Record<string, unknown>);
}

/**
 * Every file under root (relative paths) whose bytes contain one of the needles: a secret that
 * reached the disk, wherever (credentials, config, the session cache, TOTP state, temporary files).
 */
export function filesContaining(root: string, needles: readonly string[]): string[] {
  if (!existsSync(root)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const path = join(root, entry);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    if (needles.some((needle) => bytes.includes(needle))) found.push(relative(root, path));
  }
  return found;
}

/** The session cache's files of one sandbox: `sessions/*.json` under XDG_CACHE_HOME/aws-mfa. */
export function cachedSessionFiles(cacheHome: string): string[] {
  const folder = join(cacheHome, 'aws-mfa', 'sessions');
  return existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.json')) : [];
}

/** Where the session cache keeps a profile's session: `sessions/<profileFileStem(profile)>.json` (src/store/session-cache.ts). */
export function cachedSessionPath(cacheHome: string, profile: string): string {
  const stem = profileFileStem(profile);
  return join(cacheHome, 'aws-mfa', 'sessions', `${stem}.json`);
}
