import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { AwsMfaError } from '../core/errors.js';
import { describeFileError, isCode } from '../core/file-errors.js';
import type { CredentialProcessObject } from '../output/credential-process-json.js';
import { fromCredentialProcessObject, toCredentialProcessObject } from '../output/credential-process-json.js';
import type { SessionCredentials } from '../session/credentials.js';
import { writeFileAtomic } from './atomic-write.js';

/** Where a session's long-term keys came from, and which key it was: a changed key invalidates it. */
export interface SessionOrigin {
  readonly profile: string;
  readonly mfaSerial: string;
  readonly keySource: 'file' | 'keychain';
  readonly longTermKeyId: string;
}

export interface CachedSession {
  readonly origin: SessionOrigin;
  readonly credentials: SessionCredentials;
}

interface CacheFileV1 {
  version: 1;
  origin: SessionOrigin;
  session: CredentialProcessObject;
}

/**
 * One JSON file per profile under `<cache>/sessions`, named after the profile (profileFileStem).
 * Files are 0600 in 0700 folders.
 */
export class SessionCache {
  constructor(private readonly cacheDirectory: string) {}

  lockPathFor(profile: string): string {
    return path.join(this.cacheDirectory, 'locks', `${profileFileStem(profile)}.lock`);
  }

  async read(profile: string): Promise<CachedSession | undefined> {
    const file = this.sessionFile(profile);
    let text: string;
    try {
      // Synchronous, like the reads of the AWS files: the cached path then never starts the thread pool.
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      // A folder in its place, a file in place of a folder, a file of another user: one line, not a raw EISDIR.
      throw new AwsMfaError(`cannot read the cached session ${file}`, describeFileError(error), {
        hint: `aws-mfa keeps only cached sessions in ${this.cacheDirectory}: removing what is in the way is safe`,
        cause: error,
      });
    }
    const session = parseCacheFile(text);
    return session?.origin.profile === profile ? session : undefined;
  }

  async write(session: CachedSession): Promise<void> {
    await fs.mkdir(this.sessionsFolder(), { recursive: true, mode: 0o700 });
    const contents: CacheFileV1 = {
      version: 1,
      origin: session.origin,
      session: toCredentialProcessObject(session.credentials),
    };
    await writeFileAtomic(this.sessionFile(session.origin.profile), `${JSON.stringify(contents)}\n`, { mode: 0o600 });
  }

  /** True when there was a session to drop. */
  async delete(profile: string): Promise<boolean> {
    return removeFile(this.sessionFile(profile));
  }

  /** Drops every cached session; returns how many there were. */
  async deleteAll(): Promise<number> {
    const files = await this.sessionFiles();
    const removed = await Promise.all(files.map((file) => removeFile(path.join(this.sessionsFolder(), file))));
    return removed.filter(Boolean).length;
  }

  /** Every readable cached session, expired ones included. */
  async readAll(): Promise<CachedSession[]> {
    const sessions: CachedSession[] = [];
    for (const file of await this.sessionFiles()) {
      const text = await fs.readFile(path.join(this.sessionsFolder(), file), 'utf8').catch(() => undefined);
      const session = text === undefined ? undefined : parseCacheFile(text);
      if (session && `${profileFileStem(session.origin.profile)}.json` === file) sessions.push(session);
    }
    return sessions;
  }

  private async sessionFiles(): Promise<string[]> {
    try {
      return (await fs.readdir(this.sessionsFolder())).filter((file) => file.endsWith('.json'));
    } catch (error) {
      if (isCode(error, 'ENOENT')) return [];
      throw error;
    }
  }

  private sessionsFolder(): string {
    return path.join(this.cacheDirectory, 'sessions');
  }

  private sessionFile(profile: string): string {
    return path.join(this.sessionsFolder(), `${profileFileStem(profile)}.json`);
  }
}

const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A profile name as a file name: readable (`prod`, `team%2Eprod`) and unable to reach outside its
 * folder or to name a Windows device, since all but letters, digits, `-` and `_` is percent-encoded.
 */
export function profileFileStem(profile: string): string {
  const encoded = encodeURIComponent(profile).replace(/[.!~*'()]/g, percentEncode);
  return WINDOWS_DEVICE_NAMES.test(encoded) ? `${percentEncode(encoded.charAt(0))}${encoded.slice(1)}` : encoded;
}

function percentEncode(character: string): string {
  return `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

/** A cache file that is unreadable or of another version counts as a miss. */
function parseCacheFile(text: string): CachedSession | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const file = parsed as Partial<CacheFileV1>;
  if (file.version !== 1 || !isOrigin(file.origin)) return undefined;
  const credentials = fromCredentialProcessObject(file.session);
  return credentials ? { origin: file.origin, credentials } : undefined;
}

function isOrigin(value: unknown): value is SessionOrigin {
  if (typeof value !== 'object' || value === null) return false;
  const origin = value as Record<string, unknown>;
  return (
    typeof origin.profile === 'string' &&
    typeof origin.mfaSerial === 'string' &&
    (origin.keySource === 'file' || origin.keySource === 'keychain') &&
    typeof origin.longTermKeyId === 'string'
  );
}

async function removeFile(file: string): Promise<boolean> {
  try {
    await fs.unlink(file);
    return true;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return false;
    throw error;
  }
}
