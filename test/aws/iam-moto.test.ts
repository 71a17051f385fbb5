import { beforeEach, describe, expect, it } from 'vitest';
import type { AwsClientRequest } from '../../src/aws/client-options.js';
import { listMfaDevices } from '../../src/aws/iam.js';
import { getCallerIdentity } from '../../src/aws/sts.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { type IamUserWithKey, useMoto, xmlValue } from '../e2e/harness/moto.js';

const moto = useMoto();

beforeEach(() => moto.reset());

function requestAs(user: IamUserWithKey): AwsClientRequest {
  return {
    credentials: { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey },
    target: { region: 'eu-west-1', endpoint: moto.url, caBundle: undefined },
    env: {},
  };
}

/**
 * IAM lists the signing user's devices when UserName is absent (test/aws/iam.test.ts checks that it
 * is left out); moto 5.2 answers NoSuchEntity for "None" instead, so these requests name the user.
 */
function listAs(user: IamUserWithKey, userName = user.userName) {
  return listMfaDevices({ ...requestAs(user), userName });
}

/** A virtual MFA device, enabled for the user (moto does not check the codes). */
async function enableVirtualDevice(userName: string, deviceName: string): Promise<string> {
  const created = await moto.iam('CreateVirtualMFADevice', { VirtualMFADeviceName: deviceName });
  const serial = xmlValue(created, 'SerialNumber');
  await moto.iam('EnableMFADevice', {
    UserName: userName,
    SerialNumber: serial,
    AuthenticationCode1: '123456',
    AuthenticationCode2: '654321',
  });
  return serial;
}

describe('listMfaDevices against moto', () => {
  it('finds the user’s enabled virtual device, and no one else’s', async () => {
    const alice = await moto.createUserWithKey('alice');
    await moto.createUserWithKey('bob');
    const aliceSerial = await enableVirtualDevice('alice', 'alice-phone');
    await enableVirtualDevice('bob', 'bob-phone');

    const devices = await listAs(alice);

    expect(aliceSerial).toBe('arn:aws:iam::123456789012:mfa/alice-phone');
    expect(devices).toEqual([{ serialNumber: aliceSerial, enableDate: expect.any(Date) }]);
    expect(await moto.countCalls('ListMFADevices')).toBe(1);
  });

  it('finds nothing for a user without a device', async () => {
    const carol = await moto.createUserWithKey('carol');

    expect(await listAs(carol)).toEqual([]);
  });

  it('is signed well enough for moto when it checks keys', async () => {
    const alice = await moto.createUserWithKey('alice');
    const serial = await enableVirtualDevice('alice', 'alice-phone');
    await moto.enableAuth(0);

    expect((await listAs(alice)).map((device) => device.serialNumber)).toEqual([serial]);
  });

  it('reports a user that IAM does not know', async () => {
    const alice = await moto.createUserWithKey('alice');

    const error = await listAs(alice, 'nobody').then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(AwsMfaError);
    expect((error as AwsMfaError).toLine()).toBe(
      'aws-mfa: ListMFADevices failed: NoSuchEntity: The user with name nobody cannot be found.',
    );
  });
});

describe('getCallerIdentity against moto', () => {
  it('names the user whose keys sign the request', async () => {
    const alice = await moto.createUserWithKey('alice');
    const userId = xmlValue(await moto.iam('GetUser', { UserName: 'alice' }), 'UserId');

    const identity = await getCallerIdentity(requestAs(alice));

    expect(identity).toEqual({ account: '123456789012', arn: alice.arn, userId });
  });

  it('reports a key that moto does not know', async () => {
    await moto.enableAuth(0);

    const error = await getCallerIdentity(
      requestAs({ userName: 'nobody', arn: '', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' }),
    ).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toMatchObject({ kind: 'invalid-key', exitCode: 1 });
  });
});
