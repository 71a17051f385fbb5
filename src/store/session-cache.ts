import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SessionCredentials } from '../core/credentials.js';
import type { AwsMfaError } from '../core/errors.js';
import { isCode } from '../core/file-errors.js';
import type { CredentialProcessObject } from '../output/credential-process-json.js';
import { fromCredentialProcessObject, toCredentialProcessObject } from '../output/credential-process-json.js';
import { failureRecord, failureSince, MAX_FAILURE_RECORD_BYTES } from './lock-failure.js';
import { PrivateFiles } from './private-files.js';

/** The long-term keys at the root of a chain: a changed key (or device) invalidates what came from them. */
export interface RootKeys {
  readonly profile: string;
  readonly mfaSerial: string;
  readonly keySource: 'file' | 'keychain';
  readonly longTermKeyId: string;
}

/** The settings of a role hop: any change to one of them invalidates its session. */
export interface RoleSettings {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly externalId: string | null;
  readonly durationSeconds: number;
}

/**
 * What kind of session a cache file holds and everything that defines it, the whole chain down to
 * the root's key: GetSessionToken with the root's keys; AssumeRole signed with the session of
 * `source`; AssumeRole signed with the root's keys and an MFA code (for more than 1 h).
 */
export type SessionDefinition =
  | ({ readonly kind: 'session-token' } & RootKeys)
  | ({ readonly kind: 'assume-role'; readonly profile: string; readonly source: SessionDefinition } & RoleSettings)
  | ({ readonly kind: 'assume-role-with-mfa'; readonly profile: string; readonly root: RootKeys } & RoleSettings);

export interface CachedSession {
  readonly definition: SessionDefinition;
  readonly credentials: SessionCredentials;
}

interface CacheFileV2 {
  version: 2;
  definition: SessionDefinition;
  session: CredentialProcessObject;
}

/** A session file is under 1 KiB: a larger one is not a session, and is read no further. */
const MAX_SESSION_FILE_BYTES = 64 * 1024;

/**
 * One JSON file per profile under `<cache>/sessions`, named after the profile (profileFileStem),
 * holding its own hop of the chain; its lock is named the same way. The file records the
 * session's definition: whoever reads it decides whether it still fits (providers/session-fit.ts).
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

  /** Records the failure of the process that held the profile's lock, for those waiting on it (store/lock-failure.ts). */
  async recordFailure(profile: string, error: AwsMfaError): Promise<void> {
    await this.#files.write(this.failureFile(profile), failureRecord(error, Date.now()));
  }

  /** The failure recorded for the profile's lock at or after `sinceMs`, if any. */
  failureSince(profile: string, sinceMs: number): AwsMfaError | undefined {
    const bytes = this.#files.read(this.failureFile(profile), MAX_FAILURE_RECORD_BYTES);
    return bytes === undefined || bytes === 'too-large' ? undefined : failureSince(bytes.toString('utf8'), sinceMs);
  }

  /** A holder that succeeded leaves no failure behind. */
  async clearFailure(profile: string): Promise<void> {
    await removeFile(this.failureFile(profile));
  }

  private failureFile(profile: string): string {
    return `${this.lockPathFor(profile)}.failed`;
  }

  async read(profile: string): Promise<CachedSession | undefined> {
    const bytes = this.#files.read(this.sessionFile(profile), MAX_SESSION_FILE_BYTES);
    const session = bytes === undefined || bytes === 'too-large' ? undefined : parseCacheFile(bytes.toString('utf8'));
    return session?.definition.profile === profile ? session : undefined;
  }

  async write(session: CachedSession): Promise<void> {
    const contents: CacheFileV2 = {
      version: 2,
      definition: session.definition,
      session: toCredentialProcessObject(session.credentials),
    };
    await this.#files.write(this.sessionFile(session.definition.profile), `${JSON.stringify(contents)}\n`);
  }

  /**
   * Drops the profile's session and every session made from it (roles assumed from it, at any
   * depth): the profile's keys changed, or it is gone. True when there was a session to drop.
   */
  async delete(profile: string): Promise<boolean> {
    if (!this.#files.hasFolder(this.sessionsFolder())) return false;
    const derived = (await this.readAll()).filter(
      (session) => session.definition.profile !== profile && chainProfiles(session.definition).includes(profile),
    );
    await Promise.all(derived.map((session) => removeFile(this.sessionFile(session.definition.profile))));
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
    for (const [file, bytes] of this.#files.readEach(this.sessionsFolder(), await this.sessionFiles(), MAX_SESSION_FILE_BYTES)) {
      const session = parseCacheFile(bytes.toString('utf8'));
      if (session && `${profileFileStem(session.definition.profile)}.json` === file) sessions.push(session);
    }
    return sessions;
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

/** The long-term keys a session was made from, at the root of its chain. */
export function rootOf(definition: SessionDefinition): RootKeys {
  switch (definition.kind) {
    case 'session-token':
      return definition;
    case 'assume-role':
      return rootOf(definition.source);
    case 'assume-role-with-mfa':
      return definition.root;
  }
}

/** Every profile a session was made from, itself first, the root last. */
export function chainProfiles(definition: SessionDefinition): string[] {
  switch (definition.kind) {
    case 'session-token':
      return [definition.profile];
    case 'assume-role':
      return [definition.profile, ...chainProfiles(definition.source)];
    case 'assume-role-with-mfa':
      return [definition.profile, definition.root.profile];
  }
}

/**
 * A cache file that is unreadable or of an unknown version counts as a miss. Version 1 files (before
 * roles) hold a GetSessionToken session: they are read as such, so an upgrade asks for no code.
 */
function parseCacheFile(text: string): CachedSession | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const file = parsed as { version?: unknown; origin?: unknown; definition?: unknown; session?: unknown };
  const definition =
    file.version === 1 && isRootKeys(file.origin)
      ? ({ kind: 'session-token', ...file.origin } as const)
      : file.version === 2 && isDefinition(file.definition)
        ? file.definition
        : undefined;
  if (definition === undefined) return undefined;
  const credentials = fromCredentialProcessObject(file.session as CredentialProcessObject);
  return credentials ? { definition, credentials } : undefined;
}

function isRootKeys(value: unknown): value is RootKeys {
  if (typeof value !== 'object' || value === null) return false;
  const root = value as Record<string, unknown>;
  return (
    typeof root.profile === 'string' &&
    typeof root.mfaSerial === 'string' &&
    (root.keySource === 'file' || root.keySource === 'keychain') &&
    typeof root.longTermKeyId === 'string'
  );
}

function isRoleSettings(value: Record<string, unknown>): boolean {
  return (
    typeof value.profile === 'string' &&
    typeof value.roleArn === 'string' &&
    typeof value.roleSessionName === 'string' &&
    (value.externalId === null || typeof value.externalId === 'string') &&
    typeof value.durationSeconds === 'number'
  );
}

function isDefinition(value: unknown): value is SessionDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const definition = value as Record<string, unknown>;
  switch (definition.kind) {
    case 'session-token':
      return isRootKeys(definition);
    case 'assume-role':
      return isRoleSettings(definition) && isDefinition(definition.source);
    case 'assume-role-with-mfa':
      return isRoleSettings(definition) && isRootKeys(definition.root);
    default:
      return false;
  }
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
