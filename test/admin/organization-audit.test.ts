import { describe, expect, it } from 'vitest';
import {
  type AccountFinding,
  auditOrganization,
  type OrganizationAccount,
  type OrganizationAuditEvents,
  type OrganizationAws,
  roleSessionName,
} from '../../src/admin/organization-audit.js';
import { MAX_TRIES, type RetryTiming, retryWhenThrottled } from '../../src/admin/organization-retry.js';
import { translateAwsError } from '../../src/aws/aws-error.js';
import type { AwsCredentials } from '../../src/aws/client-options.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { reportOf } from './report-fixtures.js';

const START = Date.parse('2026-11-22T08:00:00Z');
const CALLER: AwsCredentials = {
  accessKeyId: 'ASIACALLER00EXAMPLE',
  secretAccessKey: 'caller',
  sessionToken: 'token',
  expiration: new Date(START + 3_600_000),
};

/** A clock that moves only when the code under test sleeps (or the test moves it). */
function fakeTiming(random = 0.5): RetryTiming & { sleeps: number[]; advance(milliseconds: number): void } {
  let now = START;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
      now += milliseconds;
    },
    random: () => random,
    advance: (milliseconds) => {
      now += milliseconds;
    },
  };
}

function accounts(count: number): OrganizationAccount[] {
  return Array.from({ length: count }, (_, index) => ({
    id: String(100000000000 + index),
    name: index === 0 ? 'management' : `member-${index}`,
    state: 'ACTIVE',
  }));
}

/** The account whose credentials these are: the caller's are the first (management) account's, assumed ones name theirs. */
function accountOf(listed: OrganizationAccount[], credentials: AwsCredentials): string {
  return credentials === CALLER ? (listed[0]?.id ?? '') : credentials.accessKeyId.slice(4, 16);
}

/** AWS calls in memory: each account's report has one user with a console password and no MFA. */
function fakeAws(listed: OrganizationAccount[], overrides: Partial<OrganizationAws> = {}): OrganizationAws & { assumed: string[] } {
  const assumed: string[] = [];
  return {
    assumed,
    callerIdentity: async () => ({
      account: listed[0]?.id ?? '',
      arn: `arn:aws:iam::${listed[0]?.id}:user/ops/admin`,
      userId: 'AIDAEXAMPLE',
    }),
    listAccounts: async () => listed,
    assumeRole: async (roleArn) => {
      assumed.push(roleArn);
      const account = roleArn.split(':')[4] ?? '';
      return { accessKeyId: `ASIA${account}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(START + 900_000) };
    },
    credentialReport: async (credentials) => ({
      csv: reportOf(accountOf(listed, credentials), [{ name: `user-${accountOf(listed, credentials)}`, password: true }]),
      generatedTime: new Date('2026-11-22T07:00:00Z'),
    }),
    ...overrides,
  };
}

function recordingEvents(): OrganizationAuditEvents & { progress: string[]; skipped: string[] } {
  const progress: string[] = [];
  const skipped: string[] = [];
  return {
    progress,
    skipped,
    listed: (_active, skippedAccounts) => skipped.push(...skippedAccounts.map((account) => `${account.id} ${account.state}`)),
    accountDone: (done, total) => progress.push(`${done}/${total}`),
  };
}

function input(overrides: Partial<Parameters<typeof auditOrganization>[0]> = {}) {
  return {
    callerCredentials: CALLER,
    role: 'OrganizationAccountAccessRole',
    concurrency: 8,
    deadline: new Date(START + 3_600_000),
    ...overrides,
  };
}

function throttled(operation: string): AwsMfaError {
  return translateAwsError({ name: 'Throttling', message: 'Rate exceeded', $metadata: { httpStatusCode: 400, attempts: 3 } }, operation);
}

function checks(findings: readonly AccountFinding[]): string[] {
  return findings.map((finding) => `${finding.account} ${finding.check}`);
}

describe('auditOrganization', () => {
  it('audits the caller’s own account with its own session and every other ACTIVE one through the role; skips the rest', async () => {
    const listed = [
      ...accounts(3),
      { id: '999999999999', name: 'closed', state: 'SUSPENDED' },
      { id: '888888888888', name: 'going', state: 'PENDING_CLOSURE' },
    ];
    const aws = fakeAws(listed);
    const events = recordingEvents();

    const result = await auditOrganization(input(), aws, fakeTiming(), events);

    expect(aws.assumed).toEqual([
      'arn:aws:iam::100000000001:role/OrganizationAccountAccessRole',
      'arn:aws:iam::100000000002:role/OrganizationAccountAccessRole',
    ]);
    expect(checks(result.findings)).toEqual([
      '100000000000 console-without-mfa',
      '100000000001 console-without-mfa',
      '100000000002 console-without-mfa',
    ]);
    expect(result.findings[1]).toEqual({
      account: '100000000001',
      accountName: 'member-1',
      user: 'user-100000000001',
      arn: 'arn:aws:iam::100000000001:user/user-100000000001',
      check: 'console-without-mfa',
      detail: 'console password, no MFA device; password never used',
    });
    expect(Object.keys(result.findings[0] ?? {})).toEqual(['account', 'accountName', 'user', 'arn', 'check', 'detail']);
    expect(events.skipped).toEqual(['999999999999 SUSPENDED', '888888888888 PENDING_CLOSURE']);
    expect(events.progress).toEqual(['1/3', '2/3', '3/3']);
    expect(result).toMatchObject({ active: 3, skipped: 2, notAudited: 0, users: 3, oldestReport: new Date('2026-11-22T07:00:00Z') });
  });

  it('never has more accounts in flight than the concurrency, and keeps ListAccounts’ order whatever finishes first', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const finished: string[] = [];
    const listed = accounts(20);
    const aws = fakeAws(listed);
    const report = aws.credentialReport;
    aws.credentialReport = async (credentials) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const account = accountOf(listed, credentials);
      // Later accounts finish first.
      const index = listed.findIndex((listedAccount) => listedAccount.id === account);
      await new Promise((resolve) => setTimeout(resolve, 2 * (listed.length - index)));
      finished.push(account);
      inFlight--;
      return report(credentials);
    };

    const result = await auditOrganization(input({ concurrency: 3 }), aws, fakeTiming(), recordingEvents());

    expect(mostInFlight).toBe(3);
    expect(finished.slice(0, 3)).toEqual(['100000000002', '100000000001', '100000000000']);
    expect(result.findings.map((finding) => finding.account)).toEqual(listed.map((account) => account.id));
  });

  it('turns an account’s failure into account-not-audited with the reason, and audits the others', async () => {
    const aws = fakeAws(accounts(4), {});
    const assumeRole = aws.assumeRole;
    aws.assumeRole = async (roleArn, sessionName) => {
      if (roleArn.includes('100000000001'))
        throw translateAwsError(
          { name: 'AccessDenied', message: 'not authorized to perform: sts:AssumeRole', $metadata: { httpStatusCode: 403 } },
          'AssumeRole',
        );
      return assumeRole(roleArn, sessionName);
    };
    const report = aws.credentialReport;
    aws.credentialReport = async (credentials) =>
      credentials.accessKeyId.endsWith('100000000002') ? { csv: 'name,email\nx,y\n', generatedTime: undefined } : report(credentials);

    const result = await auditOrganization(input(), aws, fakeTiming(), recordingEvents());

    expect(result.findings.filter((finding) => finding.check === 'account-not-audited')).toEqual([
      {
        account: '100000000001',
        accountName: 'member-1',
        user: '',
        arn: '',
        check: 'account-not-audited',
        detail:
          'AssumeRole failed: access denied: not authorized to perform: sts:AssumeRole (an IAM policy or SCP denies this call to the user)',
      },
      {
        account: '100000000002',
        accountName: 'member-2',
        user: '',
        arn: '',
        check: 'account-not-audited',
        detail:
          'AWS sent a report that aws-mfa cannot read: the CSV header lacks user, arn, password_enabled, password_last_used, mfa_active, access_key_1_active, access_key_2_active',
      },
    ]);
    expect(checks(result.findings)).toContain('100000000003 console-without-mfa');
    expect(result).toMatchObject({ active: 4, notAudited: 2, users: 2 });
  });

  it('starts no account after the deadline: those left are account-not-audited', async () => {
    const timing = fakeTiming();
    const aws = fakeAws(accounts(4));
    const report = aws.credentialReport;
    aws.credentialReport = async (credentials) => {
      timing.advance(20 * 60_000);
      return report(credentials);
    };

    const result = await auditOrganization(
      input({ concurrency: 1, deadline: new Date(START + 30 * 60_000) }),
      aws,
      timing,
      recordingEvents(),
    );

    expect(checks(result.findings)).toEqual([
      '100000000000 console-without-mfa',
      '100000000001 console-without-mfa',
      '100000000002 account-not-audited',
      '100000000003 account-not-audited',
    ]);
    expect(result.findings[3]?.detail).toBe('not started: the audit reached its time limit (1 hour, or the end of the MFA session)');
    expect(aws.assumed).toHaveLength(1);
  });

  it('retries a throttled ListAccounts and AssumeRole with backoff', async () => {
    const timing = fakeTiming();
    let listCalls = 0;
    let assumeCalls = 0;
    const listed = accounts(2);
    const aws = fakeAws(listed);
    const assumeRole = aws.assumeRole;
    aws.listAccounts = async () => (++listCalls < 3 ? Promise.reject(throttled('ListAccounts')) : listed);
    aws.assumeRole = async (roleArn, sessionName) =>
      ++assumeCalls < 2 ? Promise.reject(throttled('AssumeRole')) : assumeRole(roleArn, sessionName);

    const result = await auditOrganization(input(), aws, timing, recordingEvents());

    expect(result.notAudited).toBe(0);
    expect(timing.sleeps).toEqual([500, 1000, 500]);
  });

  it('stops at once when ListAccounts fails or lists no account', async () => {
    const refused = fakeAws(accounts(2), {
      listAccounts: async () => Promise.reject(new AwsMfaError('ListAccounts failed', 'access denied')),
    });
    const empty = fakeAws([]);
    empty.callerIdentity = async () => ({ account: '100000000000', arn: 'arn:aws:iam::100000000000:user/admin', userId: 'AIDA' });

    await expect(auditOrganization(input(), refused, fakeTiming(), recordingEvents())).rejects.toThrow(
      'ListAccounts failed: access denied',
    );
    await expect(auditOrganization(input(), empty, fakeTiming(), recordingEvents())).rejects.toThrow(
      'ListAccounts failed: AWS listed no account',
    );
  });

  it('lets an error that is no AWS failure (a bug) through instead of hiding it in a finding', async () => {
    const aws = fakeAws(accounts(2), { credentialReport: async () => Promise.reject(new TypeError('boom')) });

    await expect(auditOrganization(input(), aws, fakeTiming(), recordingEvents())).rejects.toThrow(TypeError);
  });

  it('builds the role ARN in the caller’s partition', async () => {
    const aws = fakeAws(accounts(2), {
      callerIdentity: async () => ({ account: '100000000000', arn: 'arn:aws-cn:iam::100000000000:user/admin', userId: 'AIDA' }),
    });

    await auditOrganization(input({ role: 'team/Auditor' }), aws, fakeTiming(), recordingEvents());

    expect(aws.assumed).toEqual(['arn:aws-cn:iam::100000000001:role/team/Auditor']);
  });
});

describe('roleSessionName', () => {
  it.each([
    ['arn:aws:iam::123456789012:user/alice', 'alice'],
    ['arn:aws:iam::123456789012:user/ops/team/alice', 'alice'],
    ['arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com', 'alice@example.com'],
    ['arn:aws:iam::123456789012:root', 'root'],
    ['arn:aws:iam::123456789012:user/x', 'aws-mfa-audit'],
    [`arn:aws:iam::123456789012:user/${'a'.repeat(70)}`, 'a'.repeat(64)],
    ['arn:aws:sts::123456789012:federated-user/bob:smith', 'bob-smith'],
  ])('%s → %s', (arn, name) => {
    expect(roleSessionName(arn)).toBe(name);
  });
});

describe('retryWhenThrottled', () => {
  it('waits a random part of 1, 2, 4, 8 s between tries and gives up after the last one', async () => {
    const timing = fakeTiming(0.99);
    let calls = 0;

    const error = await retryWhenThrottled(
      async () => {
        calls++;
        throw throttled('GetCredentialReport');
      },
      timing,
      new Date(START + 3_600_000),
    ).catch((caught: unknown) => caught);

    expect(calls).toBe(MAX_TRIES);
    expect(timing.sleeps).toEqual([990, 1980, 3960, 7920]);
    expect((error as AwsMfaError).toLine()).toMatch(/^aws-mfa: GetCredentialReport failed: AWS is throttling requests \(Throttling\)/);
  });

  it('does not retry other failures', async () => {
    const timing = fakeTiming();
    let calls = 0;
    const denied = translateAwsError({ name: 'AccessDenied', message: 'no', $metadata: { httpStatusCode: 403 } }, 'AssumeRole');

    await expect(
      retryWhenThrottled(
        async () => {
          calls++;
          throw denied;
        },
        timing,
        new Date(START + 3_600_000),
      ),
    ).rejects.toBe(denied);
    expect(calls).toBe(1);
    expect(timing.sleeps).toEqual([]);
  });

  it('begins no wait that would end after the deadline', async () => {
    const timing = fakeTiming(0.9);
    let calls = 0;

    await expect(
      retryWhenThrottled(
        async () => {
          calls++;
          throw throttled('AssumeRole');
        },
        timing,
        new Date(START + 1_000),
      ),
    ).rejects.toThrow(/throttling/);
    expect(timing.sleeps).toEqual([900]);
    expect(calls).toBe(2);
  });
});
