import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { CREATE_USERS_PY, type IamUserSpec } from './harness/iam-users.js';
import { useMoto } from './harness/moto.js';
import { cliPath } from './harness/paths.js';
import type { RunResult } from './harness/process.js';
import { type Sandbox, useSandbox } from './harness/sandbox.js';
import { describeRun, longTermKeys, longTermSection, mfaSerial, motoAccount, motoSession } from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(() => moto.reset());

/** The organisation's owner, for setting moto up with boto3: moto maps these unknown keys to the default account. */
const adminEnv = { AWS_ACCESS_KEY_ID: 'AKIAADMINORGAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'admin-setup-secret' };

interface OrganizationSpec {
  /** Member accounts to create, besides the management account. */
  members: number;
  /** Users by account: `management` or the member's index (0-based, in creation order). */
  users: Record<string, IamUserSpec[]>;
  /** Members to close (0-based), after their users are created. */
  close: number[];
}

interface CreatedAccount {
  id: string;
  name: string;
}

/**
 * Creates the organisation with moto's Organizations API (which creates OrganizationAccountAccessRole
 * in each new account) and each member's users with credentials from AssumeRole into it: IAM is per
 * account in moto too. Prints the accounts, management first, as ListAccounts lists them.
 */
const createOrganization = `
import boto3, json, os
${CREATE_USERS_PY}
spec = json.loads(os.environ['ORGANIZATION'])
org = boto3.client('organizations')
org.create_organization(FeatureSet='ALL')
accounts = [{'id': org.describe_organization()['Organization']['MasterAccountId'], 'name': 'master'}]
for index in range(spec['members']):
    name = 'member-%02d' % index
    status = org.create_account(AccountName=name, Email='%s@example.com' % name)['CreateAccountStatus']
    accounts.append({'id': status['AccountId'], 'name': name})

def iam_of(key):
    if key == 'management':
        return boto3.client('iam')
    account = accounts[int(key) + 1]['id']
    role = 'arn:aws:iam::%s:role/OrganizationAccountAccessRole' % account
    credentials = boto3.client('sts').assume_role(RoleArn=role, RoleSessionName='setup')['Credentials']
    return boto3.client('iam', aws_access_key_id=credentials['AccessKeyId'],
                        aws_secret_access_key=credentials['SecretAccessKey'], aws_session_token=credentials['SessionToken'])

for key, users in spec['users'].items():
    create_users(iam_of(key), users)
for index in spec['close']:
    org.close_account(AccountId=accounts[index + 1]['id'])
print(json.dumps(accounts))
`;

/** 25 accounts: the management account and 24 members, member 23 closed (SUSPENDED in moto). */
const ORGANIZATION: OrganizationSpec = {
  members: 24,
  users: {
    management: [
      { name: 'alice', password: true },
      { name: 'carol', password: true, activeKeys: 1, mfa: 'enabled' },
    ],
    '0': [{ name: 'bob', password: true, activeKeys: 1 }],
    '4': [{ name: 'ci-bot', activeKeys: 2 }, { name: 'frank' }],
    '9': [
      { name: 'dave', password: true, mfa: 'enabled' },
      { name: 'erin', password: true, mfa: 'created' },
    ],
    '23': [{ name: 'gone', password: true }],
  },
  close: [23],
};

const NEVER_USED = 'console password, no MFA device; password never used';

async function setUpOrganization(box: Sandbox, spec: OrganizationSpec): Promise<CreatedAccount[]> {
  const result = await box.runPython(createOrganization, { env: { ...adminEnv, ORGANIZATION: JSON.stringify(spec) }, timeoutMs: 60_000 });
  expect(result.code, describeRun(result)).toBe(0);
  return JSON.parse(result.stdout) as CreatedAccount[];
}

/** The profile `prod` of the morning flow, in the management account. */
function setUpProfile(box: Sandbox): void {
  box.writeCredentials(longTermSection('prod'));
  box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);
}

/** The findings expected of ORGANIZATION, in ListAccounts' order. */
function expectedFindings(accounts: readonly CreatedAccount[]) {
  const [management, member0, , , , member4, , , , , member9] = accounts;
  const finding = (account: CreatedAccount | undefined, user: string, check: string, detail: string) => ({
    account: account?.id,
    accountName: account?.name,
    user,
    arn: `arn:aws:iam::${account?.id}:user/${user}`,
    check,
    detail,
  });
  return [
    finding(management, 'alice', 'console-without-mfa', NEVER_USED),
    finding(member0, 'bob', 'console-without-mfa', NEVER_USED),
    finding(member0, 'bob', 'keys-without-mfa', 'access key 1 active, no MFA device'),
    finding(member4, 'ci-bot', 'keys-without-mfa', 'access keys 1 and 2 active, no MFA device'),
    finding(member9, 'erin', 'console-without-mfa', NEVER_USED),
  ];
}

function stderrLines(result: RunResult): string[] {
  return result.stderr.split('\n').filter((line) => line !== '');
}

/** The table's rows as objects: columns are two or more spaces apart, and no cell here holds two spaces. */
function parseTable(text: string): Record<string, string>[] {
  const [header, ...rows] = text.split('\n').filter((line) => line !== '');
  const columns = (header ?? '').split(/ {2,}/);
  return rows.map((row) => Object.fromEntries(row.split(/ {2,}/).map((cell, index) => [columns[index] ?? '', cell])));
}

describe('audit --organization against moto’s Organizations, STS and per-account IAM', () => {
  it('audits every ACTIVE account of 25: one code, one GetSessionToken, one AssumeRole per member; findings by account', async () => {
    const box = sandbox();
    setUpProfile(box);
    const accounts = await setUpOrganization(box, ORGANIZATION);
    expect(accounts).toHaveLength(25);
    expect(accounts[0]?.id).toBe(motoAccount);
    const closed = accounts[24] as CreatedAccount;
    await moto.clearRecording();

    const result = await box.runCli(['audit', '-p', 'prod', '--organization', '--code', '123456', '--format', 'json'], {
      timeoutMs: 120_000,
    });

    expect(result.code, describeRun(result)).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual(expectedFindings(accounts));
    expect(stderrLines(result)).toEqual([
      `aws-mfa: skipped account ${closed.id} (${closed.name}): SUSPENDED, not ACTIVE`,
      'aws-mfa: oldest credential report generated 2015-02-02T20:02:02Z (AWS regenerates them at most every 4 hours)',
      'aws-mfa: checked 7 users in 24 of 24 ACTIVE accounts: 5 findings',
    ]);

    const requests = await moto.recordedRequests();
    const calls = (action: string) => requests.filter((request) => request.action === action);
    expect(calls('GetSessionToken')).toHaveLength(1);
    expect(calls('GetSessionToken')[0]).toMatchObject({ accessKeyId: longTermKeys.accessKeyId });
    expect(calls('GetCallerIdentity')).toHaveLength(1);
    // Organizations speaks JSON: its requests carry no Action; moto's recording has them by service.
    expect(requests.filter((request) => request.service === 'organizations').length).toBeGreaterThanOrEqual(1);
    const assumed = calls('AssumeRole').map((request) => request.body.get('RoleArn'));
    const members = accounts.slice(1, 24);
    expect(assumed.sort()).toEqual(members.map((account) => `arn:aws:iam::${account.id}:role/OrganizationAccountAccessRole`).sort());
    // Every STS and Organizations call is signed with the MFA session, never the long-term keys.
    for (const request of [...calls('AssumeRole'), ...calls('GetCallerIdentity')]) {
      expect(request).toMatchObject({ accessKeyId: motoSession.accessKeyId });
    }
    expect(calls('AssumeRole').every((request) => request.body.get('RoleSessionName') === 'moto')).toBe(true);
    // One report per ACTIVE account: the management account's signed with the MFA session, the others with their role's.
    const reportSigners = new Set(calls('GetCredentialReport').map((request) => request.accessKeyId));
    expect(calls('GetCredentialReport')).toHaveLength(24);
    expect(reportSigners.size).toBe(24);
    expect(reportSigners.has(motoSession.accessKeyId)).toBe(true);
  });

  it('prints the table and the CSV with the account’s id and name first; both parse to the same findings', async () => {
    const box = sandbox();
    setUpProfile(box);
    const accounts = await setUpOrganization(box, ORGANIZATION);
    const expected = expectedFindings(accounts);

    const table = await box.runCli(['audit', '-p', 'prod', '--organization', '--code', '123456'], { timeoutMs: 120_000 });
    const csv = await box.runCli(['audit', '-p', 'prod', '--organization', '--format', 'csv', '--concurrency', '32'], {
      timeoutMs: 120_000,
    });

    expect(table.code, describeRun(table)).toBe(3);
    expect(table.stdout.split('\n')[0]).toBe('ACCOUNT       NAME       USER    CHECK                DETAIL');
    expect(parseTable(table.stdout)).toEqual(
      expected.map((finding) => ({
        ACCOUNT: finding.account,
        NAME: finding.accountName,
        USER: finding.user,
        CHECK: finding.check,
        DETAIL: finding.detail,
      })),
    );
    expect(csv.code, describeRun(csv)).toBe(3);
    expect(csv.stdout.split('\n')[0]).toBe('account,accountName,user,arn,check,detail');
    expect(parse(csv.stdout, { columns: true })).toEqual(expected);
  });

  it('exits 0 for a clean organisation: [] as JSON', async () => {
    const box = sandbox();
    setUpProfile(box);
    await setUpOrganization(box, { members: 2, users: { '1': [{ name: 'dave', password: true, mfa: 'enabled' }] }, close: [] });

    const result = await box.runCli(['audit', '-p', 'prod', '--organization', '--code', '123456', '--format', 'json', '--debug']);

    expect(result.code, describeRun(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(stderrLines(result).at(-1)).toBe('aws-mfa: checked 1 user in 3 of 3 ACTIVE accounts: nothing found');
    // --debug names every call, and no key, secret or token: neither the long-term keys, nor the MFA session, nor a role's.
    expect(result.stderr).toMatch(/sts: AssumeRole/);
    for (const secret of [longTermKeys.secretAccessKey, motoSession.accessKeyId, motoSession.secretAccessKey, '123456\n']) {
      expect(result.stderr).not.toContain(secret);
    }
    expect(result.stderr).not.toMatch(/\bASIA[A-Z0-9]{12,}/);
  });

  it('exits 1 with one line when the account is in no organisation (moto then lists no account)', async () => {
    const box = sandbox();
    setUpProfile(box);

    const result = await box.runCli(['audit', '-p', 'prod', '--organization', '--code', '123456']);

    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stdout).toBe('');
    expect(stderrLines(result)).toEqual([
      'aws-mfa: ListAccounts failed: AWS listed no account (run it with the organisation’s management account or a delegated administrator)',
    ]);
  });

  it('exits 1 with one line when AWS refuses ListAccounts', async () => {
    const box = sandbox();
    setUpProfile(box);
    await setUpOrganization(box, { members: 1, users: {}, close: [] });
    // From the third call on (after GetSessionToken and GetCallerIdentity), moto checks keys: the session's is none of its users'.
    await moto.enableAuth(2);

    const result = await box.runCli(['audit', '-p', 'prod', '--organization', '--code', '123456']);

    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stdout).toBe('');
    expect(stderrLines(result)).toEqual([expect.stringMatching(/^aws-mfa: ListAccounts failed: /)]);
    expect(result.stderr).not.toContain(motoSession.accessKeyId);
  });

  it('as a new user runs it: one command, the code typed at the prompt, progress (done / total) on the terminal, erased before the count', async () => {
    const box = sandbox();
    setUpProfile(box);
    const accounts = await setUpOrganization(box, { members: 3, users: { '2': [{ name: 'bob', password: true }] }, close: [] });

    const run = await box.runInPty([cliPath, 'audit', '-p', 'prod', '--organization', '--concurrency', '1'], async (terminal) => {
      await terminal.waitForText('MFA code for prod');
      await terminal.type('123456\r');
      await terminal.waitForText(/aws-mfa: audited [0-3]\/4 accounts/, 30_000);
    });

    expect(run.code, run.transcript).toBe(3);
    expect(parseTable(run.stdout)).toEqual([
      { ACCOUNT: accounts[3]?.id, NAME: 'member-02', USER: 'bob', CHECK: 'console-without-mfa', DETAIL: NEVER_USED },
    ]);
    expect(run.transcript).toContain('aws-mfa: checked 1 user in 4 of 4 ACTIVE accounts: 1 finding');
    expect(run.transcript).not.toMatch(/audited \d\/4/);
  });

  it('shows no progress when stderr is not a terminal', async () => {
    const box = sandbox();
    setUpProfile(box);
    await setUpOrganization(box, { members: 1, users: {}, close: [] });

    const result = await box.runCli(['audit', '-p', 'prod', '--organization', '--code', '123456']);

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).not.toContain('audited');
  });
});

describe('audit --organization: bad usage is refused before any AWS call (exit 2, one line, nothing written)', () => {
  it.each([
    [['--organization', '--report', 'report.csv'], /^aws-mfa: bad usage: --organization and --report cannot go together \(/],
    [['--organization', '--concurrency', '0'], /^aws-mfa: bad --concurrency: '0' is not a whole number from 1 to 64$/],
    [['--organization', '--concurrency', '65'], /^aws-mfa: bad --concurrency: '65' is not a whole number from 1 to 64$/],
    [['--organization', '--concurrency', 'eight'], /^aws-mfa: bad --concurrency: 'eight' is not a whole number from 1 to 64$/],
    [['--organization', '--concurrency', '1.5'], /^aws-mfa: bad --concurrency: '1.5' is not a whole number from 1 to 64$/],
    [['--organization', '--role', 'no spaces allowed'], /^aws-mfa: bad --role: 'no spaces allowed' is not an IAM role name/],
    [['--organization', '--format', 'yaml'], /^aws-mfa: bad --format: 'yaml' is not one of table, json, csv$/],
    [['--role', 'Auditor'], /^aws-mfa: bad usage: --role and --concurrency go with --organization only/],
    [['--concurrency', '4'], /^aws-mfa: bad usage: --role and --concurrency go with --organization only/],
  ])('audit %j', async (args, pattern) => {
    const box = sandbox();
    setUpProfile(box);
    box.writeFile('report.csv', 'user,arn\n');
    const before = box.snapshot();
    await moto.clearRecording();

    const result = await box.runCli(['audit', '-p', 'prod', '--code', '123456', ...args]);

    expect(result.code, describeRun(result)).toBe(2);
    expect(result.stdout).toBe('');
    expect(stderrLines(result)).toHaveLength(1);
    expect(stderrLines(result)[0]).toMatch(pattern);
    expect(await moto.recordedRequests()).toEqual([]);
    expect(box.snapshot()).toEqual(before);
  });
});
