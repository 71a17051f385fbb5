import type { Env } from '../core/io.js';
import { type CheckResult, failed, passed } from './check-result.js';

const CHECK = 'environment';

/**
 * The AWS CLI and SDKs take AWS_ACCESS_KEY_ID before any profile, and AWS_PROFILE before
 * `default`: either makes a shell's AWS tools use something other than the profile checked.
 */
export function checkEnvironment(env: Env, profile: string): CheckResult {
  const keyVariables = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'].filter((name) => env[name]);
  if (keyVariables.length > 0) {
    return failed(
      CHECK,
      `${keyVariables.join(', ')} set: the AWS tools use ${keyVariables.length === 1 ? 'it' : 'them'} before any profile, so ${profile} is not used`,
      `unset ${keyVariables.join(' ')} (left by an \`eval "$(aws-mfa env)"\`?)`,
    );
  }
  const selected = env.AWS_PROFILE;
  if (selected && selected !== profile) {
    return failed(
      CHECK,
      `AWS_PROFILE=${selected}: the AWS tools use ${selected}, not ${profile}, unless given --profile ${profile}`,
      `unset AWS_PROFILE, or export AWS_PROFILE=${profile}`,
    );
  }
  return passed(CHECK, `no AWS_ACCESS_KEY_ID, and AWS_PROFILE ${selected ? `is ${profile}` : 'unset'}`);
}
