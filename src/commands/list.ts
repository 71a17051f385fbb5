import type { IniFile } from '../config/aws-files.js';
import { longTermProfiles } from '../config/profile-names.js';
import {
  type AwsFiles,
  type ProfileSettings,
  profileOfConfigSection,
  profileSettingsFrom,
  readAwsFiles,
} from '../config/profile-settings.js';
import { formatExpiration, maskKeyId } from '../core/credentials.js';
import { AwsMfaError, UsageError } from '../core/errors.js';
import type { Env, Io } from '../core/io.js';
import { alignColumns } from '../output/table.js';
import { resolveProfileChain } from '../providers/profile-chain.js';
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
  /** `role` for a role profile: its sessions come from AssumeRole, signed from its root. */
  readonly keySource: 'keychain' | 'file' | 'role' | 'none';
  /** Masked: the first and last four characters. */
  readonly accessKeyId: string | null;
  readonly mfaSerial: string | null;
  readonly totp: boolean;
  readonly sessionExpiration: string | null;
  readonly sessionValid: boolean;
  /** For a role profile: the role, and the profile with long-term keys at the root of its chain. */
  readonly roleArn: string | null;
  readonly root: string | null;
}

/** `list [--json]`: profiles from the keychain, the files and the session cache. */
export async function listCommand(options: { json?: boolean | undefined }, deps: ListDependencies): Promise<number> {
  const keychainItems = await readKeychainItems(deps);
  const sessions = new Map((await deps.cache.readAll()).map((session) => [session.definition.profile, session]));
  const files = await readAwsFiles(deps.io.env);
  const names = new Set([
    ...keychainItems.keys(),
    ...longTermProfiles(files.credentialsFile, files.configFile),
    ...roleProfiles(files.configFile),
    ...sessions.keys(),
  ]);
  // A plain copy: each profile's settings read a dozen variables, and each read of process.env is a call into the runtime.
  const env = { ...deps.io.env };
  const now = deps.io.now();
  const listings = [...names].sort().map((profile) => {
    const settings = profileSettingsFrom(files, profile, {}, env);
    return describeProfile(settings, keychainItems.get(profile), sessions.get(profile), now, roleOf(files, settings, env));
  });
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

/** Config profiles with role_arn; no section is read when the file never names that key. */
function roleProfiles(config: IniFile): string[] {
  if (!config.sections.mayHave('role_arn')) return [];
  return [...config.sections]
    .filter(([, values]) => values.has('role_arn'))
    .map(([section]) => profileOfConfigSection(section))
    .filter((profile): profile is string => profile !== undefined);
}

/** A role profile's ARN and root; a chain that cannot be served shows no root (aws-mfa credential-process says why). */
function roleOf(files: AwsFiles, settings: ProfileSettings, env: Env): { roleArn: string; root: string | null } | undefined {
  const roleArn = files.configFile.sections.get(settings.configSectionName)?.get('role_arn');
  if (roleArn === undefined) return undefined;
  try {
    return { roleArn, root: resolveProfileChain(files, settings.profile, {}, env).root.profile };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { roleArn, root: null };
  }
}

function describeProfile(
  settings: ProfileSettings,
  item: KeychainProfile | undefined,
  session: CachedSession | undefined,
  now: Date,
  role: { roleArn: string; root: string | null } | undefined,
): ProfileListing {
  const keys = item ?? settings.fileKeys;
  return {
    profile: settings.profile,
    keySource: role ? 'role' : item ? 'keychain' : settings.fileKeys ? 'file' : 'none',
    accessKeyId: keys ? maskKeyId(keys.accessKeyId) : null,
    mfaSerial: settings.mfaSerial ?? item?.mfaSerial ?? null,
    totp: item?.totpSeed !== undefined,
    sessionExpiration: session ? formatExpiration(session.credentials.expiration) : null,
    sessionValid: session !== undefined && session.credentials.expiration > now,
    roleArn: role?.roleArn ?? null,
    root: role?.root ?? null,
  };
}

function formatTable(listings: readonly ProfileListing[]): string {
  // The ROLE column only when there are role profiles: the table stays as it was for those who have none.
  const withRoles = listings.some((listing) => listing.roleArn !== null);
  const header = ['PROFILE', 'KEYS', 'KEY ID', 'MFA DEVICE', 'TOTP', 'SESSION', ...(withRoles ? ['ROLE'] : [])];
  const rows = listings.map((listing) => [
    listing.profile,
    listing.keySource === 'role' ? `from ${listing.root ?? '?'}` : listing.keySource,
    listing.accessKeyId ?? '-',
    listing.mfaSerial ?? '-',
    listing.totp ? 'yes' : 'no',
    listing.sessionExpiration === null ? '-' : `${listing.sessionValid ? 'until' : 'expired'} ${listing.sessionExpiration}`,
    ...(withRoles ? [listing.roleArn ?? '-'] : []),
  ]);
  return alignColumns([header, ...rows]);
}
