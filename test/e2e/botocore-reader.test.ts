/**
 * Where aws-mfa's reading of the AWS files once differed from botocore's (issue 10, defect 7):
 * each case run end to end, with the AWS CLI or boto3 in the same HOME as the witness.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { useMoto } from './harness/moto.js';
import { useSandbox } from './harness/sandbox.js';
import {
  describeRun,
  longTermKeys,
  longTermSection,
  mfaSerial,
  motoSession,
  sectionOf,
  sessionTokenCalls,
} from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(() => moto.reset());

const prodConfig = `[profile prod]\nmfa_serial = ${mfaSerial}\n`;

/** boto3's frozen credentials for a profile: what every AWS CLI command would sign with. */
async function botoCredentials(box: ReturnType<typeof sandbox>, profile: string): Promise<{ key: string; token: string | null }> {
  const boto = await box.runPython(
    [
      'import boto3, json',
      `c = boto3.Session(profile_name=${JSON.stringify(profile)}).get_credentials().get_frozen_credentials()`,
      "print(json.dumps({'key': c.access_key, 'token': c.token}))",
    ].join('\n'),
  );
  expect(boto.code, describeRun(boto)).toBe(0);
  return JSON.parse(boto.stdout) as { key: string; token: string | null };
}

describe('a [NAME] holding aws_security_token, as older tools wrote it', () => {
  it('is a session, not long-term keys: login replaces the old token, and botocore signs with the new one', async () => {
    const box = sandbox();
    const oldSession =
      '[prod]\naws_access_key_id = ASIAOLDSESSIONEXAMPLE\naws_secret_access_key = old-secret\naws_security_token = old-token\n';
    box.writeCredentials(`${longTermSection('prod')}\n${oldSession}`);
    box.writeConfig(prodConfig);

    const result = await box.runCli(['login', '-p', 'prod', '--code', '123456']);

    expect(result.code, describeRun(result)).toBe(0);
    const prod = sectionOf(readFileSync(box.credentialsPath, 'utf8'), 'prod');
    expect(prod?.aws_access_key_id).toBe(motoSession.accessKeyId);
    expect(prod?.aws_session_token).toMatch(/^AQoE\S{100,}$/);
    expect(prod?.aws_security_token).toBe(prod?.aws_session_token);
    expect(await botoCredentials(box, 'prod')).toEqual({ key: motoSession.accessKeyId, token: prod?.aws_session_token });
  });
});

describe('an empty [NAME] followed by an indented header', () => {
  it('gets the session without a byte outside [NAME] changing, and the AWS CLI still reads both sections', async () => {
    const box = sandbox();
    const below = [
      '  [prod-long-term]',
      `    aws_access_key_id = ${longTermKeys.accessKeyId}`,
      `    aws_secret_access_key = ${longTermKeys.secretAccessKey}`,
      '',
    ].join('\n');
    box.writeCredentials(`[prod]\n${below}`);
    box.writeConfig(prodConfig);

    const result = await box.runCli(['login', '-p', 'prod', '--code', '123456']);

    expect(result.code, describeRun(result)).toBe(0);
    const written = readFileSync(box.credentialsPath, 'utf8');
    expect(written.startsWith('[prod]\n')).toBe(true);
    expect(written.endsWith(below)).toBe(true);
    expect((await sessionTokenCalls(moto))[0]?.accessKeyId).toBe(longTermKeys.accessKeyId);
    expect((await botoCredentials(box, 'prod-long-term')).key).toBe(longTermKeys.accessKeyId);
    expect((await botoCredentials(box, 'prod')).key).toBe(motoSession.accessKeyId);
  });
});

describe('an indented sub-setting line with no "="', () => {
  it.each([
    ['config', `${prodConfig}s3 =\n  max_concurrent_requests : 10\n`],
    ['credentials', `${longTermSection('prod')}[other]\ns3 =\n  max_concurrent_requests = 10\n  multipart_threshold\n`],
  ])('in the %s file is refused as the AWS CLI refuses it: exit 2, one line, no file changed', async (file, text) => {
    const box = sandbox();
    box.writeCredentials(file === 'credentials' ? text : longTermSection('prod'));
    box.writeConfig(file === 'config' ? text : prodConfig);
    const before = box.snapshot();

    const aws = await box.runAws(['configure', 'list', '--profile', 'prod']);
    const result = await box.runCli(['credential-process', '-p', 'prod', '--code', '123456']);

    expect(aws.code, describeRun(aws)).not.toBe(0);
    expect(aws.stderr).toMatch(/Unable to parse config file/);
    expect(result.code, describeRun(result)).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`^aws-mfa: malformed \\S+${file}: line \\d+: an indented line under "key =" has no "="[^\\n]*\\n$`),
    );
    expect(result.stdout).toBe('');
    expect(await moto.recordedRequests()).toEqual([]);
    expect(box.snapshot()).toEqual(before);
  });
});

describe("[profile $'p'] in the config file", () => {
  it('names the profile $p, as Python shlex does, and leaves [profile p] to p', async () => {
    const box = sandbox();
    const otherSerial = 'arn:aws:iam::123456789012:mfa/dollar';
    box.writeCredentials(longTermSection('p'));
    box.writeConfig(`[profile p]\nmfa_serial = ${mfaSerial}\n\n[profile $'p']\nmfa_serial = ${otherSerial}\n`);

    const result = await box.runCli(['login', '-p', 'p', '--code', '123456']);
    const aws = await box.runAws(['configure', 'get', 'mfa_serial', '--profile', '$p']);

    expect(result.code, describeRun(result)).toBe(0);
    expect((await sessionTokenCalls(moto))[0]?.body.get('SerialNumber')).toBe(mfaSerial);
    expect(aws.stdout.trim(), describeRun(aws)).toBe(otherSerial);
  });
});
