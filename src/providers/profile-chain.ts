import { type AwsFiles, type ProfileSettings, profileSettingsFrom, type SettingsFlags } from '../config/profile-settings.js';
import { validateMfaSerial } from '../config/validate.js';
import { UsageError } from '../core/errors.js';
import type { Env } from '../core/io.js';

/** AWS caps a role session assumed with session credentials (and every chained hop) at this. */
export const ROLE_SESSION_CAP_SECONDS = 3600;

/** AWS's patterns for AssumeRole's parameters. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const MIN_ROLE_SECONDS = 900;
const MAX_ROLE_SECONDS = 43200;

/** Keys of profiles whose credentials come from elsewhere than long-term keys: not a chain this tool can start. */
const FOREIGN_SOURCES: ReadonlyArray<readonly [key: string, tool: string]> = [
  ['credential_source', 'the AWS CLI and SDKs assume such roles from the instance, container or environment themselves'],
  ['web_identity_token_file', 'the AWS CLI and SDKs assume such roles with the web identity token themselves'],
  ['sso_session', 'use `aws sso login` (the AWS CLI) or aws-vault'],
  ['sso_start_url', 'use `aws sso login` (the AWS CLI) or aws-vault'],
  ['sso_account_id', 'use `aws sso login` (the AWS CLI) or aws-vault'],
  ['sso_role_name', 'use `aws sso login` (the AWS CLI) or aws-vault'],
];

/** One AssumeRole of a chain, as the role profile configures it. */
export interface RoleHop {
  readonly settings: ProfileSettings;
  readonly roleArn: string;
  /** Configured, else the root's IAM user name, found when the role is first assumed. */
  readonly roleSessionName: string | undefined;
  readonly externalId: string | undefined;
  readonly durationSeconds: number;
  /** Over the 1 h cap on the first hop: assumed with the root's long-term keys and an MFA code. */
  readonly withMfa: boolean;
}

/**
 * A profile as a chain: the root (a profile with long-term keys, whose MFA session aws-mfa gets),
 * then the roles assumed from it, the named profile last. A profile without role_arn is a chain of
 * its root alone.
 */
export interface ProfileChain {
  readonly root: ProfileSettings;
  readonly hops: readonly RoleHop[];
  /** The named profile's settings (its region is the session's). */
  readonly named: ProfileSettings;
}

/**
 * Follows source_profile from the named profile to the root, as the AWS CLI does, and refuses
 * (exit 2) whatever it cannot serve: a loop, a role with no source, a source of another kind
 * (credential_source, web identity, SSO), a malformed role ARN, session name, external id or
 * duration. Reads nothing but the files it is given. `mfa_serial` may stand on any profile of the
 * chain: the first found from the named profile towards the root names the root's device.
 */
export function resolveProfileChain(files: AwsFiles, profile: string, flags: SettingsFlags, env: Env): ProfileChain {
  const named = profileSettingsFrom(files, profile, flags, env);
  const roles: ProfileSettings[] = [];
  const visited = [profile];
  let current = named;
  let mfaSerial = flags.mfaSerial;
  for (;;) {
    const config = configOf(current);
    if (!config.has('role_arn')) break;
    mfaSerial ??= configuredSerial(current, config);
    refuseForeignSource(current, config, visited);
    const source = config.get('source_profile');
    if (!source) {
      throw new UsageError(
        `cannot assume the role of profile ${current.profile}`,
        `[${current.configSectionName}] has role_arn but no source_profile`,
        {
          hint: 'name the profile with the long-term keys it is assumed from in source_profile',
        },
      );
    }
    if (visited.includes(source)) {
      throw new UsageError(`cannot assume the role of profile ${profile}`, `source_profile loops: ${[...visited, source].join(' -> ')}`);
    }
    roles.push(current);
    visited.push(source);
    current = profileSettingsFrom(files, source, {}, env);
  }
  if (roles.length === 0) return { root: named, hops: [], named };
  const rootConfig = configOf(current);
  refuseForeignSource(current, rootConfig, visited);
  mfaSerial ??= configuredSerial(current, rootConfig);
  const root = profileSettingsFrom(files, current.profile, { mfaSerial, duration: flags.duration, prompt: flags.prompt }, env);
  const hops = roles.reverse().map((role, index) => roleHop(role, index === 0));
  return { root, hops, named };
}

function configOf(settings: ProfileSettings): ReadonlyMap<string, string> {
  return settings.configFile.sections.get(settings.configSectionName) ?? new Map<string, string>();
}

/** mfa_serial of the config profile, or aws_mfa_device of its long-term section. */
function configuredSerial(settings: ProfileSettings, config: ReadonlyMap<string, string>): string | undefined {
  const serial = config.get('mfa_serial');
  if (serial) return validateMfaSerial(serial, settings.configFile.path);
  return settings.mfaSerial;
}

function refuseForeignSource(settings: ProfileSettings, config: ReadonlyMap<string, string>, chain: readonly string[]): void {
  for (const [key, tool] of FOREIGN_SOURCES) {
    if (!config.has(key)) continue;
    throw new UsageError(
      `cannot serve profile ${chain[0]}`,
      `[${settings.configSectionName}] has ${key}, and aws-mfa's role chains start from long-term keys`,
      { hint: tool },
    );
  }
}

function roleHop(settings: ProfileSettings, first: boolean): RoleHop {
  const config = configOf(settings);
  const where = `[${settings.configSectionName}] of ${settings.configFile.path}`;
  const roleArn = config.get('role_arn') ?? '';
  if (!ROLE_ARN.test(roleArn)) {
    throw new UsageError(`bad role_arn in ${where}`, `${JSON.stringify(roleArn)} is not a role ARN`, {
      hint: 'e.g. arn:aws:iam::123456789012:role/admin',
    });
  }
  const roleSessionName = config.get('role_session_name') || undefined;
  if (roleSessionName !== undefined && !ROLE_SESSION_NAME.test(roleSessionName)) {
    throw new UsageError(`bad role_session_name in ${where}`, '2 to 64 letters, digits or any of _+=,.@- are allowed');
  }
  const externalId = config.get('external_id') || undefined;
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    throw new UsageError(`bad external_id in ${where}`, '2 to 1224 letters, digits or any of _+=,.@:/- are allowed');
  }
  const durationSeconds = roleDuration(config.get('duration_seconds'), where);
  return { settings, roleArn, roleSessionName, externalId, durationSeconds, withMfa: first && durationSeconds > ROLE_SESSION_CAP_SECONDS };
}

function roleDuration(value: string | undefined, where: string): number {
  if (!value) return ROLE_SESSION_CAP_SECONDS;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!(seconds >= MIN_ROLE_SECONDS && seconds <= MAX_ROLE_SECONDS)) {
    throw new UsageError(`bad duration_seconds in ${where}`, `${JSON.stringify(value)} is not a number of seconds from 900 to 43200`);
  }
  return seconds;
}
