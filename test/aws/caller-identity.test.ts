import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GetCallerIdentityRequest, getCallerIdentity } from '../../src/aws/sts.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { FakeSts, SESSION } from './fake-aws.js';

let sts: FakeSts;

beforeAll(async () => {
  sts = await FakeSts.start();
});
afterAll(() => sts.close());

function callerIdentityReply(fields: string): { status: number; body: string } {
  return {
    status: 200,
    body:
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n' +
      `  <GetCallerIdentityResult>\n${fields}  </GetCallerIdentityResult>\n` +
      '  <ResponseMetadata>\n    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n  </ResponseMetadata>\n' +
      '</GetCallerIdentityResponse>\n',
  };
}

function sessionRequest(): GetCallerIdentityRequest {
  return {
    credentials: { ...SESSION, expiration: new Date(SESSION.expiration) },
    target: { region: 'eu-west-1', endpoint: sts.url, caBundle: undefined },
    env: {},
  };
}

it('asks STS who a session belongs to, signed with the session’s token', async () => {
  sts.reply = callerIdentityReply(
    '    <Arn>arn:aws:iam::123456789012:user/alice</Arn>\n    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>\n    <Account>123456789012</Account>\n',
  );

  const identity = await getCallerIdentity(sessionRequest());

  expect(identity).toEqual({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice', userId: 'AIDACKCEVSQ6C2EXAMPLE' });
  expect(Object.fromEntries(sts.requests[0]?.params ?? [])).toEqual({ Action: 'GetCallerIdentity', Version: '2011-06-15' });
  expect(sts.requests[0]?.headers['x-amz-security-token']).toBe(SESSION.sessionToken);
});

it('refuses an answer without the account', async () => {
  sts.reply = callerIdentityReply('    <Arn>arn:aws:iam::123456789012:user/alice</Arn>\n    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>\n');

  const error = await getCallerIdentity(sessionRequest()).catch((caught: unknown) => caught);

  expect(error).toBeInstanceOf(AwsMfaError);
  expect((error as AwsMfaError).toLine()).toBe('aws-mfa: GetCallerIdentity failed: the response from AWS STS holds no complete identity');
});
