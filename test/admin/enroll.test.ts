import fs from 'node:fs/promises';
import path from 'node:path';
import QRCode from 'qrcode';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EnrollOptions } from '../../src/admin/enroll-plan.js';
import { enroll } from '../../src/commands/enroll.js';
import { timeStepAt, totpCode } from '../../src/mfa/totp.js';
import { iamErrorReply } from '../aws/fake-iam.js';
import { createFakeTerminal } from '../fakes/fake-io.js';
import { type AdminFixture, ALICE_KEYS, adminFixture, cacheSession, rejectionOf, SESSION } from './admin-fixtures.js';
import { ACCOUNT, DEVICE_SEED, FakeAdminAws } from './fake-admin-aws.js';

const ALICE_DEVICE = `arn:aws:iam::${ACCOUNT}:mfa/alice`;
const OLD_DEVICE = `arn:aws:iam::${ACCOUNT}:mfa/alice-old-phone`;
const CONFIG = '# my config\n[default]\nregion = eu-west-1\n\n[profile prod]\nregion = eu-west-1\n';
const ALICE_ITEM = JSON.stringify({ version: 1, ...ALICE_KEYS });

let fake: FakeAdminAws;
let fixture: AdminFixture;
let terminal: ReturnType<typeof createFakeTerminal>;

beforeAll(async () => {
  fake = await FakeAdminAws.start();
});
afterAll(() => fake.close());

beforeEach(async () => {
  fake.reset();
  fake.addUser('alice', ALICE_KEYS);
  fake.addUser('Bob');
  terminal = createFakeTerminal();
  fixture = await adminFixture(fake, { terminal: () => terminal });
  await fs.writeFile(fixture.configPath, CONFIG);
  fixture.keychain.items.set('prod', ALICE_ITEM);
});
afterEach(() => fs.rm(fixture.home, { recursive: true, force: true }));

function options(overrides: Partial<EnrollOptions> = {}): EnrollOptions {
  return { profile: 'prod', qr: true, store: true, ...overrides };
}

function storedItem(): Record<string, unknown> {
  return JSON.parse(fixture.keychain.items.get('prod') ?? 'null') as Record<string, unknown>;
}

function everythingShown(): string {
  return [...fixture.io.stdout, ...fixture.io.stderr, ...fixture.io.debugLines, terminal.written()].join('\n');
}

describe('enroll of the calling user, who has no MFA device yet', () => {
  it('enables the device with codes of two consecutive steps, stores seed and serial, sets mfa_serial, drops the cached session', async () => {
    await cacheSession(fixture, 'prod');
    const firstStep = timeStepAt(fixture.io.now());

    await enroll(options(), fixture.deps);

    expect(fake.actions()).toEqual(['GetCallerIdentity', 'CreateVirtualMFADevice', 'EnableMFADevice']);
    expect(fake.requests.every((request) => request.accessKeyId === ALICE_KEYS.accessKeyId)).toBe(true);
    expect(fixture.mfaSessions).toBe(0);
    expect(fake.requests[1]?.params.get('VirtualMFADeviceName')).toBe('alice');
    const enable = fake.requests[2]?.params;
    expect(enable?.get('UserName')).toBe('alice');
    expect(enable?.get('SerialNumber')).toBe(ALICE_DEVICE);
    expect(enable?.get('AuthenticationCode1')).toBe(totpCode(DEVICE_SEED, firstStep));
    expect(enable?.get('AuthenticationCode2')).toBe(totpCode(DEVICE_SEED, firstStep + 1));
    expect(fixture.sleeps).toEqual([30_000]);
    expect(fake.devices.get(ALICE_DEVICE)).toEqual({ enabledFor: 'alice' });

    expect(storedItem()).toEqual({ version: 1, ...ALICE_KEYS, mfaSerial: ALICE_DEVICE, totpSeed: DEVICE_SEED });
    expect(await fs.readFile(fixture.configPath, 'utf8')).toBe(`${CONFIG}mfa_serial = ${ALICE_DEVICE}\n`);
    expect(await fixture.cache.read('prod')).toBeUndefined();
    expect(fixture.io.stderr.join('')).toContain(
      `enabled the MFA device ${ALICE_DEVICE} for alice; its seed is stored with prod in the keychain`,
    );
  });

  it('changes nothing but the device while it waits for the second step: an interrupt there leaves no stale keychain item', async () => {
    const duringWait: Array<string | undefined> = [];
    const sleep = async (ms: number) => {
      duringWait.push(fixture.keychain.items.get('prod'));
      await fixture.deps.sleep(ms);
    };

    await enroll(options(), { ...fixture.deps, sleep });

    expect(duringWait).toEqual([ALICE_ITEM]);
    expect(storedItem()).toMatchObject({ totpSeed: DEVICE_SEED });
  });

  it('draws the QR code of the otpauth URI on the terminal only, never on stdout or stderr', async () => {
    await enroll(options(), fixture.deps);

    const uri = `otpauth://totp/AWS:alice@${ACCOUNT}?secret=${DEVICE_SEED}&issuer=AWS&algorithm=SHA1&digits=6&period=30`;
    expect(terminal.written()).toContain(await QRCode.toString(uri, { type: 'terminal', small: true }));
    expect(fixture.io.stdout).toEqual([]);
    expect([...fixture.io.stderr, ...fixture.io.debugLines].join('')).not.toContain(DEVICE_SEED);
    expect(fixture.io.stderr.join('')).not.toContain('▄');
  });

  it('draws no QR code with --no-qr, and says so when there is no terminal', async () => {
    await enroll(options({ qr: false }), fixture.deps);
    expect(terminal.written()).not.toContain('▄');

    const withoutTerminal = await adminFixture(fake);
    await fs.writeFile(withoutTerminal.configPath, CONFIG);
    withoutTerminal.keychain.items.set('prod', ALICE_ITEM);
    await enroll(options({ deviceName: 'alice-laptop' }), withoutTerminal.deps);
    expect(withoutTerminal.io.stderr.join('')).toContain('no terminal to draw the QR code on; `aws-mfa code prod` prints the current code');
    expect(withoutTerminal.io.stdout).toEqual([]);
    await fs.rm(withoutTerminal.home, { recursive: true });
  });

  it('a refused EnableMFADevice deletes the device again and restores the keychain item; the config is unchanged', async () => {
    fake.override('EnableMFADevice', () => iamErrorReply(403, 'InvalidAuthenticationCode', 'Authentication code for device is not valid.'));

    const error = await rejectionOf(enroll(options(), fixture.deps));

    expect(error.toLine()).toBe(
      'aws-mfa: EnableMFADevice failed: InvalidAuthenticationCode: Authentication code for device is not valid.; ' +
        `the MFA device ${ALICE_DEVICE} was deleted again (the codes came from the new device's seed: check this computer's clock)`,
    );
    expect(error.exitCode).toBe(1);
    expect(fake.actions()).toEqual(['GetCallerIdentity', 'CreateVirtualMFADevice', 'EnableMFADevice', 'DeleteVirtualMFADevice']);
    expect(fake.requests[3]?.params.get('SerialNumber')).toBe(ALICE_DEVICE);
    expect(fake.devices.size).toBe(0);
    expect(fixture.keychain.items.get('prod')).toBe(ALICE_ITEM);
    expect(await fs.readFile(fixture.configPath, 'utf8')).toBe(CONFIG);
    expect(everythingShown()).not.toContain(DEVICE_SEED);
  });

  it('an AccessDenied to the long-term keys points at the self-service policy', async () => {
    fake.override('EnableMFADevice', () =>
      iamErrorReply(
        403,
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/staff/alice is not authorized to perform: iam:EnableMFADevice',
      ),
    );

    const error = await rejectionOf(enroll(options(), fixture.deps));

    expect(error.toLine()).toMatch(
      /^aws-mfa: EnableMFADevice failed: access denied: User: .* iam:EnableMFADevice; the MFA device \S+ was deleted again \(/,
    );
    expect(error.hint).toContain('self-service policy (`aws-mfa policy --self-service`)');
    expect(fake.devices.size).toBe(0);
  });

  it('says what remains and how to delete it when deleting the device fails too', async () => {
    fake.override('EnableMFADevice', () => iamErrorReply(403, 'InvalidAuthenticationCode', 'Authentication code for device is not valid.'));
    fake.override('DeleteVirtualMFADevice', () =>
      iamErrorReply(403, 'AccessDenied', 'not authorized to perform: iam:DeleteVirtualMFADevice'),
    );

    const error = await rejectionOf(enroll(options(), fixture.deps));

    expect(error.why).toBe(
      'InvalidAuthenticationCode: Authentication code for device is not valid.; ' +
        `deleting the MFA device ${ALICE_DEVICE} failed too (DeleteVirtualMFADevice failed: access denied: not authorized to perform: iam:DeleteVirtualMFADevice): ` +
        `delete it with \`aws iam delete-virtual-mfa-device --serial-number ${ALICE_DEVICE}\``,
    );
    expect(fake.devices.has(ALICE_DEVICE)).toBe(true);
    expect(fixture.keychain.items.get('prod')).toBe(ALICE_ITEM);
  });

  it('says to deactivate first when the device was enabled after all (an answer lost on the way)', async () => {
    fake.override('EnableMFADevice', () => {
      fake.devices.set(ALICE_DEVICE, { enabledFor: 'alice' });
      return iamErrorReply(500, 'ServiceFailure', 'Request processing has failed due to an unknown error.', 'Receiver');
    });

    const error = await rejectionOf(enroll(options(), fixture.deps));

    expect(error.why).toContain(
      `delete it with \`aws iam deactivate-mfa-device --user-name alice --serial-number ${ALICE_DEVICE}\`, then \`aws iam delete-virtual-mfa-device --serial-number ${ALICE_DEVICE}\``,
    );
  });

  it('keeps the device and tells how to finish when mfa_serial cannot be written after enabling', async () => {
    await fs.rm(fixture.configPath);
    await fs.symlink(path.join(fixture.home, 'missing-folder', 'config'), fixture.configPath);

    const error = await rejectionOf(enroll(options(), fixture.deps));

    expect(error.what).toBe('cannot record the MFA device in [profile prod]');
    expect(error.why).toContain(`; the MFA device ${ALICE_DEVICE} is enabled for alice and its seed is stored in the keychain`);
    expect(error.hint).toBe(`add \`mfa_serial = ${ALICE_DEVICE}\` to [profile prod] of ${fixture.configPath}`);
    expect(fake.devices.get(ALICE_DEVICE)).toEqual({ enabledFor: 'alice' });
    expect(storedItem()).toMatchObject({ mfaSerial: ALICE_DEVICE, totpSeed: DEVICE_SEED });
  });

  it('says how to pick another name when a device of that name exists', async () => {
    fake.devices.set(ALICE_DEVICE, { enabledFor: undefined });

    const error = await rejectionOf(enroll(options(), fixture.deps));

    expect(error.toLine()).toMatch(/^aws-mfa: CreateVirtualMFADevice failed: EntityAlreadyExists: .*\(pass another --device-name; /);
    expect(fake.actions()).toEqual(['GetCallerIdentity', 'CreateVirtualMFADevice']);
    expect(fixture.keychain.items.get('prod')).toBe(ALICE_ITEM);
  });
});

describe('which credentials enroll uses', () => {
  it('the MFA session when a serial is configured, and the new device replaces the old one in the item and the config', async () => {
    await fs.writeFile(fixture.configPath, `${CONFIG}mfa_serial = ${OLD_DEVICE}\n`);
    fixture.keychain.items.set(
      'prod',
      JSON.stringify({ version: 1, ...ALICE_KEYS, mfaSerial: OLD_DEVICE, totpSeed: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' }),
    );

    await enroll(options({ deviceName: 'alice-laptop' }), fixture.deps);

    expect(fixture.mfaSessions).toBe(1);
    expect(fake.requests.map((request) => [request.action, request.accessKeyId])).toEqual([
      ['GetCallerIdentity', ALICE_KEYS.accessKeyId],
      ['CreateVirtualMFADevice', SESSION.accessKeyId],
      ['EnableMFADevice', SESSION.accessKeyId],
    ]);
    const laptop = `arn:aws:iam::${ACCOUNT}:mfa/alice-laptop`;
    expect(storedItem()).toEqual({ version: 1, ...ALICE_KEYS, mfaSerial: laptop, totpSeed: DEVICE_SEED });
    expect(await fs.readFile(fixture.configPath, 'utf8')).toBe(`${CONFIG}mfa_serial = ${laptop}\n`);
  });

  it('with --no-store for oneself: the item names the new device and keeps no seed (the old one would not fit)', async () => {
    fixture.keychain.items.set(
      'prod',
      JSON.stringify({ version: 1, ...ALICE_KEYS, mfaSerial: OLD_DEVICE, totpSeed: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' }),
    );

    await enroll(options({ store: false, deviceName: 'alice-phone' }), fixture.deps);

    expect(storedItem()).toEqual({ version: 1, ...ALICE_KEYS, mfaSerial: `arn:aws:iam::${ACCOUNT}:mfa/alice-phone` });
    expect(terminal.written()).toContain(DEVICE_SEED);
  });
});

describe('enroll of another user (--user), by an admin', () => {
  it('is refused without --no-store, before anything is created', async () => {
    const error = await rejectionOf(enroll(options({ user: 'bob' }), fixture.deps));

    expect(error.toLine()).toBe(
      "aws-mfa: cannot store the seed of bob's device: profile prod holds the keys of another user (pass --no-store to enrol bob: the seed is then shown once)",
    );
    expect(error.exitCode).toBe(2);
    expect(fake.actions()).toEqual(['GetCallerIdentity']);
    expect(fixture.mfaSessions).toBe(0);
  });

  it('uses the MFA session and IAM’s spelling of the name, shows the seed once on the terminal, and leaves the profile alone', async () => {
    await cacheSession(fixture, 'prod');

    await enroll(options({ user: 'bob', store: false }), fixture.deps);

    expect(fixture.mfaSessions).toBe(1);
    expect(fake.requests.map((request) => [request.action, request.accessKeyId])).toEqual([
      ['GetCallerIdentity', ALICE_KEYS.accessKeyId],
      ['GetUser', SESSION.accessKeyId],
      ['CreateVirtualMFADevice', SESSION.accessKeyId],
      ['EnableMFADevice', SESSION.accessKeyId],
    ]);
    expect(fake.requests[2]?.params.get('VirtualMFADeviceName')).toBe('Bob');
    expect(fake.requests[3]?.params.get('UserName')).toBe('Bob');
    const shown = terminal.written();
    expect(shown).toContain(`shown this once and stored nowhere`);
    expect(shown).toContain(`\n    ${DEVICE_SEED}\n`);
    expect(shown).toContain('▄');
    expect([...fixture.io.stdout, ...fixture.io.stderr, ...fixture.io.debugLines].join('')).not.toContain(DEVICE_SEED);
    expect(fixture.keychain.items.get('prod')).toBe(ALICE_ITEM);
    expect(await fs.readFile(fixture.configPath, 'utf8')).toBe(CONFIG);
    expect(await fixture.cache.read('prod')).toBeDefined();
    expect(fixture.io.stderr.join('')).toContain(
      `enabled the MFA device arn:aws:iam::${ACCOUNT}:mfa/Bob for Bob; give them its seed and serial`,
    );
  });

  it('is refused without a terminal, before anything is created: the seed never goes to stdout', async () => {
    const withoutTerminal = await adminFixture(fake);
    await fs.writeFile(withoutTerminal.configPath, CONFIG);
    withoutTerminal.keychain.items.set('prod', ALICE_ITEM);

    const error = await rejectionOf(enroll(options({ user: 'bob', store: false }), withoutTerminal.deps));

    expect(error.toLine()).toBe(
      'aws-mfa: cannot show the TOTP seed: no terminal to show it on ' +
        '(run enroll --no-store in a terminal: the seed never goes to stdout, stderr or a file)',
    );
    expect(error.exitCode).toBe(1);
    expect(fake.actions()).toEqual(['GetCallerIdentity']);
    expect(withoutTerminal.mfaSessions).toBe(0);
    await fs.rm(withoutTerminal.home, { recursive: true });
  });

  it('shows the seed before enabling the device: a refused EnableMFADevice deletes it again', async () => {
    fake.override('EnableMFADevice', () => iamErrorReply(403, 'InvalidAuthenticationCode', 'Authentication code for device is not valid.'));

    const error = await rejectionOf(enroll(options({ user: 'bob', store: false }), fixture.deps));

    expect(terminal.written()).toContain(DEVICE_SEED);
    expect(error.why).toContain(`the MFA device arn:aws:iam::${ACCOUNT}:mfa/Bob was deleted again`);
    expect(error.toLine()).not.toContain(DEVICE_SEED);
    expect(fake.devices.size).toBe(0);
  });

  it('an unknown user fails before a device is created', async () => {
    const error = await rejectionOf(enroll(options({ user: 'carol', store: false }), fixture.deps));

    expect(error.toLine()).toBe('aws-mfa: GetUser failed: NoSuchEntity: The user with name carol cannot be found.');
    expect(fake.actions()).toEqual(['GetCallerIdentity', 'GetUser']);
  });
});

describe('refusals before anything is created', () => {
  it('the root user', async () => {
    fake.rootKeyIds.add('AKIAROOTKEY000000001');
    fixture.keychain.items.set(
      'prod',
      JSON.stringify({ version: 1, accessKeyId: 'AKIAROOTKEY000000001', secretAccessKey: 'rootSecret/wJalrXUtnFEMIK7' }),
    );

    const error = await rejectionOf(enroll(options(), fixture.deps));

    expect(error.toLine()).toBe(
      "aws-mfa: cannot enrol the root user of profile prod: the root user's MFA is managed in the AWS console " +
        '(sign in as root and open Security credentials, or pass --user NAME to enrol an IAM user)',
    );
    expect(error.exitCode).toBe(2);
    expect(fake.actions()).toEqual(['GetCallerIdentity']);
  });

  it('a role profile, naming the profile that holds the keys of its chain (exit 2)', async () => {
    await fs.appendFile(fixture.configPath, '[profile admin]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = prod\n');
    const configBefore = await fs.readFile(fixture.configPath);

    const error = await rejectionOf(enroll(options({ profile: 'admin' }), fixture.deps));

    expect(error.toLine()).toBe(
      'aws-mfa: cannot enrol an MFA device with profile admin: it is a role profile (source_profile chain admin -> prod): ' +
        "the long-term keys it is assumed from are prod's (run `aws-mfa enroll -p prod`)",
    );
    expect(error.exitCode).toBe(2);
    expect(fake.requests).toEqual([]);
    expect(fixture.keychain.items.get('prod')).toBe(ALICE_ITEM);
    expect(await fs.readFile(fixture.configPath)).toEqual(configBefore);
  });

  it('storing the seed when the keys are in [NAME-long-term], not in the keychain', async () => {
    fixture.keychain.items.clear();
    await fs.writeFile(
      fixture.credentialsPath,
      `[prod-long-term]\naws_access_key_id = ${ALICE_KEYS.accessKeyId}\naws_secret_access_key = ${ALICE_KEYS.secretAccessKey}\n`,
    );

    const error = await rejectionOf(enroll(options(), fixture.deps));

    expect(error.toLine()).toBe(
      'aws-mfa: cannot store the seed with profile prod: its keys are in [prod-long-term], not in the keychain ' +
        '(move them there with `aws-mfa add prod --import`, or pass --no-store)',
    );
    expect(fake.actions()).toEqual(['GetCallerIdentity']);
  });

  it.each([
    [{ user: 'bob smith' }, 'bad --user'],
    [{ deviceName: 'phone/1' }, 'bad --device-name'],
    [{ user: 'x'.repeat(65) }, 'bad --user'],
  ])('a name IAM would refuse: %o', async (overrides, what) => {
    const error = await rejectionOf(enroll(options(overrides), fixture.deps));

    expect(error.what).toBe(what);
    expect(error.exitCode).toBe(2);
    expect(fake.requests).toEqual([]);
  });
});
