import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assumeRole, type GetSessionTokenRequest, getCallerIdentity, getSessionToken } from '../../src/aws/sts.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { pythonPath } from '../e2e/harness/python.js';
import { closedPort, makeTempDir } from './fake-aws.js';

const temp = makeTempDir();
let moto: ChildProcess;
let motoUrl: string;

beforeAll(async () => {
  const port = await closedPort();
  motoUrl = `http://127.0.0.1:${port}`;
  moto = spawn(pythonPath(), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: temp.path,
    env: { ...process.env, MOTO_RECORDER_FILEPATH: join(temp.path, 'recording') },
    stdio: 'ignore',
  });
  await waitUntilReady(`${motoUrl}/moto-api/`);
});

afterAll(() => {
  moto.kill();
  temp.remove();
});

async function waitUntilReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (moto.exitCode !== null) throw new Error(`moto exited with ${moto.exitCode}`);
    const ready = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await sleep(100);
  }
  throw new Error('moto did not start');
}

function stsRequest(durationSeconds: number): GetSessionTokenRequest {
  return {
    keys: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    serialNumber: 'arn:aws:iam::123456789012:mfa/alice',
    tokenCode: '123456',
    durationSeconds,
    target: { region: 'eu-central-1', endpoint: motoUrl, caBundle: undefined },
    env: {},
  };
}

describe('getSessionToken against moto', () => {
  it('returns a session that expires after the duration asked for', async () => {
    const before = Date.now();

    const { credentials, serverDate } = await getSessionToken(stsRequest(7200));

    // moto hands out the same fixed session every time; only the expiration follows the request.
    expect(credentials.accessKeyId).not.toBe('');
    expect(credentials.secretAccessKey).not.toBe('');
    expect(credentials.sessionToken).not.toBe('');
    const expiresInSeconds = (credentials.expiration.getTime() - before) / 1000;
    expect(expiresInSeconds).toBeGreaterThan(7200 - 60);
    expect(expiresInSeconds).toBeLessThan(7200 + 60);
    expect(serverDate).toBeInstanceOf(Date);
  });

  it('assumes a role with the session, and the role session is who GetCallerIdentity names', async () => {
    const { credentials: mfaSession } = await getSessionToken(stsRequest(3600));
    const target = stsRequest(3600).target;

    const { credentials: role } = await assumeRole({
      credentials: mfaSession,
      target,
      env: {},
      roleArn: 'arn:aws:iam::210987654321:role/admin',
      roleSessionName: 'alice',
      durationSeconds: 900,
    });

    expect(role.accessKeyId).toMatch(/^ASIA/);
    expect(role.accessKeyId).not.toBe(mfaSession.accessKeyId);
    expect((role.expiration.getTime() - Date.now()) / 1000).toBeLessThan(900 + 60);
    const identity = await getCallerIdentity({ credentials: role, target, env: {} });
    expect(identity.arn).toBe('arn:aws:sts::210987654321:assumed-role/admin/alice');
  });

  it('reports a key that moto does not know', async () => {
    await fetch(`${motoUrl}/moto-api/reset-auth`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '0' });

    const error = await getSessionToken(stsRequest(900)).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(AwsMfaError);
    expect((error as AwsMfaError).toLine()).toBe(
      'aws-mfa: GetSessionToken failed: AWS does not know the access key id (deleted, deactivated or mistyped) (check the long-term keys with `aws-mfa list`; in an opt-in region, check that the account enabled it)',
    );
  });
});
