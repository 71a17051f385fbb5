import type { AwsFiles } from '../config/profile-settings.js';
import { type CheckResult, failed, passed } from './check-result.js';

const CHECK = 'shadowing';

/**
 * In one profile the AWS tools read static keys in `[NAME]` of the credentials file before
 * credential_process, and role_arn instead of it: either way aws-mfa is never asked.
 */
export function checkShadowing(files: AwsFiles, profile: string, configSectionName: string): CheckResult {
  const config = files.configFile.sections.get(configSectionName);
  const credentialProcess = config?.get('credential_process');
  if (!credentialProcess) return passed(CHECK, `no credential_process in [${configSectionName}]: nothing to shadow`);
  const staticKeys = files.credentialsFile.sections.get(profile)?.get('aws_access_key_id');
  if (staticKeys) {
    return failed(
      CHECK,
      `[${profile}] of ${files.credentialsFile.path} holds keys, which the AWS tools use instead of credential_process`,
      `remove [${profile}] from ${files.credentialsFile.path} (long-term keys go to \`aws-mfa add ${profile}\` or [${profile}-long-term])`,
    );
  }
  if (config?.get('role_arn')) {
    return failed(
      CHECK,
      `[${configSectionName}] has role_arn beside credential_process: the AWS tools assume the role and ignore credential_process`,
      `keep the role in its own profile and put credential_process in another: \`aws-mfa configure ROLE --as NAME\``,
    );
  }
  return passed(CHECK, `credential_process in [${configSectionName}], and nothing shadows it`);
}
