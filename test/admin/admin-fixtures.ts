import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SessionCredentials } from '../../src/core/credentials.js';
import { AwsMfaError } from '../../src/core/errors.js';
import type { Terminal } from '../../src/core/io.js';
import { ProfileKeychain } from '../../src/store/profile-keychain.js';
import { SessionCache } from '../../src/store/session-cache.js';
import { createFakeIo, type FakeIo } from '../fakes/fake-io.js';
import { memoryKeychain } from '../fakes/memory-keychain.js';
import type { FakeAdminAws } from './fake-admin-aws.js';

export const ALICE_KEYS = { accessKeyId: 'AKIAALICEOLD0EXAMPLE', secretAccessKey: 'aliceOldSecret/wJalrXUtnFEMIK7MDENG' } as const;
export const SESSION: SessionCredentials = {
  accessKeyId: 'ASIASESSIONKEY000001',
  secretAccessKey: 'sessionSecret/wJalrXUtnFEMIK7MDENGbPxRfiCY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN',
  expiration: new Date('2026-11-22T16:00:00Z'),
};

/** A throwaway HOME with the AWS files, a keychain in memory, a fake clock that sleeping advances, and an MFA session on demand. */
export interface AdminFixture {
  readonly home: string;
  readonly credentialsPath: string;
  readonly configPath: string;
  readonly io: FakeIo;
  readonly keychain: ReturnType<typeof memoryKeychain>;
  readonly cache: SessionCache;
  /** Every sleep asked for, in ms. */
  readonly sleeps: number[];
  /** How often the MFA session was asked for. */
  mfaSessions: number;
  readonly deps: {
    io: FakeIo;
    cache: SessionCache;
    cacheDirectory: string;
    sleep: (ms: number) => Promise<void>;
    openProfileKeychain: () => Promise<ProfileKeychain>;
    mfaSession: () => Promise<SessionCredentials>;
  };
}

export async function adminFixture(fake: FakeAdminAws, options: { terminal?: () => Terminal } = {}): Promise<AdminFixture> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'aws-mfa-admin-'));
  const credentialsPath = path.join(home, 'credentials');
  const configPath = path.join(home, 'config');
  const io = createFakeIo({
    env: {
      HOME: home,
      AWS_SHARED_CREDENTIALS_FILE: credentialsPath,
      AWS_CONFIG_FILE: configPath,
      AWS_ENDPOINT_URL: fake.url,
      AWS_REGION: 'eu-west-1',
    },
    terminal: options.terminal,
  });
  const keychain = memoryKeychain();
  const cacheDirectory = path.join(home, 'cache');
  const cache = new SessionCache(cacheDirectory);
  const sleeps: number[] = [];
  const fixture: AdminFixture = {
    home,
    credentialsPath,
    configPath,
    io,
    keychain,
    cache,
    sleeps,
    mfaSessions: 0,
    deps: {
      io,
      cache,
      cacheDirectory,
      sleep: async (ms) => {
        sleeps.push(ms);
        io.setNow(new Date(io.now().getTime() + ms));
      },
      openProfileKeychain: async () => new ProfileKeychain(keychain),
      mfaSession: async () => {
        fixture.mfaSessions++;
        return SESSION;
      },
    },
  };
  return fixture;
}

/** A cached session for the profile, to see that the command drops it. */
export async function cacheSession(fixture: AdminFixture, profile: string): Promise<void> {
  await fixture.cache.write({
    definition: {
      kind: 'session-token',
      profile,
      mfaSerial: 'arn:aws:iam::123456789012:mfa/old',
      keySource: 'keychain',
      longTermKeyId: ALICE_KEYS.accessKeyId,
    },
    credentials: SESSION,
  });
}

/** The error a promise rejects with; fails when it resolves or rejects with anything else. */
export async function rejectionOf(promise: Promise<unknown>): Promise<AwsMfaError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AwsMfaError)) throw new Error(`expected an AwsMfaError, got ${String(error)}`);
  return error;
}
