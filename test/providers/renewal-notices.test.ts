import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssumeRoleRequest, GetSessionTokenRequest } from '../../src/aws/sts.js';
import type { SessionDependencies } from '../../src/providers/dependencies.js';
import { sessionForProfile } from '../../src/providers/session-for-profile.js';
import { ProfileKeychain } from '../../src/store/profile-keychain.js';
import { createFakeIo, type FakeIo } from '../fakes/fake-io.js';
import { memoryKeychain } from '../fakes/memory-keychain.js';
import { fakeSessionDependencies } from '../fakes/session-dependencies.js';

// `exec --server` renews a session on every request that finds it (nearly) expired, each time as
// sessionForProfile with the same Io (src/commands/exec.ts): a notice about how the profile is set
// up must be written once per run, not once per renewal.

const NOW = new Date('2026-11-22T08:00:00Z');
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const ROOT_ITEM = { accessKeyId: 'AKIAROOTKEY0EXAMPLE1', secretAccessKey: 'rootSecretEXAMPLE', totpSeed: SEED };
const RENEWALS = 3;

let home: string;
let calls: string[];

function session(key: string, seconds: number) {
  const expiration = new Date(NOW.getTime() + seconds * 1000);
  return { credentials: { accessKeyId: key, secretAccessKey: `${key}-secret`, sessionToken: `${key}-token`, expiration }, serverDate: NOW };
}

function dependencies(io: FakeIo, overrides: Partial<SessionDependencies> = {}): SessionDependencies {
  const keychain = new ProfileKeychain(memoryKeychain());
  return fakeSessionDependencies(
    io,
    home,
    async (request: GetSessionTokenRequest) => {
      calls.push('GetSessionToken');
      return session('ASIAMFASESSION000001', request.durationSeconds);
    },
    {
      openProfileKeychain: async () => {
        await keychain.put('root', ROOT_ITEM);
        return keychain;
      },
      assumeRole: async (request: AssumeRoleRequest) => {
        calls.push(`AssumeRole ${request.mfa ? 'with MFA' : 'from the session'}`);
        return session('ASIAROLESESSION00001', request.durationSeconds ?? 3600);
      },
      ...overrides,
    },
  );
}

/** What the credential server does: a session now, then again each time the last one has expired. */
async function serveWithRenewals(io: FakeIo, deps: SessionDependencies, profile: string): Promise<void> {
  for (let served = 0; served < RENEWALS; served++) {
    const { credentials } = await sessionForProfile({ profile }, deps);
    io.setNow(new Date(credentials.expiration.getTime() + 1000));
  }
}

function count(io: FakeIo, words: string): number {
  return io.stderr.filter((line) => line.includes(words)).length;
}

beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'aws-mfa-renewal-notices-'));
  calls = [];
});
afterEach(() => fs.rm(home, { recursive: true, force: true }));

function fakeIo(): FakeIo {
  return createFakeIo({
    now: NOW,
    env: { HOME: home, AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'), AWS_CONFIG_FILE: path.join(home, 'config') },
  });
}

describe('one-time notices across the renewals of one run', () => {
  it('a role over the 1 h cap, assumed with the long-term keys and a code: said once, though each renewal assumes it so', async () => {
    await fs.writeFile(
      path.join(home, 'config'),
      `[profile root]\nmfa_serial = ${SERIAL}\n[profile long]\nrole_arn = arn:aws:iam::111111111111:role/long\nsource_profile = root\nrole_session_name = alice\nduration_seconds = 7200\n`,
    );
    const io = fakeIo();

    await serveWithRenewals(io, dependencies(io), 'long');

    expect(calls).toEqual(Array(RENEWALS).fill('AssumeRole with MFA'));
    expect(count(io, 'one code per role session')).toBe(1);
  });

  it('the MFA serial found with ListMFADevices: said once, though each new MFA session looks it up', async () => {
    await fs.writeFile(path.join(home, 'config'), '[profile root]\nregion = eu-west-1\n');
    const io = fakeIo();
    let listed = 0;
    const deps = dependencies(io, {
      listMfaDevices: async () => {
        listed++;
        return [{ serialNumber: SERIAL }];
      },
    });

    await serveWithRenewals(io, deps, 'root');

    expect(calls).toEqual(Array(RENEWALS).fill('GetSessionToken'));
    expect(listed).toBe(RENEWALS);
    expect(count(io, `using MFA device ${SERIAL}`)).toBe(1);
  });
});
