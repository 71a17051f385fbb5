import path from 'node:path';
import type { ProfileSettings } from '../../src/config/profile-settings.js';
import type { SessionCredentials } from '../../src/core/credentials.js';
import { systemMfaPrompts } from '../../src/prompt/system-mfa-prompts.js';
import { chainProvider } from '../../src/providers/chain-provider.js';
import type { SessionDependencies } from '../../src/providers/dependencies.js';
import { ProfileKeychain } from '../../src/store/profile-keychain.js';
import { SessionCache } from '../../src/store/session-cache.js';
import type { FakeIo } from './fake-io.js';
import { memoryKeychain } from './memory-keychain.js';

/**
 * Session dependencies for unit tests: the cache under `home`, an empty in-memory keychain, a sleep
 * that only moves the fake clock, no MFA device to discover, the real prompts (a dialog needs a DISPLAY
 * the fake Io has not); `getSessionToken` is the test's, and AssumeRole and GetCallerIdentity fail
 * unless the test passes its own.
 */
export function fakeSessionDependencies(
  io: FakeIo,
  home: string,
  getSessionToken: SessionDependencies['getSessionToken'],
  overrides: Partial<SessionDependencies> = {},
): SessionDependencies {
  return {
    io,
    cache: new SessionCache(path.join(home, 'cache')),
    cacheDirectory: path.join(home, 'cache'),
    sleep: async (ms) => io.setNow(new Date(io.now().getTime() + ms)),
    openProfileKeychain: async () => new ProfileKeychain(memoryKeychain()),
    getSessionToken,
    assumeRole: async () => {
      throw new Error('AssumeRole was not expected in this test');
    },
    getCallerIdentity: async () => {
      throw new Error('GetCallerIdentity was not expected in this test');
    },
    listMfaDevices: async () => [],
    mfaPrompts: systemMfaPrompts(io),
    ...overrides,
  };
}

/** The session of a profile without a role, as the providers serve it: what the tests of the MFA session call. */
export async function resolveSession(
  request: { settings: ProfileSettings; force: boolean; codeFlag: string | undefined; saveDiscoveredSerial?: boolean | undefined },
  deps: SessionDependencies,
): Promise<{ credentials: SessionCredentials; reused: boolean }> {
  const { settings } = request;
  const provider = chainProvider(
    { root: settings, hops: [], named: settings },
    { force: request.force, codeFlag: request.codeFlag, saveDiscoveredSerial: request.saveDiscoveredSerial ?? false },
    deps,
  );
  const { credentials, reused } = await provider();
  return { credentials, reused };
}
