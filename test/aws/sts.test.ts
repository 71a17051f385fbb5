import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../src/aws/aws-error.js';
import { assumeRole, type GetSessionTokenRequest, getSessionToken } from '../../src/aws/sts.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { closedPort, errorReply, FakeSts, SESSION, successReply } from './fake-aws.js';

const KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const CODE = '123456';

let sts: FakeSts;

beforeAll(async () => {
  sts = await FakeSts.start();
});
afterAll(() => sts.close());
afterEach(() => {
  sts.requests.length = 0;
  sts.reply = successReply();
});

function stsRequest(overrides: Partial<GetSessionTokenRequest> = {}): GetSessionTokenRequest {
  return {
    keys: KEYS,
    serialNumber: SERIAL,
    tokenCode: CODE,
    durationSeconds: 3600,
    target: { region: 'eu-west-2', endpoint: sts.url, caBundle: undefined },
    env: {},
    ...overrides,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<AwsMfaError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AwsMfaError)) throw new Error(`expected an AwsMfaError, got ${String(error)}`);
  return error;
}

function expectNoSecret(line: string): void {
  expect(line).not.toMatch(/A[KS]IA[A-Z0-9]{12}/);
  expect(line).not.toContain(KEYS.secretAccessKey);
  expect(line).not.toMatch(new RegExp(`\\b${CODE}\\b`));
  expect(line).not.toContain('\n');
}

describe('getSessionToken against a fake STS', () => {
  it('sends the serial, code and duration, signed with SigV4 for the given key and region', async () => {
    await getSessionToken(stsRequest());

    expect(sts.requests).toHaveLength(1);
    const [received] = sts.requests;
    expect(received?.method).toBe('POST');
    expect(Object.fromEntries(received?.params ?? [])).toEqual({
      Action: 'GetSessionToken',
      Version: '2011-06-15',
      SerialNumber: SERIAL,
      TokenCode: CODE,
      DurationSeconds: '3600',
    });
    expect(received?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-2\/sts\/aws4_request, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/,
    );
  });

  it('signs for us-east-1 when no region is known', async () => {
    await getSessionToken(stsRequest({ target: { region: undefined, endpoint: sts.url, caBundle: undefined } }));

    expect(sts.requests[0]?.headers.authorization).toContain('/us-east-1/sts/aws4_request');
  });

  it('returns the session and the Date of the response', async () => {
    sts.reply = { ...successReply(), headers: { Date: 'Wed, 21 Oct 2026 07:28:00 GMT' } };

    const result = await getSessionToken(stsRequest());

    expect(result).toEqual({
      credentials: {
        accessKeyId: SESSION.accessKeyId,
        secretAccessKey: SESSION.secretAccessKey,
        sessionToken: SESSION.sessionToken,
        expiration: new Date(SESSION.expiration),
      },
      serverDate: new Date('2026-10-21T07:28:00Z'),
    });
  });

  it('writes debug lines without secrets', async () => {
    const lines: string[] = [];

    await getSessionToken(stsRequest({ debug: (line) => lines.push(line) }));

    expect(lines.join('\n')).toContain(`POST ${sts.url}`);
    expectNoSecret(lines.join(' '));
  });

  it.each([
    [
      'a wrong or reused code',
      errorReply(403, 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. '),
      'aws-mfa: GetSessionToken failed: AWS rejected the MFA code (wrong, or already used) (wait for the next code and try again)',
    ],
    [
      'a serial that is not the user’s',
      errorReply(
        403,
        'AccessDenied',
        'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.',
      ),
      'aws-mfa: GetSessionToken failed: the MFA device is not one of this user’s (unknown serial, or a device of another user) (check mfa_serial against `aws iam list-mfa-devices`)',
    ],
    [
      'session credentials used as long-term keys',
      errorReply(403, 'AccessDenied', 'Cannot call GetSessionToken with session credentials'),
      'aws-mfa: GetSessionToken failed: the long-term keys are session credentials (use an IAM user access key (AKIA…))',
    ],
    [
      'a deny in a policy',
      errorReply(
        403,
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:GetSessionToken with an explicit deny in a service control policy',
      ),
      'aws-mfa: GetSessionToken failed: access denied: User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:GetSessionToken with an explicit deny in a service control policy (an IAM policy or SCP denies this call to the user)',
    ],
    [
      'an unknown or deleted key',
      errorReply(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'),
      'aws-mfa: GetSessionToken failed: AWS does not know the access key id (deleted, deactivated or mistyped) (check the long-term keys with `aws-mfa list`; in an opt-in region, check that the account enabled it)',
    ],
    [
      'a wrong secret',
      errorReply(
        403,
        'SignatureDoesNotMatch',
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:sts.amazonaws.com\n'",
      ),
      'aws-mfa: GetSessionToken failed: the secret access key does not match the access key id (store the long-term keys again (`aws-mfa add NAME` or the -long-term section))',
    ],
    [
      'an expired token',
      errorReply(400, 'ExpiredToken', 'The security token included in the request is expired'),
      'aws-mfa: GetSessionToken failed: AWS says the security token has expired (long-term keys must be an IAM user access key (AKIA…), not a session)',
    ],
    [
      'a duration out of range',
      errorReply(
        400,
        'ValidationError',
        "1 validation error detected: Value '12' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      ),
      "aws-mfa: GetSessionToken failed: AWS rejected the request: 1 validation error detected: the value at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900 (check the MFA serial and the duration)",
    ],
    [
      'a code AWS echoes back',
      errorReply(
        400,
        'ValidationError',
        "1 validation error detected: Value '123456' at 'tokenCode' failed to satisfy constraint: Member must have length less than or equal to 6",
      ),
      "aws-mfa: GetSessionToken failed: AWS rejected the request: 1 validation error detected: the value at 'tokenCode' failed to satisfy constraint: Member must have length less than or equal to 6 (check the MFA serial and the duration)",
    ],
    [
      'a region where STS is off',
      errorReply(
        403,
        'RegionDisabledException',
        'STS is not activated in this region for account:123456789012. Your account administrator can activate STS in this region using the IAM Console.',
      ),
      'aws-mfa: GetSessionToken failed: STS is not activated in this region for account:123456789012. Your account administrator can activate STS in this region using the IAM Console. (activate the region in IAM account settings, or set another region (AWS_REGION or region))',
    ],
    [
      'an error that echoes the Authorization header',
      errorReply(
        400,
        'IncompleteSignature',
        "'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261122/eu-west-2/sts/aws4_request SignedHeaders=host' not a valid key=value pair (missing equal-sign) in Authorization header",
      ),
      "aws-mfa: GetSessionToken failed: IncompleteSignature: 'AWS4-HMAC-SHA256 Credential=…/20261122/eu-west-2/sts/aws4_request SignedHeaders=host' not a valid key=value pair (missing equal-sign) in Authorization header",
    ],
  ])('reports %s in one line, exit 1, without retrying', async (_case, reply, line) => {
    sts.reply = reply;

    const error = await failureOf(getSessionToken(stsRequest()));

    expect(error.toLine()).toBe(line);
    expect(error.exitCode).toBe(1);
    expectNoSecret(error.toLine());
    expect(sts.requests).toHaveLength(1);
  });

  it.each([
    ['Throttling', 'Rate exceeded'],
    ['RequestLimitExceeded', 'Request limit exceeded.'],
  ])('retries %s three times in all, then reports it', async (code, message) => {
    sts.reply = errorReply(400, code, message);

    const error = await failureOf(getSessionToken(stsRequest()));

    expect(sts.requests).toHaveLength(3);
    expect(error.toLine()).toBe(
      `aws-mfa: GetSessionToken failed: AWS is throttling requests (${code}), still after 3 attempts (wait a minute and try again)`,
    );
    expect(error).toMatchObject({ kind: 'throttled', exitCode: 1 });
  });

  it('retries a server error three times in all, then reports it', async () => {
    sts.reply = errorReply(503, 'ServiceUnavailable', 'Service is unavailable.', 'Receiver');

    const error = await failureOf(getSessionToken(stsRequest()));

    expect(sts.requests).toHaveLength(3);
    expect(error.toLine()).toBe(
      'aws-mfa: GetSessionToken failed: AWS is unavailable (ServiceUnavailable, HTTP 503) (try again in a minute)',
    );
  });

  it('blames the clock for a wrong code when the response’s Date is far from the local time', async () => {
    const twoMinutesAgo = new Date(Date.now() - 120_000).toUTCString();
    sts.reply = {
      ...errorReply(403, 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. '),
      headers: { Date: twoMinutesAgo },
    };

    const error = await failureOf(getSessionToken(stsRequest()));

    expect(error.toLine()).toMatch(/AWS rejected the MFA code .*\(this computer’s clock is 1[12]\d s ahead of AWS’s: sync it/);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).serverDate).toEqual(new Date(twoMinutesAgo));
    expect((error as AwsCallError).kind).toBe('wrong-mfa-code');
  });

  it('blames the clock for an expired signature', async () => {
    sts.reply = {
      ...errorReply(
        403,
        'SignatureDoesNotMatch',
        'Signature expired: 20261122T000000Z is now earlier than 20261122T060000Z (20261122T061500Z - 15 min.)',
      ),
      headers: { Date: new Date(Date.now() + 6 * 3600_000).toUTCString() },
    };

    const error = await failureOf(getSessionToken(stsRequest()));

    expect(error.toLine()).toMatch(/AWS refused the request time \(this computer’s clock is \d+ s behind AWS’s/);
  });

  it('refuses a success response that holds no credentials', async () => {
    sts.reply = {
      status: 200,
      body: '<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult/></GetSessionTokenResponse>',
    };

    const error = await failureOf(getSessionToken(stsRequest()));

    expect(error.toLine()).toBe('aws-mfa: GetSessionToken failed: the response from AWS STS holds no complete credentials');
  });

  it('reports a refused connection as a network error', async () => {
    const port = await closedPort();

    const error = await failureOf(
      getSessionToken(stsRequest({ target: { region: 'eu-west-2', endpoint: `http://127.0.0.1:${port}`, caBundle: undefined } })),
    );

    expect(error.toLine()).toBe(
      `aws-mfa: GetSessionToken failed: cannot reach 127.0.0.1:${port}: connection refused (check the network connection and the region or endpoint)`,
    );
    expect(error.exitCode).toBe(1);
  });
});

describe('assumeRole errors, against a fake STS that answers as AWS does', () => {
  const ROLE = 'arn:aws:iam::111111111111:role/admin';
  const SESSION_CREDENTIALS = { ...KEYS, accessKeyId: 'ASIAIOSFODNN7EXAMPLE', sessionToken: 'session-token-EXAMPLE' };

  function assume(credentials: typeof KEYS | typeof SESSION_CREDENTIALS = SESSION_CREDENTIALS) {
    return assumeRole({
      credentials,
      target: { region: 'eu-west-2', endpoint: sts.url, caBundle: undefined },
      env: {},
      roleArn: ROLE,
      roleSessionName: 'alice',
      durationSeconds: 7200,
    });
  }

  it.each([
    [
      'AccessDenied on the trust policy: names the role and what its trust policy must allow',
      errorReply(
        403,
        'AccessDenied',
        `User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
      ),
      /^aws-mfa: AssumeRole failed: access denied: .*sts:AssumeRole on resource: arn:aws:iam::111111111111:role\/admin \(the trust policy of arn:aws:iam::111111111111:role\/admin must allow .*MultiFactorAuthPresent/,
    ],
    [
      'the 1 h cap of role chaining',
      errorReply(
        400,
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      ),
      /failed: AWS caps a role session assumed with session credentials .* at 1 hour \(set duration_seconds to 3600 or less/,
    ],
    [
      "the role's MaxSessionDuration",
      errorReply(400, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'),
      /failed: duration_seconds is longer than the role's maximum session duration \(lower duration_seconds, or raise the role's MaxSessionDuration\)/,
    ],
    [
      'a disabled region',
      errorReply(403, 'RegionDisabledException', 'STS is not activated in this region for account:111111111111.'),
      /failed: STS is not activated in this region .*\(activate the region/,
    ],
    [
      'an expired session that signed it',
      errorReply(400, 'ExpiredToken', 'The security token included in the request is expired'),
      /failed: AWS says the session that signed the request has expired \(check this computer's clock; `aws-mfa clear` drops the cached sessions\)/,
    ],
  ])('%s', async (_name, reply, line) => {
    sts.reply = reply;

    const error = await failureOf(assume());

    expect(error.toLine()).toMatch(line);
    expect(error.exitCode).toBe(1);
    expectNoSecret(error.toLine());
  });
});
