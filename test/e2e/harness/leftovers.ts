import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { profileFileStem } from '../../../src/store/session-cache.js';
import type { Sandbox } from './sandbox.js';

/** The session cache folder of a sandbox (XDG_CACHE_HOME/aws-mfa on Linux). */
export function cacheFolder(box: Sandbox): string {
  return join(box.cacheHome, 'aws-mfa');
}

/**
 * Where aws-mfa keeps the lock for getting a profile's session: `locks/<profileFileStem(profile)>.lock`
 * in the cache (src/store/session-cache.ts). Tests check it against a live holder before relying on it.
 */
export function profileLockPath(box: Sandbox, profile: string): string {
  const stem = profileFileStem(profile);
  return join(cacheFolder(box), 'locks', `${stem}.lock`);
}

/** The lock that guards edits of the credentials file: `.credentials.aws-mfa.lock` next to it. */
export function credentialsLockPath(box: Sandbox): string {
  return join(dirname(box.credentialsPath), `.${basename(box.credentialsPath)}.aws-mfa.lock`);
}

export interface Leftovers {
  /** Lock folders (and takeover guards) still present, relative to HOME. */
  locks: string[];
  /** Temporary files of atomic writes (`.NAME.PID.HEX.tmp`), relative to HOME. */
  temporaryFiles: string[];
  /** Anything else in ~/.aws besides credentials and config, or in the cache besides sessions' .json files. */
  other: string[];
}

/** What concurrent or killed runs left behind in ~/.aws and in the session cache. */
export function leftovers(box: Sandbox): Leftovers {
  const found: Leftovers = { locks: [], temporaryFiles: [], other: [] };
  const awsFolder = dirname(box.credentialsPath);
  const sort = (folder: string, relativeFolder: string, expected: (name: string) => boolean) => {
    if (!existsSync(folder)) return;
    for (const name of readdirSync(folder)) {
      const relative = join(relativeFolder, name);
      if (expected(name)) continue;
      if (/\.lock(\.takeover)?$/.test(name)) found.locks.push(relative);
      else if (name.endsWith('.tmp')) found.temporaryFiles.push(relative);
      else found.other.push(relative);
    }
  };
  sort(awsFolder, '.aws', (name) => name === 'credentials' || name === 'config');
  // A lock's failure record stays for the processes that were waiting on it (store/lock-failure.ts).
  sort(join(cacheFolder(box), 'locks'), '.cache/aws-mfa/locks', (name) => name.endsWith('.lock.failed'));
  sort(join(cacheFolder(box), 'sessions'), '.cache/aws-mfa/sessions', (name) => name.endsWith('.json'));
  return found;
}

/** The pid in a temporary file's name (`.credentials.1234.89abcdef.tmp`), if any. */
export function temporaryFilePid(name: string): number | undefined {
  const match = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Python that reads the file named by $FILE_TO_READ as botocore does (RawConfigParser: a duplicate
 * section or key is an error) and prints its sections as JSON.
 */
export const readLikeBotocore = [
  'import configparser, json, os',
  'parser = configparser.RawConfigParser()',
  "parser.read([os.environ['FILE_TO_READ']])",
  'print(json.dumps({name: dict(parser.items(name)) for name in parser.sections()}))',
].join('\n');
