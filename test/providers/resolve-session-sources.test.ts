import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../src/aws/aws-error.js';
import type { GetSessionTokenRequest } from '../../src/aws/sts.js';
import { loadProfileSettings } from '../../src/config/profile-settings.js';
import { AwsMfaError, ExitCode } from '../../src/core/errors.js';
import { timeStepAt, totpCode } from '../../src/mfa/totp.js';
import type { SessionDependencies } from '../../src/providers/dependencies.js';
import { ProfileKeychain } from '../../src/store/profile-keychain.js';
import { createFakeIo, type FakeIo } from '../fakes/fake-io.js';
import { memoryKeychain } from '../fakes/memory-keychain.js';
import { fakeSessionDependencies, resolveSession } from '../fakes/session-dependencies.js';

const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const NOW = new Date('2026-11-22T08:00:05Z');
const KEYCHAIN_ITEM = { accessKeyId: 'AKIAKEYCHAIN00000001', secretAccessKey: 'keychain-secret-0001' };

let home: string;
let calls: GetSessionTokenRequest[];

async function recordingSts(request: GetSessionTokenRequest) {
  calls.push(request);
  return {
    credentials: { accessKeyId: 'ASIAFAKE', secretAccessKey: 's', sessionToken: 't', expiration: new Date(NOW.getTime() + 8 * 3600_000) },
    serverDate: NOW,
  };
}

function env() {
  return { HOME: home, AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'), AWS_CONFIG_FILE: path.join(home, 'config') };
}

async function writeFiles(credentials: string, config: string) {
  await fs.writeFile(path.join(home, 'credentials'), credentials);
  await fs.writeFile(path.join(home, 'config'), config);
}

function dependencies(io: FakeIo, overrides: Partial<SessionDependencies> = {}): SessionDependencies {
  return fakeSessionDependencies(io, home, recordingSts, overrides);
}

function keychainWith(item: object) {
  const keychain = new ProfileKeychain(memoryKeychain());
  return async () => {
    await keychain.put('prod', item as never);
    return keychain;
  };
}

const unreachableKeychain = async (): Promise<ProfileKeychain> => {
  throw new AwsMfaError('keychain unavailable', 'no D-Bus session');
};

async function session(io: FakeIo, deps: SessionDependencies, options: { force?: boolean; save?: boolean } = {}) {
  const settings = await loadProfileSettings('prod', {}, io.env);
  return resolveSession({ settings, force: options.force ?? false, codeFlag: undefined, saveDiscoveredSerial: options.save }, deps);
}

beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'aws-mfa-sources-'));
  calls = [];
});
afterEach(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

describe('long-term keys', () => {
  it('come from the keychain before [NAME-long-term], with the keychain serial when none is configured', async () => {
    await writeFiles('[prod-long-term]\naws_access_key_id = AKIAFILEKEY000000001\naws_secret_access_key = file-secret\n', '');
    const io = createFakeIo({ env: env(), now: NOW });
    const deps = dependencies(io, {
      openProfileKeychain: keychainWith({ ...KEYCHAIN_ITEM, mfaSerial: SERIAL, totpSeed: SEED }),
    });

    await session(io, deps);

    expect(calls[0]).toMatchObject({ keys: KEYCHAIN_ITEM, serialNumber: SERIAL });
    expect((await deps.cache.read('prod'))?.definition).toEqual({
      kind: 'session-token',
      profile: 'prod',
      mfaSerial: SERIAL,
      keySource: 'keychain',
      longTermKeyId: KEYCHAIN_ITEM.accessKeyId,
    });
  });

  it('a configured serial wins over the keychain item’s', async () => {
    await writeFiles('', '[profile prod]\nmfa_serial = arn:aws:iam::123456789012:mfa/configured\n');
    const io = createFakeIo({ env: env(), now: NOW });
    await session(io, dependencies(io, { openProfileKeychain: keychainWith({ ...KEYCHAIN_ITEM, mfaSerial: SERIAL, totpSeed: SEED }) }));
    expect(calls[0]?.serialNumber).toBe('arn:aws:iam::123456789012:mfa/configured');
  });

  it('come from the file when the keychain cannot be reached', async () => {
    await writeFiles(
      '[prod-long-term]\naws_access_key_id = AKIAFILEKEY000000001\naws_secret_access_key = file-secret\n',
      `[profile prod]\nmfa_serial = ${SERIAL}\nmfa_process = printf 424242\n`,
    );
    const io = createFakeIo({ env: env(), now: NOW });
    await session(io, dependencies(io, { openProfileKeychain: unreachableKeychain }));
    expect(calls[0]?.keys).toEqual({ accessKeyId: 'AKIAFILEKEY000000001', secretAccessKey: 'file-secret' });
    expect(io.debugLines.join('\n')).toContain('keychain not used: aws-mfa: keychain unavailable: no D-Bus session');
  });

  it('with no file keys and no keychain, the keychain error is what the user needs (exit 1)', async () => {
    await writeFiles('', `[profile prod]\nmfa_serial = ${SERIAL}\n`);
    const io = createFakeIo({ env: env(), now: NOW });
    const error = await session(io, dependencies(io, { openProfileKeychain: unreachableKeychain })).catch((caught: unknown) => caught);
    expect((error as AwsMfaError).toLine()).toBe(
      `aws-mfa: no long-term keys for profile prod: no [prod-long-term] in ${path.join(home, 'credentials')}, and no D-Bus session`,
    );
    expect((error as AwsMfaError).exitCode).toBe(ExitCode.failed);
    expect(calls).toEqual([]);
  });

  it('with no file keys and no item, a keychain that cannot list its items may hide it: that is said (exit 1)', async () => {
    await writeFiles('', `[profile prod]\nmfa_serial = ${SERIAL}\n`);
    const io = createFakeIo({ env: env(), now: NOW });
    const lockedKeychain = async () =>
      new ProfileKeychain({
        ...memoryKeychain(),
        entries: async () => {
          throw new AwsMfaError('keychain refused to list the items', 'the Secret Service is locked', { hint: 'unlock it' });
        },
      });

    const error = (await session(io, dependencies(io, { openProfileKeychain: lockedKeychain })).catch(
      (caught: unknown) => caught,
    )) as AwsMfaError;

    expect(error.toLine()).toBe(
      `aws-mfa: no long-term keys for profile prod: no [prod-long-term] in ${path.join(home, 'credentials')}, and the Secret Service is locked (unlock it)`,
    );
    expect(error.exitCode).toBe(ExitCode.failed);
    expect(calls).toEqual([]);

    await writeFiles('', '');
    const unknown = (await session(io, dependencies(io, { openProfileKeychain: lockedKeychain })).catch(
      (caught: unknown) => caught,
    )) as AwsMfaError;

    expect(unknown.why).toContain('the keychain could not be searched (the Secret Service is locked)');
    expect(unknown.hint).toBe('store its keys with `aws-mfa add prod`, or put them under [prod-long-term]');
  });

  it('a profile named nowhere is an unknown profile (exit 2), whether the keychain answered or not', async () => {
    await writeFiles('', '');
    const io = createFakeIo({ env: env(), now: NOW });
    const reachable = (await session(io, dependencies(io)).catch((caught: unknown) => caught)) as AwsMfaError;
    const unreachable = (await session(io, dependencies(io, { openProfileKeychain: unreachableKeychain })).catch(
      (caught: unknown) => caught,
    )) as AwsMfaError;
    expect(reachable.exitCode).toBe(ExitCode.usage);
    expect(reachable.why).toContain('nor in the keychain');
    expect(unreachable.exitCode).toBe(ExitCode.usage);
    expect(unreachable.why).toContain('the keychain could not be searched (no D-Bus session)');
    expect(reachable.hint).toBe('store its keys with `aws-mfa add prod`, or put them under [prod-long-term]');
    expect(unreachable.hint).toBe(reachable.hint);
    expect(await fs.readdir(home)).toEqual(['config', 'credentials']);
  });
});

describe('MFA codes', () => {
  it('are computed from the stored seed, never the same time step twice', async () => {
    await writeFiles('', '');
    const io = createFakeIo({ env: env(), now: NOW });
    const deps = dependencies(io, { openProfileKeychain: keychainWith({ ...KEYCHAIN_ITEM, mfaSerial: SERIAL, totpSeed: SEED }) });

    await session(io, deps, { force: true });
    await session(io, deps, { force: true });

    const step = timeStepAt(NOW);
    expect(calls.map((call) => call.tokenCode)).toEqual([totpCode(SEED, step), totpCode(SEED, step + 1)]);
    expect(io.stderr.join('')).toContain('already used');
  });

  it('come from mfa_process when there is no seed', async () => {
    await writeFiles('', `[profile prod]\nmfa_serial = ${SERIAL}\nmfa_process = printf 424242\n`);
    const io = createFakeIo({ env: env(), now: NOW });
    await session(io, dependencies(io, { openProfileKeychain: keychainWith(KEYCHAIN_ITEM) }));
    expect(calls[0]?.tokenCode).toBe('424242');
  });

  it.each([
    [new Date(NOW.getTime() - 120_000), 'this computer’s clock is 120 s ahead of AWS’s: sync it'],
    [new Date(NOW.getTime() + 45_000), 'this computer’s clock is 45 s behind AWS’s: sync it'],
    [NOW, 'the clocks agree: the seed may belong to another device (store the right one with `aws-mfa add prod --totp`)'],
  ])('a refused seed code says what to check (AWS Date %s)', async (serverDate, hint) => {
    await writeFiles('', '');
    const io = createFakeIo({ env: env(), now: NOW });
    const refusing = async () => {
      throw new AwsCallError(
        'GetSessionToken failed',
        { kind: 'wrong-mfa-code', why: 'AWS refused the MFA code (wrong, expired or already used)' },
        { code: 'AccessDenied', serverDate, cause: undefined },
      );
    };
    const deps = dependencies(io, {
      openProfileKeychain: keychainWith({ ...KEYCHAIN_ITEM, mfaSerial: SERIAL, totpSeed: SEED }),
      getSessionToken: refusing,
    });
    const error = (await session(io, deps).catch((caught: unknown) => caught)) as AwsMfaError;
    expect(error.exitCode).toBe(1);
    expect(error.hint).toContain(hint);
    expect(await deps.cache.read('prod')).toBeUndefined();
  });
});

describe('MFA serial discovery', () => {
  it('uses the one device ListMFADevices finds, and says so', async () => {
    await writeFiles('', '[profile prod]\nregion = eu-west-1\n');
    const io = createFakeIo({ env: env(), now: NOW });
    const listed: unknown[] = [];
    const deps = dependencies(io, {
      openProfileKeychain: keychainWith({ ...KEYCHAIN_ITEM, totpSeed: SEED }),
      listMfaDevices: async (request) => {
        listed.push(request);
        return [{ serialNumber: 'arn:aws:iam::123456789012:u2f/user/alice/key' }, { serialNumber: SERIAL }];
      },
    });

    await session(io, deps);

    expect(listed).toMatchObject([{ credentials: KEYCHAIN_ITEM, target: { region: 'eu-west-1' } }]);
    expect(calls[0]?.serialNumber).toBe(SERIAL);
    expect(io.stderr.join('')).toContain(`using MFA device ${SERIAL}`);
    expect(await fs.readFile(path.join(home, 'config'), 'utf8')).toBe('[profile prod]\nregion = eu-west-1\n');
  });

  it('with --save, records it as mfa_serial in the config profile, keeping the rest of the file', async () => {
    await writeFiles('', '# mine\n[profile prod]\nregion = eu-west-1\n\n[profile other]\nregion = us-east-1\n');
    const io = createFakeIo({ env: env(), now: NOW });
    const deps = dependencies(io, {
      openProfileKeychain: keychainWith({ ...KEYCHAIN_ITEM, totpSeed: SEED }),
      listMfaDevices: async () => [{ serialNumber: SERIAL }],
    });

    await session(io, deps, { save: true });

    expect(await fs.readFile(path.join(home, 'config'), 'utf8')).toBe(
      `# mine\n[profile prod]\nregion = eu-west-1\nmfa_serial = ${SERIAL}\n\n[profile other]\nregion = us-east-1\n`,
    );
  });
});
