import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ListMfaDevicesRequest, listMfaDevices } from '../../src/aws/iam.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { SESSION } from './fake-aws.js';
import { FakeIam, iamErrorReply, listMfaDevicesReply } from './fake-iam.js';

const KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const ALICE_VIRTUAL = { userName: 'alice', serialNumber: 'arn:aws:iam::123456789012:mfa/alice', enableDate: '2026-03-04T05:06:07Z' };
const ALICE_HARDWARE = { userName: 'alice', serialNumber: 'GAHT12345678', enableDate: '2025-01-02T03:04:05Z' };
const ALICE_KEY = {
  userName: 'alice',
  serialNumber: 'arn:aws:iam::123456789012:u2f/user/alice/yubikey-EXAMPLE',
  enableDate: '2026-01-01T00:00:00Z',
};

let iam: FakeIam;

beforeAll(async () => {
  iam = await FakeIam.start();
});
afterAll(() => iam.close());
afterEach(() => {
  iam.requests.length = 0;
  iam.respond = () => listMfaDevicesReply([]);
});

function iamRequest(overrides: Partial<ListMfaDevicesRequest> = {}): ListMfaDevicesRequest {
  return { credentials: KEYS, target: { region: 'eu-west-1', endpoint: iam.url, caBundle: undefined }, env: {}, ...overrides };
}

async function failureOf(promise: Promise<unknown>): Promise<AwsMfaError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AwsMfaError)) throw new Error(`expected an AwsMfaError, got ${String(error)}`);
  return error;
}

function expectNoSecret(text: string): void {
  expect(text).not.toMatch(/A[KS]IA[A-Z0-9]{12}/);
  expect(text).not.toContain(KEYS.secretAccessKey);
  expect(text).not.toContain(SESSION.secretAccessKey);
  expect(text).not.toContain(SESSION.sessionToken);
}

describe('listMfaDevices against a fake IAM', () => {
  it('lists the caller’s devices when no user name is given, signed with SigV4 for IAM', async () => {
    iam.respond = () => listMfaDevicesReply([ALICE_VIRTUAL, ALICE_HARDWARE]);

    const devices = await listMfaDevices(iamRequest());

    expect(devices).toEqual([
      { serialNumber: ALICE_VIRTUAL.serialNumber, enableDate: new Date(ALICE_VIRTUAL.enableDate) },
      { serialNumber: ALICE_HARDWARE.serialNumber, enableDate: new Date(ALICE_HARDWARE.enableDate) },
    ]);
    expect(iam.requests).toHaveLength(1);
    expect(Object.fromEntries(iam.requests[0]?.params ?? [])).toEqual({ Action: 'ListMFADevices', Version: '2010-05-08' });
    expect(iam.requests[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/iam\/aws4_request, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/,
    );
    expect(iam.requests[0]?.headers['x-amz-security-token']).toBeUndefined();
  });

  it('asks for the devices of the user named', async () => {
    await listMfaDevices(iamRequest({ userName: 'bob' }));

    expect(iam.requests[0]?.params.get('UserName')).toBe('bob');
  });

  it('signs with a session’s token when given session credentials', async () => {
    const session = { ...SESSION, expiration: new Date(SESSION.expiration) };

    await listMfaDevices(iamRequest({ credentials: session }));

    expect(iam.requests[0]?.headers['x-amz-security-token']).toBe(SESSION.sessionToken);
    expect(iam.requests[0]?.headers.authorization).toContain(`Credential=${SESSION.accessKeyId}/`);
  });

  it('follows Marker while IsTruncated is true, and returns the devices of every page in order', async () => {
    const pages: Record<string, ReturnType<typeof listMfaDevicesReply>> = {
      '': listMfaDevicesReply([ALICE_VIRTUAL], 'page-2'),
      'page-2': listMfaDevicesReply([], 'page-3'),
      'page-3': listMfaDevicesReply([ALICE_HARDWARE, ALICE_KEY]),
    };
    iam.respond = (request) => pages[request.params.get('Marker') ?? ''] ?? iamErrorReply(400, 'InvalidInput', 'Invalid Marker.');

    const devices = await listMfaDevices(iamRequest({ userName: 'alice' }));

    expect(devices.map((device) => device.serialNumber)).toEqual([
      ALICE_VIRTUAL.serialNumber,
      ALICE_HARDWARE.serialNumber,
      ALICE_KEY.serialNumber,
    ]);
    expect(iam.requests.map((request) => request.params.get('Marker'))).toEqual([null, 'page-2', 'page-3']);
    expect(iam.requests.map((request) => request.params.get('UserName'))).toEqual(['alice', 'alice', 'alice']);
  });

  it('writes debug lines that name the operation and the URL, without secrets', async () => {
    const lines: string[] = [];

    await listMfaDevices(iamRequest({ debug: (line) => lines.push(line) }));

    expect(lines).toEqual([
      `iam: ListMFADevices in eu-west-1 at ${iam.url}`,
      `iam: ListMFADevices: POST ${iam.url}`,
      expect.stringMatching(/^iam: ListMFADevices: HTTP 200, Date: /),
    ]);
    expectNoSecret(lines.join('\n'));
  });

  it('says to configure the serial when a policy denies listing devices to long-term keys', async () => {
    iam.respond = () =>
      iamErrorReply(
        403,
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListMFADevices on resource: user alice with an explicit deny in an identity-based policy',
      );

    const error = await failureOf(listMfaDevices(iamRequest()));

    expect(error.toLine()).toBe(
      'aws-mfa: ListMFADevices failed: access denied: User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListMFADevices on resource: user alice with an explicit deny in an identity-based policy (an MFA-enforcing policy denies this to long-term keys: configure mfa_serial, or pass --mfa-serial)',
    );
    expect(error).toMatchObject({ kind: 'access-denied', code: 'AccessDenied', exitCode: 1 });
    expect(iam.requests).toHaveLength(1);
  });

  it('retries Throttling three times in all, then reports it', async () => {
    iam.respond = () => iamErrorReply(400, 'Throttling', 'Rate exceeded');

    const error = await failureOf(listMfaDevices(iamRequest()));

    expect(iam.requests).toHaveLength(3);
    expect(error.toLine()).toBe(
      'aws-mfa: ListMFADevices failed: AWS is throttling requests (Throttling), still after 3 attempts (wait a minute and try again)',
    );
  });

  it('keeps the session out of an error that echoes it', async () => {
    iam.respond = () =>
      iamErrorReply(400, 'InvalidInput', `The security token ${SESSION.sessionToken} is not valid for ${SESSION.accessKeyId}.`);

    const error = await failureOf(listMfaDevices(iamRequest({ credentials: { ...SESSION, expiration: new Date(SESSION.expiration) } })));

    expect(error.toLine()).toBe('aws-mfa: ListMFADevices failed: InvalidInput: The security token … is not valid for ….');
    expectNoSecret(error.toLine());
    expectNoSecret(String(error.message));
  });
});
