import { type AwsFiles, profileSettingsFrom } from '../config/profile-settings.js';
import type { Env } from '../core/io.js';
import { type CheckResult, failed, passed, warned } from './check-result.js';

const CHECK = 'MFA serial';

/**
 * The serial the session commands would send: the first mfa_serial from the profile towards the
 * chain's root, else the root's long-term section (aws_mfa_device). Discovery with
 * iam:ListMFADevices is not counted: the enforce-MFA policy denies it to long-term keys.
 */
export function checkMfaSerial(files: AwsFiles, hops: readonly string[], env: Env, keychainItemPresent: boolean): CheckResult {
  for (const hop of hops) {
    const settings = profileSettingsFrom(files, hop, {}, env);
    if (settings.mfaSerial) return passed(CHECK, `${settings.mfaSerial} (configured for ${hop})`);
  }
  const root = profileSettingsFrom(files, hops.at(-1) ?? '', {}, env);
  const fix = `set mfa_serial = ARN in [${root.configSectionName}] of ${root.configFile.path}, or run \`aws-mfa login -p ${root.profile} --save\` once before the policy applies`;
  if (keychainItemPresent) {
    return warned(CHECK, `none in the files; the keychain item may hold one (doctor does not open items)`, fix);
  }
  return failed(CHECK, 'none configured: finding it needs iam:ListMFADevices, which the enforce-MFA policy denies to long-term keys', fix);
}
