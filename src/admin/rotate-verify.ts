import { AwsCallError } from '../aws/aws-error.js';
import type { AwsClientRequest } from '../aws/client-options.js';
import { getCallerIdentity } from '../aws/sts.js';
import type { LongTermKeys } from '../core/credentials.js';
import { AwsMfaError } from '../core/errors.js';

/** Doubling, about 20 s in all: IAM usually takes a few seconds to make a new key known everywhere. */
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 5_000];

export interface VerifyRequest extends Omit<AwsClientRequest, 'credentials'> {
  readonly keys: LongTermKeys;
  /** The user the new key must sign as. */
  readonly userArn: string;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Signs GetCallerIdentity with the new key, retrying while AWS does not know it yet. */
export async function verifyNewKey(request: VerifyRequest): Promise<void> {
  const { keys, userArn, sleep, ...target } = request;
  for (const delayMs of [...RETRY_DELAYS_MS, undefined]) {
    try {
      const identity = await getCallerIdentity({ ...target, credentials: keys });
      if (identity.arn !== userArn)
        throw new AwsMfaError('GetCallerIdentity failed', `the new key signs as ${identity.arn}, not as ${userArn}`);
      return;
    } catch (error) {
      if (delayMs === undefined || !notKnownYet(error)) throw error;
      request.debug?.(`the new key is not known yet (${error.why}); trying again in ${delayMs / 1000} s`);
      await sleep(delayMs);
    }
  }
}

function notKnownYet(error: unknown): error is AwsCallError {
  return error instanceof AwsCallError && (error.kind === 'invalid-key' || error.kind === 'wrong-secret');
}
