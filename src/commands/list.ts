import { longTermProfiles } from '../config/profile-names.js';
import { type ProfileSettings, profileSettingsFrom, readAwsFiles } from '../config/profile-settings.js';
import { AwsMfaError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { alignColumns } from '../output/table.js';
import { formatExpiration, maskKeyId } from '../session/credentials.js';
import type { KeychainProfile, ProfileKeychain } from '../store/profile-keychain.js';
import type { CachedSession, SessionCache } from '../store/session-cache.js';

export interface ListDependencies {
  readonly io: Io;
  readonly openProfileKeychain: () => Promise<ProfileKeychain>;
  readonly cache: SessionCache;
}

/** One profile as `list` shows it: where its keys are, never a secret. */
export interface ProfileListing {
  readonly profile: string;
  readonly keySource: 'keychain' | 'file' | 'none';
  /** Masked: the first and last four characters. */
  readonly accessKeyId: string | null;
  readonly mfaSerial: string | null;
  readonly totp: boolean;
  readonly sessionExpiration: string | null;
  readonly sessionValid: boolean;
}

/** `list [--json]`: profiles from the keychain, the files and the session cache. */
export async function listCommand(options: { json?: boolean | undefined }, deps: ListDependencies): Promise<number> {
  const keychainItems = await readKeychainItems(deps);
  const sessions = new Map((await deps.cache.readAll()).map((session) => [session.origin.profile, session]));
  const files = await readAwsFiles(deps.io.env);
  const names = new Set([...keychainItems.keys(), ...longTermProfiles(files.credentialsFile, files.configFile), ...sessions.keys()]);
  const listings = [...names]
    .sort()
    .map((profile) =>
      describeProfile(
        profileSettingsFrom(files, profile, {}, deps.io.env),
        keychainItems.get(profile),
        sessions.get(profile),
        deps.io.now(),
      ),
    );
  deps.io.writeStdout(options.json ? `${JSON.stringify(listings, null, 2)}\n` : formatTable(listings));
  return 0;
}

/** Without a keychain, the files are still listed, and the user is told why items are missing. */
async function readKeychainItems(deps: ListDependencies): Promise<Map<string, KeychainProfile>> {
  try {
    const keychain = await deps.openProfileKeychain();
    const items = await keychain.list((_profile, error) => deps.io.writeStderr(`${error.toLine()}\n`));
    return new Map(items.map(({ profile, item }) => [profile, item]));
  } catch (error) {
    if (!(error instanceof AwsMfaError)) throw error;
    deps.io.writeStderr(`${error.toLine()}; listing the files only\n`);
    return new Map();
  }
}

function describeProfile(
  settings: ProfileSettings,
  item: KeychainProfile | undefined,
  session: CachedSession | undefined,
  now: Date,
): ProfileListing {
  const keys = item ?? settings.fileKeys;
  return {
    profile: settings.profile,
    keySource: item ? 'keychain' : settings.fileKeys ? 'file' : 'none',
    accessKeyId: keys ? maskKeyId(keys.accessKeyId) : null,
    mfaSerial: settings.mfaSerial ?? item?.mfaSerial ?? null,
    totp: item?.totpSeed !== undefined,
    sessionExpiration: session ? formatExpiration(session.credentials.expiration) : null,
    sessionValid: session !== undefined && session.credentials.expiration > now,
  };
}

function formatTable(listings: readonly ProfileListing[]): string {
  const header = ['PROFILE', 'KEYS', 'KEY ID', 'MFA DEVICE', 'TOTP', 'SESSION'];
  const rows = listings.map((listing) => [
    listing.profile,
    listing.keySource,
    listing.accessKeyId ?? '-',
    listing.mfaSerial ?? '-',
    listing.totp ? 'yes' : 'no',
    listing.sessionExpiration === null ? '-' : `${listing.sessionValid ? 'until' : 'expired'} ${listing.sessionExpiration}`,
  ]);
  return alignColumns([header, ...rows]);
}
