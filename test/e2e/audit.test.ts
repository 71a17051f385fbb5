import { beforeEach, describe, expect, it } from 'vitest';
import { CREATE_USERS_PY, type IamUserSpec } from './harness/iam-users.js';
import { useMoto } from './harness/moto.js';
import type { RunResult } from './harness/process.js';
import { type Sandbox, useSandbox } from './harness/sandbox.js';
import { describeRun, longTermKeys, longTermSection, mfaSerial, motoSession, sessionTokenCalls } from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(() => moto.reset());

/** An administrator's keys for setting up moto with boto3: not the audited profile's. */
const adminEnv = { AWS_ACCESS_KEY_ID: 'AKIAADMINAUDIEXAMPLE', AWS_SECRET_ACCESS_KEY: 'admin-setup-secret' };

type UserSpec = IamUserSpec;

const createUsers = `
import boto3, json, os
${CREATE_USERS_PY}
create_users(boto3.client('iam'), json.loads(os.environ['USERS']))
`;

const reportCsv = `
import boto3, sys
iam = boto3.client('iam')
iam.generate_credential_report()
sys.stdout.write(iam.get_credential_report()['Content'].decode())
`;

/** In creation order, as moto lists them. */
const MIXED_USERS: UserSpec[] = [
  { name: 'alice', password: true },
  { name: 'ci-bot', activeKeys: 2 },
  { name: 'bob', password: true, activeKeys: 1 },
  { name: 'carol', password: true, activeKeys: 1, mfa: 'enabled' },
  { name: 'dave', password: true, mfa: 'created' },
  { name: 'erin', inactiveKeys: 1 },
  { name: 'frank' },
];
const CLEAN_USERS: UserSpec[] = [
  { name: 'carol', password: true, activeKeys: 1, mfa: 'enabled' },
  { name: 'erin', inactiveKeys: 1 },
  { name: 'frank' },
];

const NEVER_USED = 'console password, no MFA device; password never used';
const EXPECTED_FINDINGS = [
  { user: 'alice', arn: 'arn:aws:iam::123456789012:user/alice', check: 'console-without-mfa', detail: NEVER_USED },
  {
    user: 'ci-bot',
    arn: 'arn:aws:iam::123456789012:user/ci-bot',
    check: 'keys-without-mfa',
    detail: 'access keys 1 and 2 active, no MFA device',
  },
  { user: 'bob', arn: 'arn:aws:iam::123456789012:user/bob', check: 'console-without-mfa', detail: NEVER_USED },
  { user: 'bob', arn: 'arn:aws:iam::123456789012:user/bob', check: 'keys-without-mfa', detail: 'access key 1 active, no MFA device' },
  // dave's virtual device was created but never enabled: no MFA yet.
  { user: 'dave', arn: 'arn:aws:iam::123456789012:user/dave', check: 'console-without-mfa', detail: NEVER_USED },
];
const EXPECTED_TABLE = [
  'USER    CHECK                DETAIL',
  `alice   console-without-mfa  ${NEVER_USED}`,
  'ci-bot  keys-without-mfa     access keys 1 and 2 active, no MFA device',
  `bob     console-without-mfa  ${NEVER_USED}`,
  'bob     keys-without-mfa     access key 1 active, no MFA device',
  `dave    console-without-mfa  ${NEVER_USED}`,
  '',
].join('\n');
/** moto's GetCredentialReport always says this GeneratedTime. */
const MOTO_GENERATED = 'aws-mfa: credential report generated 2015-02-02T20:02:02Z (AWS regenerates it at most every 4 hours)';
const WAITING = 'aws-mfa: AWS is generating the credential report; waiting up to 60 s';

async function setUpUsers(box: Sandbox, users: readonly UserSpec[]): Promise<void> {
  const result = await box.runPython(createUsers, { env: { ...adminEnv, USERS: JSON.stringify(users) } });
  expect(result.code, describeRun(result)).toBe(0);
}

/** The profile `prod` of the morning flow: long-term keys in the file, a fixed MFA serial. */
function setUpProfile(box: Sandbox): void {
  box.writeCredentials(longTermSection('prod'));
  box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);
}

async function exportedReport(box: Sandbox): Promise<string> {
  const result = await box.runPython(reportCsv, { env: adminEnv });
  expect(result.code, describeRun(result)).toBe(0);
  return result.stdout;
}

function stderrLines(result: RunResult): string[] {
  return result.stderr.split('\n').filter((line) => line !== '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function expectOneLineError(result: RunResult, exitCode: number, pattern: RegExp): void {
  expect(result.code, describeRun(result)).toBe(exitCode);
  expect(result.stdout).toBe('');
  expect(stderrLines(result)).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

describe('audit of the account’s live credential report', () => {
  it('gets an MFA session, generates and polls the report, lists the findings and exits 3', async () => {
    const box = sandbox();
    setUpProfile(box);
    await setUpUsers(box, MIXED_USERS);
    await moto.clearRecording();

    const result = await box.runCli(['audit', '-p', 'prod', '--code', '123456']);

    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stdout).toBe(EXPECTED_TABLE);
    expect(stderrLines(result)).toEqual([WAITING, MOTO_GENERATED, 'aws-mfa: checked 7 users: 5 findings']);
    const requests = await moto.recordedRequests();
    expect(requests.map((request) => request.action)).toEqual([
      'GetSessionToken',
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport',
    ]);
    expect(requests[0]).toMatchObject({ accessKeyId: longTermKeys.accessKeyId });
    expect(requests[0]?.body.get('TokenCode')).toBe('123456');
    // The report is asked for with the MFA session, as an enforce-MFA policy demands.
    for (const request of requests.slice(1)) expect(request).toMatchObject({ service: 'iam', accessKeyId: motoSession.accessKeyId });
  });

  it('reuses the cached session and a report that is already there: no code, no wait', async () => {
    const box = sandbox();
    setUpProfile(box);
    await setUpUsers(box, MIXED_USERS);
    const first = await box.runCli(['audit', '-p', 'prod', '--code', '123456']);
    expect(first.code, describeRun(first)).toBe(3);
    await moto.clearRecording();

    const again = await box.runCli(['audit', '-p', 'prod']);

    expect(again.code, describeRun(again)).toBe(3);
    expect(again.stdout).toBe(EXPECTED_TABLE);
    expect(stderrLines(again)).toEqual([MOTO_GENERATED, 'aws-mfa: checked 7 users: 5 findings']);
    expect(await sessionTokenCalls(moto)).toHaveLength(0);
  });

  it('prints --format json as exactly the array of {user, arn, check, detail}', async () => {
    const box = sandbox();
    setUpProfile(box);
    await setUpUsers(box, MIXED_USERS);

    const result = await box.runCli(['audit', '-p', 'prod', '--code', '123456', '--format', 'json']);

    expect(result.code, describeRun(result)).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual(EXPECTED_FINDINGS);
  });

  it('prints --format csv with the header user,arn,check,detail', async () => {
    const box = sandbox();
    setUpProfile(box);
    await setUpUsers(box, MIXED_USERS);

    const result = await box.runCli(['audit', '-p', 'prod', '--code', '123456', '--format', 'csv']);

    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stdout).toBe(
      [
        'user,arn,check,detail',
        `alice,arn:aws:iam::123456789012:user/alice,console-without-mfa,"${NEVER_USED}"`,
        'ci-bot,arn:aws:iam::123456789012:user/ci-bot,keys-without-mfa,"access keys 1 and 2 active, no MFA device"',
        `bob,arn:aws:iam::123456789012:user/bob,console-without-mfa,"${NEVER_USED}"`,
        'bob,arn:aws:iam::123456789012:user/bob,keys-without-mfa,"access key 1 active, no MFA device"',
        `dave,arn:aws:iam::123456789012:user/dave,console-without-mfa,"${NEVER_USED}"`,
        '',
      ].join('\n'),
    );
  });

  it('exits 0 with nothing on stdout for a clean account; JSON is then []', async () => {
    const box = sandbox();
    setUpProfile(box);
    await setUpUsers(box, CLEAN_USERS);

    const table = await box.runCli(['audit', '-p', 'prod', '--code', '123456']);
    const json = await box.runCli(['audit', '-p', 'prod', '--format', 'json']);

    expect(table.code, describeRun(table)).toBe(0);
    expect(table.stdout).toBe('');
    expect(stderrLines(table)).toContain('aws-mfa: checked 3 users: nothing found');
    expect(json.code, describeRun(json)).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it('refuses an unknown --format before asking AWS anything (exit 2)', async () => {
    const box = sandbox();
    setUpProfile(box);
    await moto.clearRecording();

    const result = await box.runCli(['audit', '-p', 'prod', '--code', '123456', '--format', 'yaml']);

    expectOneLineError(result, 2, /^aws-mfa: bad --format: 'yaml' is not one of table, json, csv\n$/);
    expect(await moto.recordedRequests()).toEqual([]);
  });
});

describe('audit --report FILE: no AWS call, no profile needed', () => {
  /** A sandbox with no AWS profile at all, and moto holding the users whose report is exported. */
  async function exportedFrom(users: readonly UserSpec[]): Promise<{ box: Sandbox; csv: string }> {
    const box = sandbox();
    await setUpUsers(box, users);
    const csv = await exportedReport(box);
    await moto.clearRecording();
    return { box, csv };
  }

  async function expectFindingsWithoutAwsCalls(result: RunResult, generatedLine: string[]): Promise<void> {
    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stdout).toBe(EXPECTED_TABLE);
    expect(stderrLines(result)).toEqual([...generatedLine, 'aws-mfa: checked 7 users: 5 findings']);
    expect(await moto.recordedRequests()).toEqual([]);
  }

  it('reads the CSV itself', async () => {
    const { box, csv } = await exportedFrom(MIXED_USERS);
    const file = box.writeFile('report.csv', csv);

    await expectFindingsWithoutAwsCalls(await box.runCli(['audit', '--report', file]), []);
  });

  it('reads the base64 that the API returns', async () => {
    const { box, csv } = await exportedFrom(MIXED_USERS);
    const file = box.writeFile('report.b64', `${Buffer.from(csv).toString('base64')}\n`);

    await expectFindingsWithoutAwsCalls(await box.runCli(['audit', '--report', file]), []);
  });

  it('reads the JSON of the real `aws iam get-credential-report`, from a file or stdin (-), with its GeneratedTime', async () => {
    const { box } = await exportedFrom(MIXED_USERS);
    const aws = await box.runAws(['iam', 'get-credential-report'], { env: adminEnv });
    expect(aws.code, describeRun(aws)).toBe(0);
    expect(Object.keys(JSON.parse(aws.stdout))).toEqual(['Content', 'ReportFormat', 'GeneratedTime']);
    const file = box.writeFile('report.json', aws.stdout);
    await moto.clearRecording();

    await expectFindingsWithoutAwsCalls(await box.runCli(['audit', '--report', file]), [MOTO_GENERATED]);
    await expectFindingsWithoutAwsCalls(await box.runCli(['audit', '--report', '-'], { stdin: aws.stdout }), [MOTO_GENERATED]);
  });

  it('exits 0 with nothing on stdout for a clean report', async () => {
    const { box, csv } = await exportedFrom(CLEAN_USERS);
    const file = box.writeFile('clean.csv', csv);

    const result = await box.runCli(['audit', '--report', file]);

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toBe('');
    expect(stderrLines(result)).toEqual(['aws-mfa: checked 3 users: nothing found']);
  });

  it.each([
    [
      'an HTML page',
      '<!DOCTYPE html>\n<html lang="en"><body>Sign in</body></html>\n',
      /not an IAM credential report: malformed CSV at line 2/,
    ],
    ['JSON that is no report', '{"Users": []}\n', /not an IAM credential report: JSON without a Content string/],
    ['a CSV without the columns', 'name,email\nalice,alice@example.com\n', /not an IAM credential report: the CSV header lacks user, arn,/],
    ['an empty file', '', /not an IAM credential report: the input is empty/],
  ])('refuses %s: exit 2, one line', async (_name, text, reason) => {
    const box = sandbox();
    const file = box.writeFile('not-a-report.txt', text);

    const result = await box.runCli(['audit', '--report', file]);

    expectOneLineError(
      result,
      2,
      new RegExp(`^aws-mfa: bad --report ${escapeRegExp(file)}: ${reason.source}.*\\(give the CSV, its base64, or the JSON`),
    );
  });

  it('refuses a missing file or a folder (exit 2)', async () => {
    const box = sandbox();

    expectOneLineError(await box.runCli(['audit', '--report', 'missing.csv']), 2, /^aws-mfa: bad --report missing\.csv: no such file\n$/);
    expectOneLineError(await box.runCli(['audit', '--report', box.home]), 2, /^aws-mfa: bad --report .*: not a file\n$/);
  });
});
