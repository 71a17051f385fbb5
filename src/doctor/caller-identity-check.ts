import type { CallerIdentity } from '../aws/sts.js';
import { maskKeyId } from '../core/credentials.js';
import { AwsMfaError } from '../core/errors.js';
import { type CheckResult, failedWith, passed } from './check-result.js';

const CHECK = 'long-term key';

/** `--online`: sts:GetCallerIdentity with the long-term keys, which every policy allows. */
export async function checkCallerIdentity(accessKeyId: string, whoAmI: () => Promise<CallerIdentity>): Promise<CheckResult> {
  try {
    const identity = await whoAmI();
    return passed(CHECK, `${maskKeyId(accessKeyId)} is valid: ${identity.arn}`);
  } catch (error) {
    if (!(error instanceof AwsMfaError)) throw error;
    return failedWith(CHECK, error);
  }
}
