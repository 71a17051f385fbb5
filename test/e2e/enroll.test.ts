/**
 * enroll against moto, with a private keychain: the device exists and is enabled in moto, its seed
 * is in the keychain, mfa_serial in the config, and a following login makes its codes from the seed.
 * moto does not check MFA codes, so the codes are checked here with oathtool.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearKeychain, filesContaining, keychainItem } from './harness/keychain-tools.js';
import { useKeyring } from './harness/keyring.js';
import { type IamUserWithKey, useMoto } from './harness/moto.js';
import type { RunResult } from './harness/process.js';
import { type CommandOptions, type Sandbox, useSandbox } from './harness/sandbox.js';
import { describeRun, motoAccount, motoSession, sectionOf, sessionTokenCalls, timed } from './harness/session-fixtures.js';
import { stepOfCode } from './harness/totp-tools.js';

const moto = useMoto();
const keyring = useKeyring();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

/** Enabling waits for a second time step, and a login after it for a third. */
const enrollTimeoutMs = 60_000;

beforeEach(async () => {
  await moto.reset();
  await clearKeychain(keyring());
});

function cli(box: Sandbox, args: readonly string[], options: CommandOptions = {}): Promise<RunResult> {
  return box.runCli(args, { timeoutMs: enrollTimeoutMs, ...options, env: { ...keyring().env, ...options.env } });
}

async function addKeys(box: Sandbox, profile: string, user: IamUserWithKey, ...flags: string[]): Promise<void> {
  const env = { AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey };
  const result = await cli(box, ['add', profile, '--env', ...flags], { env });
  expect(result.code, describeRun(result)).toBe(0);
}

describe('enroll of the calling user', () => {
  it('creates and enables the device, stores the seed and mfa_serial; login then signs with a code of a later step', {
    timeout: 150_000,
  }, async () => {
    const box = sandbox();
    const alice = await moto.createUserWithKey('alice');
    await addKeys(box, 'prod', alice);
    box.writeConfig('# mine\n[profile prod]\nregion = us-east-1\n');
    await moto.clearRecording();
    const serial = `arn:aws:iam::${motoAccount}:mfa/alice`;

    const [enroll, enrollWindow] = await timed(() => cli(box, ['enroll', '-p', 'prod', '--no-qr']));

    expect(enroll.code, describeRun(enroll)).toBe(0);
    expect(enroll.stdout).toBe('');
    expect(enroll.stderr).toContain(`enabled the MFA device ${serial} for alice; its seed is stored with prod in the keychain`);
    const requests = await moto.recordedRequests();
    expect(await moto.iam('ListMFADevices', { UserName: 'alice' })).toContain(`<SerialNumber>${serial}</SerialNumber>`);
    expect(await moto.iam('ListVirtualMFADevices', { AssignmentStatus: 'Assigned' })).toContain(serial);

    const item = await keychainItem(keyring(), 'prod');
    expect(item).toEqual({
      version: 1,
      accessKeyId: alice.accessKeyId,
      secretAccessKey: alice.secretAccessKey,
      mfaSerial: serial,
      totpSeed: expect.stringMatching(/^[A-Z2-7]{64}$/),
    });
    const seed = String(item?.totpSeed);
    expect(readFileSync(box.configPath, 'utf8')).toBe(`# mine\n[profile prod]\nregion = us-east-1\nmfa_serial = ${serial}\n`);

    // Everything with the long-term keys (alice has no MFA device yet), and two consecutive steps.
    expect(requests.map((request) => [request.action, request.accessKeyId])).toEqual([
      ['GetCallerIdentity', alice.accessKeyId],
      ['CreateVirtualMFADevice', alice.accessKeyId],
      ['EnableMFADevice', alice.accessKeyId],
    ]);
    const enable = requests[2]?.body;
    expect(enable?.get('UserName')).toBe('alice');
    const firstStep = stepOfCode(seed, enable?.get('AuthenticationCode1'), enrollWindow);
    const secondStep = stepOfCode(seed, enable?.get('AuthenticationCode2'), enrollWindow);
    expect(firstStep, 'AuthenticationCode1 is no code of the seed').toBeDefined();
    expect(secondStep).toBe((firstStep ?? 0) + 1);
    expect(filesContaining(box.home, [seed])).toEqual([]);
    expect(enroll.stderr).not.toContain(seed);

    await moto.clearRecording();
    const [login, loginWindow] = await timed(() => cli(box, ['login', '-p', 'prod']));

    expect(login.code, describeRun(login)).toBe(0);
    const [call] = await sessionTokenCalls(moto);
    expect(call?.accessKeyId).toBe(alice.accessKeyId);
    expect(call?.body.get('SerialNumber')).toBe(serial);
    const loginStep = stepOfCode(seed, call?.body.get('TokenCode'), loginWindow);
    expect(loginStep, 'the TokenCode is no code of the stored seed').toBeDefined();
    expect(loginStep).toBeGreaterThan(secondStep ?? Number.POSITIVE_INFINITY);
    expect(sectionOf(readFileSync(box.credentialsPath, 'utf8'), 'prod')?.aws_access_key_id).toBe(motoSession.accessKeyId);
  });
});

describe('enroll of another user by an admin', () => {
  it('uses the admin’s MFA session and shows the seed and QR code once, on the terminal only', { timeout: 120_000 }, async () => {
    const box = sandbox();
    const admin = await moto.createUserWithKey('admin');
    await moto.iam('CreateUser', { UserName: 'bob' });
    const adminSerial = `arn:aws:iam::${motoAccount}:mfa/admin`;
    await addKeys(box, 'prod', admin, '--mfa-serial', adminSerial);
    box.writeConfig('[profile prod]\nregion = us-east-1\n');
    const configBefore = readFileSync(box.configPath, 'utf8');
    const itemBefore = await keychainItem(keyring(), 'prod');
    await moto.clearRecording();
    const serial = `arn:aws:iam::${motoAccount}:mfa/bob`;

    const result = await box.runInPty(
      ['aws-mfa', 'enroll', '-p', 'prod', '--user', 'bob', '--no-store', '--code', '123456'],
      (terminal) => terminal.waitForText('enabled the MFA device', enrollTimeoutMs),
      { env: keyring().env },
    );

    expect(result.code, result.transcript).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.transcript).toContain("The TOTP seed of bob's MFA device, shown this once and stored nowhere");
    expect(result.transcript).toMatch(/▄/);
    const seed = /\n {4}([A-Z2-7]{64})\n/.exec(result.transcript)?.[1];
    expect(seed, result.transcript).toBeDefined();
    expect(result.transcript).toContain(`enabled the MFA device ${serial} for bob; give them its seed and serial`);

    const requests = await moto.recordedRequests();
    expect(await moto.iam('ListMFADevices', { UserName: 'bob' })).toContain(`<SerialNumber>${serial}</SerialNumber>`);
    expect(requests.map((request) => [request.action, request.accessKeyId])).toEqual([
      ['GetCallerIdentity', admin.accessKeyId],
      ['GetSessionToken', admin.accessKeyId],
      ['GetUser', motoSession.accessKeyId],
      ['CreateVirtualMFADevice', motoSession.accessKeyId],
      ['EnableMFADevice', motoSession.accessKeyId],
    ]);
    expect(requests[4]?.body.get('UserName')).toBe('bob');
    // The admin's profile still names the admin's own device.
    expect(readFileSync(box.configPath, 'utf8')).toBe(configBefore);
    expect(await keychainItem(keyring(), 'prod')).toEqual(itemBefore);
    expect(filesContaining(box.home, [seed ?? 'no seed'])).toEqual([]);
  });
});
