import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isCode } from '../core/file-errors.js';
import type { CredentialProcessObject } from '../output/credential-process-json.js';
import { fromCredentialProcessObject, toCredentialProcessObject } from '../output/credential-process-json.js';
import type { SessionCredentials } from '../session/credentials.js';
import { PrivateFiles } from './private-files.js';

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

/** A session file is under 1 KiB: a larger one is not a session, and is read no further. */
const MAX_SESSION_FILE_BYTES = 64 * 1024;

/**
 * One JSON file per profile under `<cache>/sessions`, named after the profile (profileFileStem).
 * The cache is the user's alone (PrivateFiles): files 0600 in 0700 folders, nothing else used.
 */
export class SessionCache {
  readonly #files: PrivateFiles;

  constructor(private readonly cacheDirectory: string) {
    this.#files = new PrivateFiles(cacheDirectory);
  }

  /**
   * The lock for getting a profile's session. Its folder is made or checked first, and so are the
   * profile's session file and its folder if they exist: what the cache would refuse to store is
   * refused before a code is asked for.
   */
  lockPathFor(profile: string): string {
    const locks = path.join(this.cacheDirectory, 'locks');
    this.#files.ensureFolder(locks);
    this.#files.checkFile(this.sessionFile(profile));
    return path.join(locks, `${profileFileStem(profile)}.lock`);
  }

  async read(profile: string): Promise<CachedSession | undefined> {
    const bytes = this.#files.read(this.sessionFile(profile), MAX_SESSION_FILE_BYTES);
    const session = bytes === undefined || bytes === 'too-large' ? undefined : parseCacheFile(bytes.toString('utf8'));
    return session?.origin.profile === profile ? session : undefined;
  }

  async write(session: CachedSession): Promise<void> {
    const contents: CacheFileV1 = {
      version: 1,
      origin: session.origin,
      session: toCredentialProcessObject(session.credentials),
    };
    await this.#files.write(this.sessionFile(session.origin.profile), `${JSON.stringify(contents)}\n`);
  }

  /** True when there was a session to drop. */
  async delete(profile: string): Promise<boolean> {
    if (!this.#files.hasFolder(this.sessionsFolder())) return false;
    return removeFile(this.sessionFile(profile));
  }

  /** Drops every cached session; returns how many there were. */
  async deleteAll(): Promise<number> {
    const files = await this.sessionFiles();
    const removed = await Promise.all(files.map((file) => removeFile(path.join(this.sessionsFolder(), file))));
    return removed.filter(Boolean).length;
  }

  /** Every readable cached session, expired ones included; a file that is not ours is left out. */
  async readAll(): Promise<CachedSession[]> {
    const sessions: CachedSession[] = [];
    for (const file of await this.sessionFiles()) {
      const bytes = this.#readSkippingRefused(path.join(this.sessionsFolder(), file));
      const session = bytes === undefined ? undefined : parseCacheFile(bytes.toString('utf8'));
      if (session && `${profileFileStem(session.origin.profile)}.json` === file) sessions.push(session);
    }
    return sessions;
  }

  #readSkippingRefused(file: string): Buffer | undefined {
    try {
      const bytes = this.#files.read(file, MAX_SESSION_FILE_BYTES);
      return bytes === 'too-large' ? undefined : bytes;
    } catch {
      return undefined;
    }
  }

  private async sessionFiles(): Promise<string[]> {
    if (!this.#files.hasFolder(this.sessionsFolder())) return [];
    return (await fs.readdir(this.sessionsFolder())).filter((file) => file.endsWith('.json'));
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
