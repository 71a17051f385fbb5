import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useBackgroundClis } from './harness/background.js';
import { type RecordedRequest, useMoto } from './harness/moto.js';
import type { RunResult } from './harness/process.js';
import { expectOnlyLockFoldersAdded, expectRefusal } from './harness/refusals.js';
import { type Sandbox, useSandbox } from './harness/sandbox.js';
import { describeRun, longTermKeys, longTermSection, mfaSerial, motoSession, runNode, sectionOf } from './harness/session-fixtures.js';

// Role profiles as PRODUCT.md "Roles" states them, against moto's STS (its recorder shows which
// key signed each request and what it carried).

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

const ADMIN_ARN = 'arn:aws:iam::111111111111:role/admin';
const DEEP_ARN = 'arn:aws:iam::222222222222:role/deep';
const OPS_ARN = 'arn:aws:iam::333333333333:role/ops';
/** What moto's GetCallerIdentity answers for an MFA session: the default role session name. */
const MOTO_SESSION_USER = 'moto';

/** root (long-term keys, mfa_serial) → admin → deep, and ops, a second role of root. */
const CONFIG = [
  '[profile root]',
  `mfa_serial = ${mfaSerial}`,
  '',
  '[profile admin]',
  `role_arn = ${ADMIN_ARN}`,
  'source_profile = root',
  '',
  '[profile deep]',
  `role_arn = ${DEEP_ARN}`,
  'source_profile = admin',
  'region = eu-west-1',
  '',
  '[profile ops]',
  `role_arn = ${OPS_ARN}`,
  'source_profile = root',
  'role_session_name = alice-ops',
  '',
].join('\n');

const start = useBackgroundClis();

beforeEach(() => moto.reset());

function setUp(box: Sandbox, extraConfig = ''): void {
  box.writeCredentials(longTermSection('root'));
  box.writeConfig(CONFIG + extraConfig);
}

function credentialsFrom(result: RunResult): Record<string, string> {
  expect(result.code, describeRun(result)).toBe(0);
  return JSON.parse(result.stdout) as Record<string, string>;
}

function sts(requests: RecordedRequest[], action: string): RecordedRequest[] {
  return requests.filter((request) => request.action === action);
}

function cachedSession(box: Sandbox, profile: string): { definition: Record<string, unknown>; session: Record<string, string> } {
  return JSON.parse(readFileSync(join(box.cacheHome, 'aws-mfa', 'sessions', `${profile}.json`), 'utf8'));
}

/** Makes the cached session of profile expire in `minutes`, as if it had been issued long ago. */
function ageCachedSession(box: Sandbox, profile: string, minutes: number): void {
  const file = join(box.cacheHome, 'aws-mfa', 'sessions', `${profile}.json`);
  const contents = JSON.parse(readFileSync(file, 'utf8')) as { session: { Expiration: string } };
  contents.session.Expiration = new Date(Date.now() + minutes * 60_000).toISOString();
  writeFileSync(file, JSON.stringify(contents), { mode: 0o600 });
}

/** A mfa_process that appends a line to a file on each run and prints a code: its runs are counted. */
function countingMfaProcess(box: Sandbox): { line: string; runs: () => number } {
  const counter = join(box.home, 'mfa-process-runs');
  return {
    line: `mfa_process = echo run >> ${counter}; echo 123456`,
    runs: () => {
      try {
        return readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    },
  };
}

describe('a chain of three: root → admin → deep', () => {
  it('signs GetSessionToken with the root key, the first AssumeRole with the MFA session (no code), the next with the role session', async () => {
    const box = sandbox();
    setUp(box);

    const deep = credentialsFrom(await box.runCli(['credential-process', '-p', 'deep', '--code', '123456']));

    const requests = await moto.recordedRequests();
    expect(requests.map((request) => request.action)).toEqual(['GetSessionToken', 'GetCallerIdentity', 'AssumeRole', 'AssumeRole']);
    const [getSessionToken, callerIdentity, assumeAdmin, assumeDeep] = requests as [
      RecordedRequest,
      RecordedRequest,
      RecordedRequest,
      RecordedRequest,
    ];
    expect(getSessionToken.accessKeyId).toBe(longTermKeys.accessKeyId);
    expect(getSessionToken.body.get('TokenCode')).toBe('123456');
    expect(callerIdentity.accessKeyId).toBe(motoSession.accessKeyId);
    expect(assumeAdmin.accessKeyId).toBe(motoSession.accessKeyId);
    expect(Object.fromEntries(assumeAdmin.body)).toMatchObject({
      RoleArn: ADMIN_ARN,
      RoleSessionName: MOTO_SESSION_USER,
      DurationSeconds: '3600',
    });
    expect(assumeAdmin.body.has('TokenCode')).toBe(false);
    expect(assumeAdmin.body.has('SerialNumber')).toBe(false);
    const admin = cachedSession(box, 'admin');
    expect(assumeDeep.accessKeyId).toBe(admin.session.AccessKeyId);
    expect(Object.fromEntries(assumeDeep.body)).toMatchObject({ RoleArn: DEEP_ARN, RoleSessionName: MOTO_SESSION_USER });
    expect(deep.AccessKeyId).toMatch(/^ASIA/);
    expect(deep.AccessKeyId).not.toBe(admin.session.AccessKeyId);
    expect(cachedSession(box, 'deep').definition).toMatchObject({
      kind: 'assume-role',
      profile: 'deep',
      roleArn: DEEP_ARN,
      source: {
        kind: 'assume-role',
        profile: 'admin',
        source: { kind: 'session-token', profile: 'root', longTermKeyId: longTermKeys.accessKeyId },
      },
    });
  });

  it('serves every hop from the cache with no STS call and no code, and env exports the role session and its region', async () => {
    const box = sandbox();
    setUp(box);
    const first = credentialsFrom(await box.runCli(['credential-process', '-p', 'deep', '--code', '123456']));
    await moto.clearRecording();

    const again = credentialsFrom(await box.runCli(['credential-process', '-p', 'deep']));
    const env = await box.runCli(['env', '-p', 'deep'], { env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined } });
    const admin = credentialsFrom(await box.runCli(['credential-process', '-p', 'admin']));
    const root = credentialsFrom(await box.runCli(['credential-process', '-p', 'root']));

    expect(await moto.recordedRequests()).toEqual([]);
    expect(again).toEqual(first);
    expect(env.stdout).toContain(`export AWS_ACCESS_KEY_ID='${first.AccessKeyId}'\n`);
    expect(env.stdout).toContain(`export AWS_CREDENTIAL_EXPIRATION='${first.Expiration}'\n`);
    expect(env.stdout).toContain("export AWS_REGION='eu-west-1'\n");
    expect(admin.AccessKeyId).toBe(cachedSession(box, 'admin').session.AccessKeyId);
    expect(root.AccessKeyId).toBe(motoSession.accessKeyId);
  });

  it('renews an expiring role session silently from the MFA session: no terminal, no code, one AssumeRole', async () => {
    const box = sandbox();
    setUp(box);
    const first = credentialsFrom(await box.runCli(['credential-process', '-p', 'deep', '--code', '123456']));
    ageCachedSession(box, 'deep', 5);
    await moto.clearRecording();

    const renewed = credentialsFrom(await box.runCli(['credential-process', '-p', 'deep']));

    const requests = await moto.recordedRequests();
    expect(requests.map((request) => request.action)).toEqual(['AssumeRole']);
    expect(requests[0]?.accessKeyId).toBe(cachedSession(box, 'admin').session.AccessKeyId);
    expect(requests[0]?.body.get('RoleSessionName')).toBe(MOTO_SESSION_USER);
    expect(renewed.AccessKeyId).not.toBe(first.AccessKeyId);
  });

  it('drops the chain when the root key changes: a new MFA session is needed, so without a code it fails', async () => {
    const box = sandbox();
    setUp(box);
    credentialsFrom(await box.runCli(['credential-process', '-p', 'deep', '--code', '123456']));
    box.writeCredentials(longTermSection('root').replace(longTermKeys.accessKeyId, 'AKIANEWROOT00EXAMPLE'));
    await moto.clearRecording();

    const withoutCode = await box.runCli(['credential-process', '-p', 'deep']);
    expectRefusal(expect, withoutCode, { exit: 1, words: ['MFA code', /terminal/] });
    const withCode = credentialsFrom(await box.runCli(['credential-process', '-p', 'deep', '--code', '654321']));

    const requests = await moto.recordedRequests();
    expect(sts(requests, 'GetSessionToken').map((request) => request.accessKeyId)).toEqual(['AKIANEWROOT00EXAMPLE']);
    expect(sts(requests, 'AssumeRole')).toHaveLength(2);
    expect(withCode.AccessKeyId).toBe(cachedSession(box, 'deep').session.AccessKeyId);
  });

  it('--force renews the named profile own hop only', async () => {
    const box = sandbox();
    setUp(box);
    credentialsFrom(await box.runCli(['credential-process', '-p', 'deep', '--code', '123456']));
    await moto.clearRecording();

    credentialsFrom(await box.runCli(['credential-process', '-p', 'deep', '--force']));

    const requests = await moto.recordedRequests();
    expect(requests.map((request) => request.action)).toEqual(['AssumeRole']);
    expect(requests[0]?.body.get('RoleArn')).toBe(DEEP_ARN);
  });
});

describe('a role with duration_seconds over 1 h', () => {
  it('is assumed with the root long-term keys, SerialNumber and TokenCode, and the user is told once', async () => {
    const box = sandbox();
    setUp(box, '\n[profile long]\nrole_arn = arn:aws:iam::444444444444:role/long\nsource_profile = root\nduration_seconds = 7200\n');

    const result = await box.runCli(['credential-process', '-p', 'long', '--code', '123456']);

    credentialsFrom(result);
    const requests = await moto.recordedRequests();
    const assume = sts(requests, 'AssumeRole');
    expect(sts(requests, 'GetSessionToken')).toEqual([]);
    expect(assume).toHaveLength(1);
    expect(assume[0]?.accessKeyId).toBe(longTermKeys.accessKeyId);
    expect(Object.fromEntries(assume[0]?.body ?? [])).toMatchObject({
      DurationSeconds: '7200',
      SerialNumber: mfaSerial,
      TokenCode: '123456',
    });
    expect(result.stderr.match(/one code per role session/g)).toHaveLength(1);
  });
});

describe('parallel cold callers', () => {
  it('24 callers of one role: one GetSessionToken, one AssumeRole, one mfa_process run, one session for all', async () => {
    const box = sandbox();
    const mfaProcess = countingMfaProcess(box);
    box.writeCredentials(longTermSection('root'));
    box.writeConfig(CONFIG.replace(`mfa_serial = ${mfaSerial}`, `mfa_serial = ${mfaSerial}\n${mfaProcess.line}`));

    const callers = Array.from({ length: 24 }, () => start(box, ['credential-process', '-p', 'admin']));
    const results = await Promise.all(callers.map((caller) => caller.result()));

    for (const result of results) credentialsFrom(result);
    expect(new Set(results.map((result) => result.stdout)).size).toBe(1);
    const requests = await moto.recordedRequests();
    expect(sts(requests, 'GetSessionToken')).toHaveLength(1);
    expect(sts(requests, 'AssumeRole')).toHaveLength(1);
    expect(mfaProcess.runs()).toBe(1);
  });

  it('24 callers of two roles of one root share one GetSessionToken', async () => {
    const box = sandbox();
    const mfaProcess = countingMfaProcess(box);
    box.writeCredentials(longTermSection('root'));
    box.writeConfig(CONFIG.replace(`mfa_serial = ${mfaSerial}`, `mfa_serial = ${mfaSerial}\n${mfaProcess.line}`));

    const callers = Array.from({ length: 24 }, (_, index) => start(box, ['credential-process', '-p', index % 2 ? 'admin' : 'ops']));
    const results = await Promise.all(callers.map((caller) => caller.result()));

    for (const result of results) credentialsFrom(result);
    const requests = await moto.recordedRequests();
    expect(sts(requests, 'GetSessionToken')).toHaveLength(1);
    expect(
      sts(requests, 'AssumeRole')
        .map((request) => request.body.get('RoleArn'))
        .sort(),
    ).toEqual([ADMIN_ARN, OPS_ARN]);
    expect(mfaProcess.runs()).toBe(1);
  });
});

describe('refusals: one line, exit 2, before any prompt, STS call or write', () => {
  // [name, config, words, exit]: without a keychain to search (no D-Bus here), a root with no keys
  // in the files may still have them there: that is a failure (exit 1), not bad input.
  const cases: Array<[string, string, readonly (string | RegExp)[], number?]> = [
    [
      'a source_profile loop',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/b\nsource_profile = a\n',
      ['loops', 'a -> b -> a'],
    ],
    [
      'a missing source profile',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = nowhere\n',
      ["unknown source_profile 'nowhere' of a"],
    ],
    ['a role with no source_profile', '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\n', ['no source_profile']],
    [
      'a root without long-term keys',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = bare\n[profile bare]\nregion = us-east-1\n',
      ['no long-term keys for profile bare', 'no [bare-long-term]'],
      1,
    ],
    [
      'credential_source',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\ncredential_source = Ec2InstanceMetadata\n',
      ['credential_source', 'long-term keys'],
    ],
    [
      'web_identity_token_file',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nweb_identity_token_file = /tmp/token\n',
      ['web_identity_token_file', 'long-term keys'],
    ],
    [
      'SSO keys on the root',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = sso\n[profile sso]\nsso_session = corp\n',
      ['sso_session', 'aws sso login'],
    ],
    [
      'a malformed role ARN',
      '[profile a]\nrole_arn = arn:aws:iam::1111:user/a\nsource_profile = root\n',
      ['bad role_arn', 'not a role ARN'],
    ],
    [
      'a malformed session name',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = root\nrole_session_name = has space\n',
      ['bad role_session_name'],
    ],
  ];

  it.each(cases)('%s', async (_name, config, words, exit = 2) => {
    const box = sandbox();
    box.writeCredentials(longTermSection('root'));
    box.writeConfig(`[profile root]\nmfa_serial = ${mfaSerial}\n${config}`);
    const before = box.snapshot();

    const result = await box.runCli(['credential-process', '-p', 'a', '--code', '123456']);

    expectRefusal(expect, result, { exit, words });
    expect(await moto.recordedRequests()).toEqual([]);
    expectOnlyLockFoldersAdded(expect, before, box.snapshot());
  });
});

describe('the AWS tools consuming role sessions', () => {
  it('login -p ROLE logs in the root, says so, and the AWS CLI then assumes the role from [root] itself', async () => {
    const box = sandbox();
    setUp(box);

    const login = await box.runCli(['login', '-p', 'admin', '--code', '123456']);

    expect(login.code, describeRun(login)).toBe(0);
    expect(login.stderr).toContain('written to [root]');
    expect(login.stderr).toContain('admin is a role assumed from root');
    expect(sectionOf(readFileSync(box.credentialsPath, 'utf8'), 'root')).toMatchObject({ aws_access_key_id: motoSession.accessKeyId });
    expect(sectionOf(readFileSync(box.credentialsPath, 'utf8'), 'admin')).toBeUndefined();
    const cli = await box.runAws(['sts', 'get-caller-identity', '--profile', 'admin', '--output', 'json']);
    expect(cli.code, describeRun(cli)).toBe(0);
    expect(JSON.parse(cli.stdout).Arn).toMatch(/^arn:aws:sts::111111111111:assumed-role\/admin\//);
  });

  it('configure ROLE without --as refuses and says why; with --as, the AWS CLI, boto3 and the SDK (fromIni, fromProcess) get the role session', async () => {
    const box = sandbox();
    setUp(box);
    const before = box.snapshot();

    const refused = await box.runCli(['configure', 'admin']);
    expectRefusal(expect, refused, { exit: 2, words: ['role_arn', '--as'] });
    expect(box.snapshot()).toEqual(before);
    const configured = await box.runCli(['configure', 'admin', '--as', 'admin-mfa']);
    expect(configured.code, describeRun(configured)).toBe(0);
    expect(readFileSync(box.configPath, 'utf8')).toContain(
      '[profile admin-mfa]\ncredential_process = aws-mfa credential-process --profile admin\n',
    );
    credentialsFrom(await box.runCli(['credential-process', '-p', 'admin', '--code', '123456']));
    const roleKey = cachedSession(box, 'admin').session.AccessKeyId;

    const cli = await box.runAws(['sts', 'get-caller-identity', '--profile', 'admin-mfa', '--output', 'json']);
    expect(cli.code, describeRun(cli)).toBe(0);
    expect(JSON.parse(cli.stdout).Arn).toBe(`arn:aws:sts::111111111111:assumed-role/admin/${MOTO_SESSION_USER}`);
    const boto = await box.runPython(
      "import boto3; print(boto3.Session(profile_name='admin-mfa').get_credentials().get_frozen_credentials().access_key)",
    );
    expect(boto.stdout.trim(), describeRun(boto)).toBe(roleKey);
    const sdk = await runNode(
      box,
      [
        "import { fromIni, fromProcess } from '@aws-sdk/credential-providers';",
        "const ini = await fromIni({ profile: 'admin-mfa' })();",
        "const process = await fromProcess({ profile: 'admin-mfa' })();",
        'console.log(JSON.stringify([ini.accessKeyId, process.accessKeyId]));',
      ].join('\n'),
    );
    expect(JSON.parse(sdk.stdout), describeRun(sdk)).toEqual([roleKey, roleKey]);
  });

  it('exec runs the AWS CLI as the role, with the role session expiry', async () => {
    const box = sandbox();
    setUp(box);

    const result = await box.runCli([
      'exec',
      '-p',
      'admin',
      '--code',
      '123456',
      '--',
      'sh',
      '-c',
      'aws sts get-caller-identity --output json && echo "expires $AWS_CREDENTIAL_EXPIRATION"',
    ]);

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(`assumed-role/admin/${MOTO_SESSION_USER}`);
    expect(result.stdout).toContain(`expires ${cachedSession(box, 'admin').session.Expiration}`);
  });

  it('list --json shows role profiles with their root, role ARN and cached session expiry', async () => {
    const box = sandbox();
    setUp(box);
    credentialsFrom(await box.runCli(['credential-process', '-p', 'admin', '--code', '123456']));

    const result = await box.runCli(['list', '--json'], { env: { DBUS_SESSION_BUS_ADDRESS: undefined } });

    const listings = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(listings.find((listing) => listing.profile === 'admin')).toMatchObject({
      keySource: 'role',
      roleArn: ADMIN_ARN,
      root: 'root',
      sessionExpiration: cachedSession(box, 'admin').session.Expiration?.replace(/\.\d{3}Z$/, 'Z'),
      sessionValid: true,
    });
    expect(listings.find((listing) => listing.profile === 'deep')).toMatchObject({
      keySource: 'role',
      root: 'root',
      sessionExpiration: null,
    });
    expect(listings.find((listing) => listing.profile === 'root')).toMatchObject({ keySource: 'file', roleArn: null, root: null });
    const table = await box.runCli(['list'], { env: { DBUS_SESSION_BUS_ADDRESS: undefined } });
    const rows = table.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/ {2,}/));
    expect(rows[0]).toEqual(['PROFILE', 'KEYS', 'KEY ID', 'MFA DEVICE', 'TOTP', 'SESSION', 'ROLE']);
    expect(rows.find((row) => row[0] === 'admin')).toEqual([
      'admin',
      'from root',
      '-',
      '-',
      'no',
      expect.stringMatching(/^until /),
      ADMIN_ARN,
    ]);
  });
});
