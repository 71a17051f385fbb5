import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuditDependencies, type AuditOptions, audit } from '../../src/commands/audit.js';
import { loadProfileSettings } from '../../src/config/profile-settings.js';
import { rejectionOf } from '../admin/admin-fixtures.js';
import {
  assumeRoleDenied,
  CALLER_ARN,
  type FakeAccount,
  FakeOrganizationAws,
  failing,
  iamThrottled,
  MANAGEMENT_ACCOUNT,
  organizationsAccessDenied,
  organizationsThrottled,
  REPORT_TIME,
} from '../admin/fake-organization-aws.js';
import { reportOf } from '../admin/report-fixtures.js';
import { SESSION } from '../aws/fake-aws.js';
import { createFakeIo, type FakeIo } from '../fakes/fake-io.js';

const NEVER_USED = 'console password, no MFA device; password never used';
const ROLE = 'OrganizationAccountAccessRole';
const roleArn = (account: string) => `arn:aws:iam::${account}:role/${ROLE}`;

/** Nine accounts over three pages of ListAccounts: one SUSPENDED, two whose role refuses, one whose report never comes. */
const ACCOUNTS: FakeAccount[] = [
  {
    id: MANAGEMENT_ACCOUNT,
    name: 'management',
    state: 'ACTIVE',
    reportCsv: reportOf(MANAGEMENT_ACCOUNT, [{ name: 'alice', password: true }]),
  },
  { id: '222222222222', name: 'payments', state: 'ACTIVE', reportCsv: reportOf('222222222222', [{ name: 'bob', activeKeys: 1 }]) },
  {
    id: '333333333333',
    name: 'clean',
    state: 'ACTIVE',
    reportCsv: reportOf('333333333333', [{ name: 'carol', password: true, mfa: true }]),
  },
  { id: '444444444444', name: 'locked-a', state: 'ACTIVE', reportCsv: reportOf('444444444444', [{ name: 'hidden', password: true }]) },
  { id: '555555555555', name: 'locked-b', state: 'ACTIVE', reportCsv: reportOf('555555555555', [{ name: 'hidden', password: true }]) },
  { id: '666666666666', name: 'slow', state: 'ACTIVE', reportCsv: reportOf('666666666666', []), reportStates: ['STARTED', 'INPROGRESS'] },
  { id: '777777777777', name: 'busy', state: 'ACTIVE', reportCsv: reportOf('777777777777', [{ name: 'dave', password: true }]) },
  { id: '888888888888', name: 'closed', state: 'SUSPENDED', reportCsv: reportOf('888888888888', [{ name: 'gone', password: true }]) },
  { id: '999999999999', name: 'empty', state: 'ACTIVE', reportCsv: reportOf('999999999999', []) },
];

let fake: FakeOrganizationAws;

beforeAll(async () => {
  fake = await FakeOrganizationAws.start();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

interface Run {
  io: FakeIo;
  deps: AuditDependencies;
  sleeps: number[];
  stdout: () => string;
  stderr: () => string;
}

let home: string;
beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'aws-mfa-org-'));
});
afterEach(() => fs.rm(home, { recursive: true, force: true }));

/** The command in-process against the fake, with the profile's MFA session already there and a clock that sleeping advances. */
function setUp(options: { stderrIsTerminal?: boolean } = {}): Run {
  const io = createFakeIo({
    env: {
      HOME: home,
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
      AWS_CONFIG_FILE: path.join(home, 'config'),
      AWS_ENDPOINT_URL: fake.url,
      AWS_REGION: 'eu-west-1',
    },
    stderrIsTerminal: options.stderrIsTerminal,
  });
  const sleeps: number[] = [];
  const deps: AuditDependencies = {
    io,
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
      io.setNow(new Date(io.now().getTime() + milliseconds));
    },
    random: () => 0.5,
    profileSession: async () => ({
      credentials: { ...SESSION, expiration: new Date(SESSION.expiration) },
      reused: true,
      settings: await loadProfileSettings('prod', {}, io.env),
    }),
  };
  return { io, deps, sleeps, stdout: () => io.stdout.join(''), stderr: () => io.stderr.join('') };
}

function runAudit(run: Run, options: AuditOptions = {}): Promise<number> {
  return audit({ profile: 'prod', organization: true, ...options }, run.deps);
}

describe('audit --organization against a fake AWS with the real services’ replies and errors', () => {
  it('turns refused roles and a report that never comes into findings, retries throttling with jitter, and audits the rest', async () => {
    fake.accounts = ACCOUNTS;
    fake.failures = [
      failing(3, (request) => request.action === 'ListAccounts', organizationsThrottled),
      failing(3, (request) => request.action === 'GetCredentialReport' && request.account === '777777777777', iamThrottled),
      (request) => {
        const arn = request.params.get('RoleArn') ?? '';
        return request.action === 'AssumeRole' && /444444444444|555555555555/.test(arn) ? assumeRoleDenied(arn) : undefined;
      },
    ];
    const run = setUp();

    const exitCode = await runAudit(run, { format: 'json', concurrency: '3' });

    expect(exitCode).toBe(3);
    const denied = (account: string) => ({
      account,
      accountName: account === '444444444444' ? 'locked-a' : 'locked-b',
      user: '',
      arn: '',
      check: 'account-not-audited',
      detail: expect.stringMatching(
        new RegExp(
          `^AssumeRole failed: access denied: User: ${CALLER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${roleArn(account)}`,
        ),
      ),
    });
    expect(JSON.parse(run.stdout())).toEqual([
      finding(MANAGEMENT_ACCOUNT, 'management', 'alice', 'console-without-mfa', NEVER_USED),
      finding('222222222222', 'payments', 'bob', 'keys-without-mfa', 'access key 1 active, no MFA device'),
      denied('444444444444'),
      denied('555555555555'),
      {
        account: '666666666666',
        accountName: 'slow',
        user: '',
        arn: '',
        check: 'account-not-audited',
        detail: 'credential report: AWS has not generated it after 60 s (try again in a minute)',
      },
      finding('777777777777', 'busy', 'dave', 'console-without-mfa', NEVER_USED),
    ]);
    expect(run.stderr()).toBe(
      [
        'aws-mfa: skipped account 888888888888 (closed): SUSPENDED, not ACTIVE',
        `aws-mfa: oldest credential report generated ${REPORT_TIME} (AWS regenerates them at most every 4 hours)`,
        'aws-mfa: checked 4 users in 5 of 8 ACTIVE accounts (3 not audited): 6 findings',
        '',
      ].join('\n'),
    );

    // ListAccounts: three throttled requests (the SDK's own three attempts), a backoff, then the three pages.
    expect(fake.calls('ListAccounts').map((request) => request.params.get('NextToken'))).toEqual([
      null,
      null,
      null,
      null,
      'page-4',
      'page-8',
    ]);
    // GetCredentialReport of the busy account: throttled three times, then read; the whole download was tried again.
    expect(fake.calls('GetCredentialReport', '777777777777')).toHaveLength(4);
    expect(fake.calls('GenerateCredentialReport', '777777777777')).toHaveLength(2);
    // Jittered backoff: random() 0.5 of the first 1 s step, once for each throttled call.
    expect(run.sleeps.filter((sleep) => sleep === 500)).toHaveLength(2);
    // One AssumeRole per ACTIVE member (refusals are not retried); none into the caller's own account or the suspended one.
    const assumed = fake.calls('AssumeRole').map((request) => request.params.get('RoleArn'));
    expect(assumed.sort()).toEqual(
      ['222222222222', '333333333333', '444444444444', '555555555555', '666666666666', '777777777777', '999999999999'].map(roleArn),
    );
    expect(fake.calls('AssumeRole').every((request) => request.params.get('RoleSessionName') === 'admin')).toBe(true);
    // Every organisation-level call is signed with the MFA session; each report with its account's own credentials.
    for (const action of ['GetCallerIdentity', 'ListAccounts', 'AssumeRole']) {
      expect(fake.calls(action).every((request) => request.account === MANAGEMENT_ACCOUNT)).toBe(true);
    }
    const reportAccounts = new Set(fake.calls('GetCredentialReport').map((request) => request.account));
    expect([...reportAccounts].sort()).toEqual([MANAGEMENT_ACCOUNT, '222222222222', '333333333333', '777777777777', '999999999999']);
    // The slow account was polled with the report's own backoff until its 60 s were up.
    expect(fake.calls('GenerateCredentialReport', '666666666666').length).toBeGreaterThan(5);
    expect(fake.calls('GetCredentialReport', '666666666666')).toHaveLength(0);
  });

  it('prints the table and the CSV with the account’s id and name first', async () => {
    fake.accounts = ACCOUNTS.slice(0, 3);
    const table = setUp();
    const csv = setUp();

    expect(await runAudit(table)).toBe(3);
    expect(await runAudit(csv, { format: 'csv' })).toBe(3);

    expect(table.stdout()).toBe(
      [
        'ACCOUNT       NAME        USER   CHECK                DETAIL',
        `111111111111  management  alice  console-without-mfa  ${NEVER_USED}`,
        '222222222222  payments    bob    keys-without-mfa     access key 1 active, no MFA device',
        '',
      ].join('\n'),
    );
    expect(csv.stdout()).toBe(
      [
        'account,accountName,user,arn,check,detail',
        `111111111111,management,alice,arn:aws:iam::111111111111:user/alice,console-without-mfa,"${NEVER_USED}"`,
        '222222222222,payments,bob,arn:aws:iam::222222222222:user/bob,keys-without-mfa,"access key 1 active, no MFA device"',
        '',
      ].join('\n'),
    );
  });

  it('assumes --role, with its path, in every member account', async () => {
    fake.accounts = ACCOUNTS.slice(0, 3);
    const run = setUp();

    await runAudit(run, { role: 'audit/SecurityAudit' });

    expect(fake.calls('AssumeRole').map((request) => request.params.get('RoleArn'))).toEqual([
      'arn:aws:iam::222222222222:role/audit/SecurityAudit',
      'arn:aws:iam::333333333333:role/audit/SecurityAudit',
    ]);
  });

  it('fails with one line (exit 1) when ListAccounts is refused, and prints no findings', async () => {
    fake.accounts = ACCOUNTS;
    fake.failures = [(request) => (request.action === 'ListAccounts' ? organizationsAccessDenied() : undefined)];
    const run = setUp();

    const error = await rejectionOf(runAudit(run));

    expect(error.exitCode).toBe(1);
    expect(error.toLine()).toBe(
      'aws-mfa: ListAccounts failed: access denied: You don’t have permissions to access this resource. ' +
        '(the organisation audit needs organizations:ListAccounts: run it with the management account or a delegated administrator)',
    );
    expect(run.stdout()).toBe('');
    expect(fake.calls('ListAccounts')).toHaveLength(1);
    expect(fake.calls('AssumeRole')).toHaveLength(0);
  });

  it('shows accounts done / total on a terminal, and erases the line before the summary', async () => {
    fake.accounts = ACCOUNTS.slice(0, 3);
    const run = setUp({ stderrIsTerminal: true });

    await runAudit(run, { concurrency: '1' });

    expect(run.io.stderr.slice(0, 5)).toEqual([
      '\raws-mfa: audited 0/3 accounts',
      '\raws-mfa: audited 1/3 accounts',
      '\raws-mfa: audited 2/3 accounts',
      '\raws-mfa: audited 3/3 accounts',
      '\r\x1b[K',
    ]);
    expect(run.io.stdout.join('')).not.toContain('audited');
  });

  it('shows no progress when stderr is not a terminal', async () => {
    fake.accounts = ACCOUNTS.slice(0, 3);
    const run = setUp();

    await runAudit(run);

    expect(run.stderr()).not.toMatch(/\r|audited/);
  });

  it('exits 0 when every account is clean', async () => {
    const management: FakeAccount = {
      id: MANAGEMENT_ACCOUNT,
      name: 'management',
      state: 'ACTIVE',
      reportCsv: reportOf(MANAGEMENT_ACCOUNT, []),
    };
    fake.accounts = [management, ACCOUNTS[2] as FakeAccount, ACCOUNTS[8] as FakeAccount];
    const run = setUp();

    expect(await runAudit(run, { format: 'json' })).toBe(0);
    expect(JSON.parse(run.stdout())).toEqual([]);
    expect(run.stderr()).toContain('aws-mfa: checked 1 user in 3 of 3 ACTIVE accounts: nothing found\n');
  });
});

function finding(account: string, accountName: string, user: string, check: string, detail: string) {
  return { account, accountName, user, arn: `arn:aws:iam::${account}:user/${user}`, check, detail };
}
