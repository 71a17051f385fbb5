import { enforceMfaPolicy } from '../admin/enforce-mfa-policy.js';
import { isPartition, PARTITIONS } from '../aws/partition.js';
import { DEFAULT_SESSION_SECONDS, MAX_SESSION_SECONDS, MIN_SESSION_SECONDS, parseBoundedDuration } from '../config/duration.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';

export interface PolicyCommandOptions {
  readonly maxAge?: string | undefined;
  readonly selfService?: boolean | undefined;
  readonly partition?: string | undefined;
}

/** `policy`: prints the IAM policy that enforces MFA on the API, as JSON on stdout. */
export async function policyCommand(options: PolicyCommandOptions, { io }: { io: Io }): Promise<number> {
  const maxAgeSeconds =
    options.maxAge === undefined
      ? DEFAULT_SESSION_SECONDS
      : parseBoundedDuration(options.maxAge, '--max-age', { min: MIN_SESSION_SECONDS, max: MAX_SESSION_SECONDS });
  const partition = options.partition ?? 'aws';
  if (!isPartition(partition)) throw new UsageError('bad --partition', `'${partition}' is not one of ${PARTITIONS.join(', ')}`);
  const document = enforceMfaPolicy({ maxAgeSeconds, selfService: options.selfService ?? false, partition });
  io.writeStdout(`${JSON.stringify(document, null, 2)}\n`);
  return 0;
}
