import fs from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rotate } from '../../src/commands/rotate.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { ProfileKeychain } from '../../src/store/profile-keychain.js';
import { errorReply } from '../aws/fake-aws.js';
import { iamErrorReply } from '../aws/fake-iam.js';
import { type AdminFixture, ALICE_KEYS, adminFixture, cacheSession, rejectionOf, SESSION } from './admin-fixtures.js';
import { FakeAdminAws } from './fake-admin-aws.js';

const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const ALICE_ITEM = JSON.stringify({ version: 1, ...ALICE_KEYS, mfaSerial: SERIAL, totpSeed: SEED });
const NEW_KEY_ID = 'AKIANEWKEY000000WXYZ';
const NEW_SECRET = `newSecret/${NEW_KEY_ID}/wJalrXUtnFEMIK7MDENG`;
const OTHER_KEY = { accessKeyId: 'AKIAALICEOTHREXAMPLE', secretAccessKey: 'aliceOtherSecret/wJalrXUtnFEMIK7' };

let fake: FakeAdminAws;
let fixture: AdminFixture;

beforeAll(async () => {
  fake = await FakeAdminAws.start();
});
afterAll(() => fake.close());

beforeEach(async () => {
  fake.reset();
  fake.addUser('alice', ALICE_KEYS);
  fixture = await adminFixture(fake);
  await fs.writeFile(fixture.configPath, `[profile prod]\nmfa_serial = ${SERIAL}\n`);
  fixture.keychain.items.set('prod', ALICE_ITEM);
});
afterEach(() => fs.rm(fixture.home, { recursive: true, force: true }));

function aliceKeyIds(): string[] {
  return fake.users.get('alice')?.keys.map((key) => key.accessKeyId) ?? [];
}

function signedBy(): string[][] {
  return fake.requests.map((request) => [request.action, request.accessKeyId]);
}

describe('rotate, keys in the keychain', () => {
  it('creates, verifies and stores the new key (keeping serial and seed), deletes the old one, drops the cached session', async () => {
    await cacheSession(fixture, 'prod');

    await rotate({ profile: 'prod' }, fixture.deps);

    expect(signedBy()).toEqual([
      ['GetCallerIdentity', ALICE_KEYS.accessKeyId],
      ['ListAccessKeys', SESSION.accessKeyId],
      ['CreateAccessKey', SESSION.accessKeyId],
      ['GetCallerIdentity', NEW_KEY_ID],
      ['DeleteAccessKey', SESSION.accessKeyId],
    ]);
    expect(fake.requests.filter((request) => request.params.has('UserName')).map((request) => request.params.get('UserName'))).toEqual([
      'alice',
      'alice',
      'alice',
    ]);
    expect(fake.requests[4]?.params.get('AccessKeyId')).toBe(ALICE_KEYS.accessKeyId);
    expect(aliceKeyIds()).toEqual([NEW_KEY_ID]);
    expect(JSON.parse(fixture.keychain.items.get('prod') ?? '')).toEqual({
      version: 1,
      accessKeyId: NEW_KEY_ID,
      secretAccessKey: NEW_SECRET,
      mfaSerial: SERIAL,
      totpSeed: SEED,
    });
    expect(await fixture.cache.read('prod')).toBeUndefined();
    expect(fixture.mfaSessions).toBe(1);
    const stderr = fixture.io.stderr.join('');
    expect(stderr).toContain(
      'rotated the access key of prod: AKIA…WXYZ works and is stored in the keychain item of prod, AKIA…MPLE is deleted',
    );
    expect(stderr).toContain('sessions issued before stay valid until they expire');
    expect(fixture.io.stdout).toEqual([]);
    expect([...fixture.io.stderr, ...fixture.io.debugLines].join('')).not.toContain(NEW_SECRET);
  });

  it('waits with backoff while IAM does not know the new key yet', async () => {
    fake.newKeysUnknownFor = 2;

    await rotate({ profile: 'prod' }, fixture.deps);

    expect(fixture.sleeps).toEqual([1_000, 2_000]);
    expect(fake.actions().filter((action) => action === 'GetCallerIdentity')).toHaveLength(4);
    expect(aliceKeyIds()).toEqual([NEW_KEY_ID]);
  });
});

describe('rotate, keys in [NAME-long-term]', () => {
  it('rewrites the two values in place: every other byte, CRLF line endings included, stays; the file is 0600', async () => {
    fixture.keychain.items.clear();
    const before = [
      '# my keys\r\n',
      '[default]\r\n',
      'region = eu-west-1\r\n',
      '\r\n',
      '[prod-long-term]\r\n',
      `aws_access_key_id     = ${ALICE_KEYS.accessKeyId}\r\n`,
      '; the secret\r\n',
      `aws_secret_access_key = ${ALICE_KEYS.secretAccessKey}\r\n`,
      `aws_mfa_device = ${SERIAL}\r\n`,
      '\r\n',
      '[after]\r\n',
      'x = 1\r\n',
    ].join('');
    await fs.writeFile(fixture.credentialsPath, before, { mode: 0o644 });

    await rotate({ profile: 'prod' }, fixture.deps);

    const expected = before
      .replace(`= ${ALICE_KEYS.accessKeyId}`, `= ${NEW_KEY_ID}`)
      .replace(`= ${ALICE_KEYS.secretAccessKey}`, `= ${NEW_SECRET}`);
    expect(await fs.readFile(fixture.credentialsPath, 'utf8')).toBe(expected);
    expect((await fs.stat(fixture.credentialsPath)).mode & 0o777).toBe(0o600);
    expect(aliceKeyIds()).toEqual([NEW_KEY_ID]);
    expect(fixture.io.stderr.join('')).toContain(`is stored in [prod-long-term] of ${fixture.credentialsPath}`);
  });
});

describe('rotate refuses before anything changes', () => {
  it('when the user already has two keys, naming the other one', async () => {
    fake.addUser('alice', ALICE_KEYS, OTHER_KEY);

    const error = await rejectionOf(rotate({ profile: 'prod' }, fixture.deps));

    expect(error.toLine()).toBe(
      'aws-mfa: cannot rotate the access key of prod: alice already has 2 access keys, the most IAM allows: ' +
        `besides AKIA…MPLE of prod, ${OTHER_KEY.accessKeyId} (active, created 2025-01-02) ` +
        `(if ${OTHER_KEY.accessKeyId} is not in use, delete it (\`aws iam delete-access-key --user-name alice --access-key-id ${OTHER_KEY.accessKeyId}\`) and rotate again)`,
    );
    expect(fake.actions()).toEqual(['GetCallerIdentity', 'ListAccessKeys']);
    expect(fixture.keychain.items.get('prod')).toBe(ALICE_ITEM);
  });

  it('for root keys, before asking for an MFA session', async () => {
    fake.rootKeyIds.add('AKIAROOTKEY000000001');
    fixture.keychain.items.set(
      'prod',
      JSON.stringify({ version: 1, accessKeyId: 'AKIAROOTKEY000000001', secretAccessKey: 'rootSecret/wJalrXUtnFEMIK7' }),
    );

    const error = await rejectionOf(rotate({ profile: 'prod' }, fixture.deps));

    expect(error.toLine()).toBe(
      'aws-mfa: cannot rotate the access key of prod: it belongs to the root user (root access keys are best deleted, in the console (Security credentials))',
    );
    expect(fixture.mfaSessions).toBe(0);
  });

  it.each([
    ['a role profile', '[profile admin]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = prod\n', 'admin -> prod'],
    [
      'a role chain',
      '[profile admin]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = hub\n' +
        '[profile hub]\nrole_arn = arn:aws:iam::123456789012:role/Hub\nsource_profile = prod\n',
      'admin -> hub -> prod',
    ],
  ])('for %s, naming the profile that holds the keys (exit 2, nothing asked or changed)', async (_case, roles, chain) => {
    await fs.appendFile(fixture.configPath, roles);
    const configBefore = await fs.readFile(fixture.configPath);

    const error = await rejectionOf(rotate({ profile: 'admin' }, fixture.deps));

    expect(error.toLine()).toBe(
      `aws-mfa: cannot rotate the access key of admin: it is a role profile (source_profile chain ${chain}): ` +
        "the long-term keys it is assumed from are prod's (run `aws-mfa rotate -p prod`)",
    );
    expect(error.exitCode).toBe(2);
    expect(fake.requests).toEqual([]);
    expect(fixture.mfaSessions).toBe(0);
    expect(fixture.keychain.items.get('prod')).toBe(ALICE_ITEM);
    expect(await fs.readFile(fixture.configPath)).toEqual(configBefore);
  });

  it('when CreateAccessKey is refused: nothing was changed', async () => {
    fake.override('CreateAccessKey', () => iamErrorReply(403, 'AccessDenied', 'not authorized to perform: iam:CreateAccessKey'));

    const error = await rejectionOf(rotate({ profile: 'prod' }, fixture.deps));

    expect(error.toLine()).toMatch(
      /^aws-mfa: CreateAccessKey failed: access denied: not authorized to perform: iam:CreateAccessKey; nothing was changed \(/,
    );
    expect(fixture.keychain.items.get('prod')).toBe(ALICE_ITEM);
  });
});

describe('rotate failures after the new key exists: the old key keeps working', () => {
  it('a new key that never verifies is deleted again, after about 20 s of retries', async () => {
    fake.newKeysUnknownFor = Number.POSITIVE_INFINITY;
    await cacheSession(fixture, 'prod');

    const error = await rejectionOf(rotate({ profile: 'prod' }, fixture.deps));

    expect(error.toLine()).toBe(
      'aws-mfa: cannot rotate the access key of prod: the new key AKIA…WXYZ was created but never verified ' +
        '(GetCallerIdentity failed: AWS does not know the access key id (deleted, deactivated or mistyped)); ' +
        'it has been deleted again; the old key AKIA…MPLE is unchanged and still in the keychain item of prod',
    );
    expect(fixture.sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 5_000]);
    expect(fixture.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(20_000);
    expect(fake.requests.at(-1)?.action).toBe('DeleteAccessKey');
    expect(fake.requests.at(-1)?.params.get('AccessKeyId')).toBe(NEW_KEY_ID);
    expect(aliceKeyIds()).toEqual([ALICE_KEYS.accessKeyId]);
    expect(fixture.keychain.items.get('prod')).toBe(ALICE_ITEM);
    expect(await fixture.cache.read('prod')).toBeDefined();
  });

  it('a new key that signs as someone else is not retried, and deleted again', async () => {
    fake.override('GetCallerIdentity', (request) =>
      request.accessKeyId === NEW_KEY_ID
        ? {
            status: 200,
            body: '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/mallory</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
          }
        : {
            status: 200,
            body: '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/staff/alice</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
          },
    );

    const error = await rejectionOf(rotate({ profile: 'prod' }, fixture.deps));

    expect(error.why).toContain(
      'never verified (GetCallerIdentity failed: the new key signs as arn:aws:iam::123456789012:user/mallory, not as arn:aws:iam::123456789012:user/staff/alice)',
    );
    expect(fixture.sleeps).toEqual([]);
    expect(aliceKeyIds()).toEqual([ALICE_KEYS.accessKeyId]);
  });

  it('says how to delete the new key when deleting it fails too', async () => {
    fake.newKeysUnknownFor = Number.POSITIVE_INFINITY;
    fake.override('DeleteAccessKey', () => iamErrorReply(403, 'AccessDenied', 'not authorized to perform: iam:DeleteAccessKey'));

    const error = await rejectionOf(rotate({ profile: 'prod' }, fixture.deps));

    expect(error.why).toContain(
      '; deleting it failed too (DeleteAccessKey failed: access denied: not authorized to perform: iam:DeleteAccessKey): ' +
        `delete it with \`aws iam delete-access-key --user-name alice --access-key-id ${NEW_KEY_ID}\`; ` +
        'the old key AKIA…MPLE is unchanged and still in the keychain item of prod',
    );
    expect(fixture.keychain.items.get('prod')).toBe(ALICE_ITEM);
  });

  it('a new key that cannot be stored is deleted again', async () => {
    const lockedKeychain = new ProfileKeychain({
      ...fixture.keychain,
      set: async () => {
        throw new AwsMfaError('cannot write to the keychain', 'the collection is locked');
      },
    });
    const deps = { ...fixture.deps, openProfileKeychain: async () => lockedKeychain };

    const error = await rejectionOf(rotate({ profile: 'prod' }, deps));

    expect(error.why).toBe(
      'the new key AKIA…WXYZ works, but storing it in the keychain item of prod failed (cannot write to the keychain: the collection is locked); ' +
        'it has been deleted again; the old key AKIA…MPLE is unchanged and still in the keychain item of prod',
    );
    expect(aliceKeyIds()).toEqual([ALICE_KEYS.accessKeyId]);
    expect(fixture.keychain.items.get('prod')).toBe(ALICE_ITEM);
  });

  it('when deleting the old key fails, the new key is stored and the message gives the command', async () => {
    fake.override('DeleteAccessKey', () => iamErrorReply(403, 'AccessDenied', 'not authorized to perform: iam:DeleteAccessKey'));

    const error = await rejectionOf(rotate({ profile: 'prod' }, fixture.deps));

    expect(error.toLine()).toBe(
      'aws-mfa: cannot delete the old access key of prod: the new key AKIA…WXYZ is stored and works, ' +
        'but DeleteAccessKey failed: access denied: not authorized to perform: iam:DeleteAccessKey ' +
        `(delete the old key with \`aws iam delete-access-key --user-name alice --access-key-id ${ALICE_KEYS.accessKeyId}\`)`,
    );
    expect(JSON.parse(fixture.keychain.items.get('prod') ?? '')).toMatchObject({
      accessKeyId: NEW_KEY_ID,
      mfaSerial: SERIAL,
      totpSeed: SEED,
    });
    expect(aliceKeyIds()).toEqual([ALICE_KEYS.accessKeyId, NEW_KEY_ID]);
    expect(await fixture.cache.read('prod')).toBeUndefined();
  });

  it('an STS error other than an unknown key is not retried', async () => {
    fake.override('GetCallerIdentity', (request) =>
      request.accessKeyId === NEW_KEY_ID
        ? errorReply(400, 'RegionDisabledException', 'STS is not activated in this region for account:123456789012.')
        : {
            status: 200,
            body: '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/staff/alice</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
          },
    );

    const error = await rejectionOf(rotate({ profile: 'prod' }, fixture.deps));

    expect(error.why).toMatch(/^the new key AKIA…WXYZ was created but never verified \(GetCallerIdentity failed: STS is not activated/);
    expect(fixture.sleeps).toEqual([]);
  });
});
