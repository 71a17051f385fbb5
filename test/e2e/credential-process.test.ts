import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { fromCredentialProcessObject } from '../../src/output/credential-process-json.js';
import { fileBytes } from './harness/files.js';
import { useMoto } from './harness/moto.js';
import { cliPath } from './harness/paths.js';
import { type Sandbox, useSandbox } from './harness/sandbox.js';
import {
  describeRun,
  eightHours,
  expectExpiration,
  longTermKeys,
  longTermSection,
  mfaSerial,
  motoAccount,
  motoSession,
  runNode,
  sectionOf,
  sessionTokenCalls,
  timed,
  withoutCacheFolders,
} from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(() => moto.reset());

const credentialProcessKeys = ['AccessKeyId', 'Expiration', 'SecretAccessKey', 'SessionToken', 'Version'];

/** [prod-long-term] keys, `mfa_serial` in [profile prod], and [profile prod-auto] with the given credential_process. */
function setUpProfiles(box: Sandbox, credentialProcess: string, extraConfig = ''): void {
  box.writeCredentials(longTermSection('prod'));
  box.writeConfig(
    `[profile prod]\nmfa_serial = ${mfaSerial}\n\n[profile prod-auto]\ncredential_process = ${credentialProcess}\n${extraConfig}`,
  );
}

describe('credential-process output', () => {
  it('prints exactly one Version 1 JSON object with the four fields and nothing else on stdout', async () => {
    const box = sandbox();
    setUpProfiles(box, `${cliPath} credential-process --profile prod`);
    const credentialsBefore = fileBytes(box.credentialsPath);

    const [result, window] = await timed(() => box.runCli(['credential-process', '-p', 'prod', '--code', '123456']));

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toMatch(/^\{[^\n]*\}\n$/);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(printed).sort()).toEqual(credentialProcessKeys);
    expect(printed.Version).toBe(1);
    const credentials = fromCredentialProcessObject(printed);
    expect(credentials).toMatchObject({ accessKeyId: motoSession.accessKeyId, secretAccessKey: motoSession.secretAccessKey });
    expect(credentials?.sessionToken).toMatch(/^AQoE/);
    expectExpiration(printed.Expiration as string, eightHours, window);

    const calls = await sessionTokenCalls(moto);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.accessKeyId).toBe(longTermKeys.accessKeyId);
    expect(calls[0]?.body.get('SerialNumber')).toBe(mfaSerial);
    expect(calls[0]?.body.get('TokenCode')).toBe('123456');
    expect(calls[0]?.body.get('DurationSeconds')).toBe(String(eightHours));
    // credential-process leaves the credentials file alone: only login writes [NAME].
    expect(fileBytes(box.credentialsPath)).toEqual(credentialsBefore);
  });

  it('keeps stdout to the JSON when it has a note for the user (a short session)', async () => {
    const box = sandbox();
    setUpProfiles(box, `${cliPath} credential-process --profile prod`);

    const [result, window] = await timed(() => box.runCli(['credential-process', '-p', 'prod', '--code', '123456', '--duration', '20m']));

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stderr).toMatch(/^aws-mfa: note: .*code often/);
    expect(result.stdout).toMatch(/^\{[^\n]*\}\n$/);
    expectExpiration((JSON.parse(result.stdout) as { Expiration: string }).Expiration, 1200, window);
  });

  it('exits 1 with one line naming --code, nothing on stdout and nothing written, with no terminal and an empty cache', async () => {
    const box = sandbox();
    setUpProfiles(box, `${cliPath} credential-process --profile prod`);
    const before = box.snapshot();

    const result = await box.runCli(['credential-process', '-p', 'prod']);

    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^aws-mfa: [^\n]+\n$/);
    expect(result.stderr).toContain('--code');
    expect(await moto.recordedRequests()).toEqual([]);
    expect(withoutCacheFolders(box.snapshot())).toEqual(before);
  });

  it('reuses the session that login cached: no code, no STS call, the same session', async () => {
    const box = sandbox();
    setUpProfiles(box, `${cliPath} credential-process --profile prod`);
    const login = await box.runCli(['login', '-p', 'prod', '--code', '123456']);
    expect(login.code, describeRun(login)).toBe(0);
    const written = sectionOf(readFileSync(box.credentialsPath, 'utf8'), 'prod');
    await moto.clearRecording();

    const result = await box.runCli(['credential-process', '-p', 'prod']);

    expect(result.code, describeRun(result)).toBe(0);
    expect(await moto.recordedRequests()).toEqual([]);
    expect(JSON.parse(result.stdout)).toEqual({
      Version: 1,
      AccessKeyId: written?.aws_access_key_id,
      SecretAccessKey: written?.aws_secret_access_key,
      SessionToken: written?.aws_session_token,
      Expiration: written?.expiration,
    });
  });
});

describe('when the cached session is not reused', () => {
  async function loginAndForget(box: Sandbox, args: string[] = []): Promise<void> {
    const login = await box.runCli(['login', '-p', 'prod', '--code', '123456', ...args]);
    expect(login.code, describeRun(login)).toBe(0);
    await moto.clearRecording();
  }

  it('reuses a session with more than the refresh margin left, and not one with less', async () => {
    const box = sandbox();
    setUpProfiles(box, `${cliPath} credential-process --profile prod`);
    await loginAndForget(box, ['--duration', '20m']);

    const reused = await box.runCli(['credential-process', '-p', 'prod']);
    expect(reused.code, describeRun(reused)).toBe(0);

    // The same 20 min session, with a 25 min margin: it needs a new one, so a code.
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\naws_mfa_refresh_margin = 25m\n`);
    const refused = await box.runCli(['credential-process', '-p', 'prod']);

    expect(refused.code, describeRun(refused)).toBe(1);
    expect(refused.stdout).toBe('');
    expect(await moto.recordedRequests()).toEqual([]);
  });

  it('gets a new session when the key id in [NAME-long-term] changed', async () => {
    const box = sandbox();
    setUpProfiles(box, `${cliPath} credential-process --profile prod`);
    await loginAndForget(box);
    box.writeCredentials(longTermSection('prod').replace(longTermKeys.accessKeyId, 'AKIAROTATEDKEY000001'));

    const result = await box.runCli(['credential-process', '-p', 'prod', '--code', '222222']);

    expect(result.code, describeRun(result)).toBe(0);
    const calls = await sessionTokenCalls(moto);
    expect(calls.map((call) => [call.accessKeyId, call.body.get('TokenCode')])).toEqual([['AKIAROTATEDKEY000001', '222222']]);
  });

  it('gets a new session for another MFA device', async () => {
    const box = sandbox();
    setUpProfiles(box, `${cliPath} credential-process --profile prod`);
    await loginAndForget(box);
    const otherDevice = 'arn:aws:iam::123456789012:mfa/alice-backup';

    const result = await box.runCli(['credential-process', '-p', 'prod', '--mfa-serial', otherDevice, '--code', '333333']);

    expect(result.code, describeRun(result)).toBe(0);
    expect((await sessionTokenCalls(moto)).map((call) => call.body.get('SerialNumber'))).toEqual([otherDevice]);
  });
});

describe('credential_process in the AWS tools', () => {
  it('works in the AWS CLI by absolute path, then by the plain aws-mfa name from the cache', async () => {
    const box = sandbox();
    setUpProfiles(
      box,
      `${cliPath} credential-process --profile prod --code 123456`,
      '\n[profile prod-plain]\ncredential_process = aws-mfa credential-process --profile prod\n',
    );

    const first = await box.runAws(['sts', 'get-caller-identity', '--profile', 'prod-auto']);

    expect(first.code, describeRun(first)).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ Account: motoAccount });
    const requests = await moto.recordedRequests();
    expect(requests.map((request) => [request.action, request.accessKeyId])).toEqual([
      ['GetSessionToken', longTermKeys.accessKeyId],
      ['GetCallerIdentity', motoSession.accessKeyId],
    ]);
    expect(requests[0]?.body.get('TokenCode')).toBe('123456');
    await moto.clearRecording();

    // `aws-mfa` found on PATH (bin/ comes first in the sandbox), no code: the cached session.
    const second = await box.runAws(['sts', 'get-caller-identity', '--profile', 'prod-plain']);

    expect(second.code, describeRun(second)).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ Account: motoAccount });
    expect((await moto.recordedRequests()).map((request) => [request.action, request.accessKeyId])).toEqual([
      ['GetCallerIdentity', motoSession.accessKeyId],
    ]);
  });

  it("shows aws-mfa's message through the AWS CLI when it cannot prompt", async () => {
    const box = sandbox();
    setUpProfiles(box, `${cliPath} credential-process --profile prod`);

    const result = await box.runAws(['sts', 'get-caller-identity', '--profile', 'prod-auto']);

    expect(result.code, describeRun(result)).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--code');
    expect(await moto.recordedRequests()).toEqual([]);
  });

  it('works in boto3', async () => {
    const box = sandbox();
    setUpProfiles(box, `${cliPath} credential-process --profile prod --code 123456`);

    const result = await box.runPython(
      [
        'import boto3, json',
        "s = boto3.Session(profile_name='prod-auto')",
        'c = s.get_credentials().get_frozen_credentials()',
        "print(json.dumps({'account': s.client('sts').get_caller_identity()['Account'], 'key': c.access_key, 'token': c.token}))",
      ].join('\n'),
    );

    expect(result.code, describeRun(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      account: motoAccount,
      key: motoSession.accessKeyId,
      token: expect.stringMatching(/^AQoE/),
    });
    expect((await moto.recordedRequests()).map((request) => request.action)).toEqual(['GetSessionToken', 'GetCallerIdentity']);
  });

  it("works in the SDK for JavaScript's fromProcess", async () => {
    const box = sandbox();
    setUpProfiles(box, `${cliPath} credential-process --profile prod --code 123456`);
    const code = [
      'import { fromProcess } from "@aws-sdk/credential-providers";',
      'const c = await fromProcess({ profile: "prod-auto" })();',
      'console.log(JSON.stringify({ ...c, expiration: c.expiration?.toISOString() }));',
    ].join('\n');

    const [result, window] = await timed(() => runNode(box, code));

    expect(result.code, describeRun(result)).toBe(0);
    const credentials = JSON.parse(result.stdout) as Record<string, string>;
    expect(credentials).toMatchObject({
      accessKeyId: motoSession.accessKeyId,
      secretAccessKey: motoSession.secretAccessKey,
      sessionToken: expect.stringMatching(/^AQoE/),
    });
    expectExpiration(credentials.expiration, eightHours, window);
    expect(await moto.countCalls('GetSessionToken')).toBe(1);
  });

  it('asks for the code on the terminal, never on stdout, when the AWS CLI runs it with an empty cache', async () => {
    const box = sandbox();
    setUpProfiles(box, `${cliPath} credential-process --profile prod`);

    const result = await box.runInPty(['aws', 'sts', 'get-caller-identity', '--profile', 'prod-auto'], async (terminal) => {
      // The AWS CLI starts first: allow for a loaded machine.
      await terminal.waitForText('MFA code for prod', 30_000);
      await terminal.type('123456\r');
    });

    expect(result.code, result.transcript).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Account: motoAccount });
    expect(result.stdout).not.toContain('MFA code');
    expect(result.transcript).toContain('MFA code for prod');
    const calls = await sessionTokenCalls(moto);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body.get('TokenCode')).toBe('123456');
    await moto.clearRecording();

    // The next AWS call, with no terminal at all, gets the cached session.
    const again = await box.runAws(['sts', 'get-caller-identity', '--profile', 'prod-auto']);

    expect(again.code, describeRun(again)).toBe(0);
    expect(await moto.countCalls('GetSessionToken')).toBe(0);
    expect(await moto.countCalls('GetCallerIdentity')).toBe(1);
  });
});
