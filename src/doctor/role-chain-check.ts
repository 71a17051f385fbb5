import { type AwsFiles, profileSettingsFrom } from '../config/profile-settings.js';
import type { Env } from '../core/io.js';
import { type CheckResult, failed, passed } from './check-result.js';

const CHECK = 'role chain';

/** Keys of a role profile that start a chain this tool does not (it starts from long-term keys). */
const OTHER_SOURCES: ReadonlyArray<readonly [string, string]> = [
  ['credential_source', 'the AWS CLI (credential_source)'],
  ['web_identity_token_file', 'the AWS CLI or SDK (web identity)'],
  ['sso_session', '`aws sso login`'],
  ['sso_start_url', '`aws sso login`'],
];

export interface RoleChain {
  readonly result: CheckResult;
  /** Profiles from the one checked to the root; the root's keys sign the chain. undefined when the chain is broken. */
  readonly hops: readonly string[] | undefined;
}

/**
 * The source_profile chain of a role profile, walked in the config file: a loop or a source of
 * another kind is named. A root named nowhere is left to the long-term keys check: its keys may be
 * in the keychain alone. (The chain resolver of the session commands is the
 * authority; this walk only names what it would refuse, without calling AWS.)
 */
export function checkRoleChain(files: AwsFiles, profile: string, env: Env): RoleChain {
  const hops = [profile];
  for (;;) {
    const current = hops.at(-1) ?? profile;
    const settings = profileSettingsFrom(files, current, {}, env);
    const config = files.configFile.sections.get(settings.configSectionName);
    const other = OTHER_SOURCES.find(([key]) => config?.has(key));
    if (other) {
      return broken(`[${settings.configSectionName}] has ${other[0]}: aws-mfa chains start from long-term keys`, `use ${other[1]} for it`);
    }
    if (!config?.get('role_arn')) break;
    const source = config.get('source_profile');
    if (!source) {
      return broken(`[${settings.configSectionName}] has role_arn but no source_profile`, 'name the profile whose keys sign AssumeRole');
    }
    if (hops.includes(source)) {
      return broken(`source_profile loop: ${[...hops, source].join(' -> ')}`, 'point one source_profile at a profile with long-term keys');
    }
    hops.push(source);
  }
  if (hops.length === 1) return { result: passed(CHECK, `${profile} is not a role profile`), hops };
  return { result: passed(CHECK, `${hops.join(' -> ')}: the root ${hops.at(-1)} signs the first AssumeRole`), hops };
}

function broken(detail: string, fix: string): RoleChain {
  return { result: failed(CHECK, detail, fix), hops: undefined };
}
