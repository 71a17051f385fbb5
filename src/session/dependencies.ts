import { cacheDirectory } from '../config/paths.js';
import type { Io } from '../core/io.js';
import { systemMfaPrompts } from '../prompt/system-mfa-prompts.js';
import type { ProfileKeychain } from '../store/profile-keychain.js';
import { SessionCache } from '../store/session-cache.js';
import type { SessionDependencies } from './resolve-session.js';

/**
 * The real dependencies of the session commands. The keychain, the AWS SDK and its clients are
 * imported only when called, so the cached path loads none of them.
 */
export function sessionDependencies(io: Io): SessionDependencies {
  const cacheFolder = cacheDirectory(io.env, io.platform);
  return {
    io,
    cache: new SessionCache(cacheFolder),
    cacheDirectory: cacheFolder,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    openProfileKeychain: profileKeychainOpener(io),
    getSessionToken: async (request) => (await import('../aws/sts.js')).getSessionToken(request),
    listMfaDevices: async (request) => (await import('../aws/iam.js')).listMfaDevices(request),
    mfaPrompts: systemMfaPrompts(io),
  };
}

/** Opens the keychain once, on first use. */
export function profileKeychainOpener(io: Io): () => Promise<ProfileKeychain> {
  let opened: Promise<ProfileKeychain> | undefined;
  return () => {
    opened ??= (async () => {
      const [{ openKeychain }, { ProfileKeychain }] = await Promise.all([
        import('../store/keychain.js'),
        import('../store/profile-keychain.js'),
      ]);
      return new ProfileKeychain(await openKeychain(io.platform, io.env));
    })();
    return opened;
  };
}
