/**
 * MFA serial discovery, end to end: with no serial configured, bin/aws-mfa asks iam:ListMFADevices
 * with the long-term keys. moto's ListMFADevices needs a UserName, so IAM is the fake from
 * test/aws/fake-iam.ts (AWS's own XML and error documents, paged by Marker) at
 * AWS_ENDPOINT_URL_IAM, while STS is moto, whose recorder shows the serial that GetSessionToken got.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeIam, type FakeMfaDevice, iamErrorReply, listMfaDevicesReply } from '../aws/fake-iam.js';
import { fileBytes, fileMode } from './harness/files.js';
import { useMoto } from './harness/moto.js';
import type { RunResult } from './harness/process.js';
import { expectNoSecrets, expectOnlyLockFoldersAdded, expectRefusal } from './harness/refusals.js';
import type { Sandbox } from './harness/sandbox.js';
import { useSandbox } from './harness/sandbox.js';
import { describeRun, longTermKeys, longTermSection, motoSession, sectionOf, sessionTokenCalls } from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });
let iam: FakeIam;

beforeAll(async () => {
  iam = await FakeIam.start();
});
afterAll(async () => {
  await iam.close();
});
beforeEach(async () => {
  await moto.reset();
  iam.requests.length = 0;
  iam.respond = () => listMfaDevicesReply([]);
});

const virtualDevice = device('arn:aws:iam::123456789012:mfa/alice');
const securityKey = device('arn:aws:iam::123456789012:u2f/user/alice/yubikey-ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const hardwareToken = device('GAHT12345678');

function device(serialNumber: string): FakeMfaDevice {
  return { userName: 'alice', serialNumber, enableDate: '2026-01-15T09:30:00Z' };
}

/** `login -p prod --code 123456` with IAM at the fake; STS stays moto (AWS_ENDPOINT_URL). */
function login(box: Sandbox, ...extra: string[]): Promise<RunResult> {
  return box.runCli(['login', '-p', 'prod', '--code', '123456', ...extra], { env: { AWS_ENDPOINT_URL_IAM: iam.url } });
}

/** The access key id in a request's SigV4 Authorization header. */
function signingKeyId(headers: Record<string, string | string[] | undefined>): string | undefined {
  return /Credential=([^/]+)\//.exec(String(headers.authorization ?? ''))?.[1];
}

describe('no MFA serial configured', () => {
  it('finds the one TOTP device with iam:ListMFADevices (skipping a FIDO key, over pages), says so, and uses it', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    box.writeConfig('[profile prod]\nregion = us-east-1\n');
    const configBefore = fileBytes(box.configPath);
    iam.respond = (request) =>
      request.params.get('Marker') === 'page-2' ? listMfaDevicesReply([virtualDevice]) : listMfaDevicesReply([securityKey], 'page-2');

    const result = await login(box);

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stderr).toContain(`using MFA device ${virtualDevice.serialNumber}`);
    expect(result.stderr).toContain('ListMFADevices');
    expect(result.stderr).toContain('--save');
    expect(result.stderr).not.toContain('u2f');
    expectNoSecrets(expect, result.stderr, [longTermKeys.secretAccessKey, motoSession.secretAccessKey]);
    expect(iam.requests.map((request) => [request.params.get('Action'), request.params.get('Marker')])).toEqual([
      ['ListMFADevices', null],
      ['ListMFADevices', 'page-2'],
    ]);
    expect(iam.requests.every((request) => signingKeyId(request.headers) === longTermKeys.accessKeyId)).toBe(true);
    expect(iam.requests[0]?.params.has('UserName')).toBe(false);
    const calls = await sessionTokenCalls(moto);
    expect(calls.map((call) => [call.accessKeyId, call.body.get('SerialNumber'), call.body.get('TokenCode')])).toEqual([
      [longTermKeys.accessKeyId, virtualDevice.serialNumber, '123456'],
    ]);
    expect(sectionOf(readFileSync(box.credentialsPath, 'utf8'), 'prod')).toMatchObject({ aws_access_key_id: motoSession.accessKeyId });
    // Without --save, the config stays as it was.
    expect(fileBytes(box.configPath)).toEqual(configBefore);
  });

  it('takes a hardware TOTP token too (a plain serial)', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    iam.respond = () => listMfaDevicesReply([securityKey, hardwareToken]);

    const result = await login(box);

    expect(result.code, describeRun(result)).toBe(0);
    expect((await sessionTokenCalls(moto))[0]?.body.get('SerialNumber')).toBe(hardwareToken.serialNumber);
  });

  it('--save writes mfa_serial into the config profile, keeping every other byte; the next login asks IAM nothing', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    const config = [
      '# my AWS config',
      '[default]',
      'region = us-east-1',
      '',
      '; production',
      '[profile prod]',
      'region = us-east-1',
      'output = json',
      '',
      '[profile other]',
      'region = eu-west-1',
      '',
    ].join('\n');
    box.writeConfig(config);
    iam.respond = () => listMfaDevicesReply([virtualDevice, securityKey]);

    const saved = await login(box, '--save');

    expect(saved.code, describeRun(saved)).toBe(0);
    expect(saved.stderr).toContain(`using MFA device ${virtualDevice.serialNumber}, saved as mfa_serial in [profile prod]`);
    expect(readFileSync(box.configPath, 'utf8')).toBe(
      config.replace('output = json\n', `output = json\nmfa_serial = ${virtualDevice.serialNumber}\n`),
    );
    expect(fileMode(box.configPath)).toBe(0o644);
    expect(iam.requests).toHaveLength(1);

    const again = await login(box, '--force');

    expect(again.code, describeRun(again)).toBe(0);
    expect(again.stderr).not.toContain('ListMFADevices');
    expect(iam.requests).toHaveLength(1);
    expect((await sessionTokenCalls(moto)).map((call) => call.body.get('SerialNumber'))).toEqual([
      virtualDevice.serialNumber,
      virtualDevice.serialNumber,
    ]);
  });

  it('several TOTP devices: exit 2, listing them; nothing sent to STS, nothing written', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    box.writeConfig('[profile prod]\nregion = us-east-1\n');
    const before = box.snapshot();
    iam.respond = () => listMfaDevicesReply([virtualDevice, securityKey, hardwareToken]);

    const result = await login(box, '--save');

    const line = expectRefusal(expect, result, {
      exit: 2,
      words: ['several MFA devices for profile prod', virtualDevice.serialNumber, hardwareToken.serialNumber, '--mfa-serial', 'mfa_serial'],
    });
    expect(line).not.toContain('u2f');
    expect(await sessionTokenCalls(moto)).toEqual([]);
    expectOnlyLockFoldersAdded(expect, before, box.snapshot());
  });

  it('only a FIDO security key: exit 2, STS cannot use it', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    iam.respond = () => listMfaDevicesReply([securityKey]);

    const result = await login(box);

    expectRefusal(expect, result, { exit: 2, words: ['no MFA device for profile prod', 'FIDO', 'mfa_serial'] });
    expect(await sessionTokenCalls(moto)).toEqual([]);
  });

  it('AccessDenied (an enforce-MFA policy): exit 1, with the hint to configure mfa_serial', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    const before = box.snapshot();
    iam.respond = () =>
      iamErrorReply(
        403,
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListMFADevices on resource: user alice with an explicit deny in an identity-based policy',
      );

    const result = await login(box);

    const line = expectRefusal(expect, result, {
      exit: 1,
      words: ['ListMFADevices', 'access denied', 'configure mfa_serial', '--mfa-serial'],
    });
    expectNoSecrets(expect, line, [longTermKeys.secretAccessKey]);
    expect(iam.requests).toHaveLength(1);
    expect(await sessionTokenCalls(moto)).toEqual([]);
    expectOnlyLockFoldersAdded(expect, before, box.snapshot());
  });
});

describe('a serial configured anywhere', () => {
  it('is used as is: IAM is never asked', async () => {
    const box = sandbox();
    const configured = 'arn:aws:iam::123456789012:mfa/configured';
    box.writeCredentials(longTermSection('prod', `aws_mfa_device = ${configured}`));

    const fromLongTerm = await login(box);
    const fromFlag = await login(box, '--force', '--mfa-serial', virtualDevice.serialNumber);

    expect(fromLongTerm.code, describeRun(fromLongTerm)).toBe(0);
    expect(fromFlag.code, describeRun(fromFlag)).toBe(0);
    expect(iam.requests).toEqual([]);
    expect((await sessionTokenCalls(moto)).map((call) => call.body.get('SerialNumber'))).toEqual([configured, virtualDevice.serialNumber]);
  });
});
