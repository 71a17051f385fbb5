import path from 'node:path';
import { systemMfaPrompts } from '../../src/prompt/system-mfa-prompts.js';
import type { SessionDependencies } from '../../src/session/resolve-session.js';
import { ProfileKeychain } from '../../src/store/profile-keychain.js';
import { SessionCache } from '../../src/store/session-cache.js';
import type { FakeIo } from './fake-io.js';
import { memoryKeychain } from './memory-keychain.js';

/**
 * Session dependencies for unit tests: the cache under `home`, an empty in-memory keychain, a sleep
 * that only moves the fake clock, no MFA device to discover, the real prompts (a dialog needs a DISPLAY the fake Io has not); `getSessionToken` is the test's.
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
    listMfaDevices: async () => [],
    mfaPrompts: systemMfaPrompts(io),
    ...overrides,
  };
}
