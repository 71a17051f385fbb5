import {
  AssumeRoleCommand,
  type Credentials,
  GetCallerIdentityCommand,
  type GetCallerIdentityCommandOutput,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, StandardRetryToken } from '@smithy/types';
import type { LongTermKeys, SessionCredentials } from '../core/credentials.js';
import type { Env } from '../core/io.js';
import { type AwsClientRequest, incompleteResponse, MAX_ATTEMPTS, ServiceClient, withClient } from './client-options.js';
import type { ServiceTarget } from './service-target.js';

export type { LongTermKeys, SessionCredentials } from '../core/credentials.js';
export { DEFAULT_REGION } from './client-options.js';

export type StsTarget = ServiceTarget;

export interface GetSessionTokenRequest {
  keys: LongTermKeys;
  serialNumber: string;
  tokenCode: string;
  durationSeconds: number;
  target: StsTarget;
  env: Env;
  debug?: (line: string) => void;
  now?: () => Date;
}

export interface SessionTokenResult {
  credentials: SessionCredentials;
  /** The HTTP Date header of the response, for clock-skew hints. */
  serverDate: Date | undefined;
}

export interface AssumeRoleRequest extends AwsClientRequest {
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number | undefined;
  externalId?: string | undefined;
  /** Only when the role is assumed with long-term keys and a code (not from an MFA session). */
  mfa?: { serialNumber: string; tokenCode: string } | undefined;
}

export type GetCallerIdentityRequest = AwsClientRequest;

/** Who the credentials belong to. */
export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export async function getSessionToken(request: GetSessionTokenRequest): Promise<SessionTokenResult> {
  const { keys, target, env, debug, now } = request;
  return withClient(
    createStsClient({ credentials: keys, target, env, debug, now }, new RetryUnlessTheCodeMayHaveBeenUsed(MAX_ATTEMPTS)),
    async (sts) => {
      const output = await sts.call(
        'GetSessionToken',
        (client) =>
          client.send(
            new GetSessionTokenCommand({
              SerialNumber: request.serialNumber,
              TokenCode: request.tokenCode,
              DurationSeconds: request.durationSeconds,
            }),
          ),
        { secrets: [request.tokenCode] },
      );
      return { credentials: toSessionCredentials(output.Credentials, 'GetSessionToken'), serverDate: sts.serverDate };
    },
  );
}

/**
 * sts:AssumeRole, signed with whatever credentials the request carries (an MFA session, a previous
 * hop's role session, or long-term keys with a code). With a code, a request that may have reached
 * AWS is not sent again, as for GetSessionToken.
 */
export async function assumeRole(request: AssumeRoleRequest): Promise<SessionTokenResult> {
  const retryStrategy = request.mfa ? new RetryUnlessTheCodeMayHaveBeenUsed(MAX_ATTEMPTS) : undefined;
  return withClient(createStsClient(request, retryStrategy), async (sts) => {
    const output = await sts.call(
      'AssumeRole',
      (client) =>
        client.send(
          new AssumeRoleCommand({
            RoleArn: request.roleArn,
            RoleSessionName: request.roleSessionName,
            DurationSeconds: request.durationSeconds,
            ExternalId: request.externalId,
            SerialNumber: request.mfa?.serialNumber,
            TokenCode: request.mfa?.tokenCode,
          }),
        ),
      {
        secrets: request.mfa ? [request.mfa.tokenCode] : [],
        accessDeniedHint: `the trust policy of ${request.roleArn} must allow who assumes it (the IAM user with MFA, aws:MultiFactorAuthPresent, or the previous role of the chain), and their own policies sts:AssumeRole on it`,
        signedWithSession: 'sessionToken' in request.credentials,
      },
    );
    return { credentials: toSessionCredentials(output.Credentials, 'AssumeRole'), serverDate: sts.serverDate };
  });
}

export async function getCallerIdentity(request: GetCallerIdentityRequest): Promise<CallerIdentity> {
  const output = await withClient(createStsClient(request), (sts) =>
    sts.call('GetCallerIdentity', (client) => client.send(new GetCallerIdentityCommand({}))),
  );
  return toCallerIdentity(output);
}

function createStsClient(request: AwsClientRequest, retryStrategy?: StandardRetryStrategy): ServiceClient<STSClient> {
  // STS also signs with SigV4a: its region set is fixed too, so that none is read from the AWS config.
  return new ServiceClient(
    'sts',
    request,
    (options) => new STSClient({ ...options, sigv4aSigningRegionSet: [options.region], ...(retryStrategy ? { retryStrategy } : {}) }),
  );
}

/**
 * AWS accepts an MFA code once. A request that timed out or lost its connection may have reached
 * AWS and used the code, and a retry could then only be refused as a reused code: such network
 * errors are reported at once. Throttling and server errors are answers that AWS did not serve the
 * request, and are retried as usual.
 */
class RetryUnlessTheCodeMayHaveBeenUsed extends StandardRetryStrategy {
  override async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    const answered = errorInfo.error?.$metadata?.httpStatusCode !== undefined;
    if (errorInfo.errorType === 'TRANSIENT' && !answered) throw new Error('not retried: the MFA code may have been used');
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}

function toSessionCredentials(credentials: Credentials | undefined, operation: string): SessionCredentials {
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = credentials ?? {};
  if (!AccessKeyId || !SecretAccessKey || !SessionToken || !(Expiration instanceof Date)) {
    throw incompleteResponse('STS', operation, 'credentials');
  }
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration: Expiration };
}

function toCallerIdentity({ Account, Arn, UserId }: GetCallerIdentityCommandOutput): CallerIdentity {
  if (!Account || !Arn || !UserId) throw incompleteResponse('STS', 'GetCallerIdentity', 'identity');
  return { account: Account, arn: Arn, userId: UserId };
}
