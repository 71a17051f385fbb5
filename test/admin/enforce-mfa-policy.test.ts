import { describe, expect, it } from 'vitest';
import { ACTIONS_ALLOWED_WITHOUT_MFA, enforceMfaPolicy } from '../../src/admin/enforce-mfa-policy.js';
import { policyCommand } from '../../src/commands/policy.js';
import { createFakeIo } from '../fakes/fake-io.js';

async function printed(options: Record<string, unknown>) {
  const io = createFakeIo();
  const exitCode = await policyCommand(options, { io });
  return { exitCode, document: JSON.parse(io.stdout.join('')), stdout: io.stdout.join('') };
}

describe('policy', () => {
  it('denies everything without MFA and with MFA older than 8 h by default', async () => {
    const { exitCode, document } = await printed({});
    expect(exitCode).toBe(0);
    expect(document).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'DenyAllWithoutMFA', Effect: 'Deny', Action: '*', Resource: '*', Condition: { Null: { 'aws:MultiFactorAuthAge': 'true' } } },
        {
          Sid: 'DenyAllWhenMFAIsOlderThanMaxAge',
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { NumericGreaterThan: { 'aws:MultiFactorAuthAge': '28800' } },
        },
      ],
    });
  });

  it.each([
    ['15m', '900'],
    ['1h30m', '5400'],
    ['36h', '129600'],
  ])('--max-age %s is %s seconds', async (maxAge, seconds) => {
    const { document } = await printed({ maxAge });
    expect(document.Statement[1].Condition.NumericGreaterThan['aws:MultiFactorAuthAge']).toBe(seconds);
  });

  it('--self-service allows managing one’s own MFA device and password, and exempts enrolment from the deny', async () => {
    const { document } = await printed({ selfService: true });
    const sids = document.Statement.map((statement: { Sid: string }) => statement.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    expect(sids).toEqual([
      'AllowViewAccountInfo',
      'AllowManageOwnPasswordAndUser',
      'AllowManageOwnVirtualMFADevice',
      'AllowManageOwnUserMFA',
      'DenyAllWithoutMFA',
      'DenyAllWhenMFAIsOlderThanMaxAge',
    ]);
    const deny = document.Statement[4];
    expect(deny).toMatchObject({ Effect: 'Deny', Resource: '*', Condition: { Null: { 'aws:MultiFactorAuthAge': 'true' } } });
    expect(deny.Action).toBeUndefined();
    expect(deny.NotAction).toEqual(ACTIONS_ALLOWED_WITHOUT_MFA);
    expect(deny.NotAction).toEqual(
      expect.arrayContaining(['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:DeleteVirtualMFADevice', 'sts:GetSessionToken']),
    );
    expect(document.Statement[1].Resource).toBe('arn:aws:iam::*:user/${aws:username}');
  });

  it('names the partition in its ARNs', () => {
    const document = enforceMfaPolicy({ maxAgeSeconds: 3600, selfService: true, partition: 'aws-cn' });
    expect(JSON.stringify(document)).not.toContain('arn:aws:');
    expect(document.Statement[2]?.Resource).toBe('arn:aws-cn:iam::*:mfa/*');
  });

  it.each([
    [{ maxAge: '14m' }, "aws-mfa: bad --max-age: '14m' is outside 15m..36h"],
    [{ maxAge: 'forever' }, "aws-mfa: bad --max-age: 'forever' is not a duration (use seconds or h/m, e.g. 900, 15m, 8h, 1h30m)"],
    [{ partition: 'aws-eu' }, "aws-mfa: bad --partition: 'aws-eu' is not one of aws, aws-cn, aws-us-gov"],
  ])('refuses %j (exit 2, nothing printed)', async (options, line) => {
    const io = createFakeIo();
    const error = await policyCommand(options, { io }).catch((caught: unknown) => caught);
    expect((error as { exitCode: number }).exitCode).toBe(2);
    expect((error as { toLine(): string }).toLine()).toBe(line);
    expect(io.stdout).toEqual([]);
  });
});
