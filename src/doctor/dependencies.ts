import type { DoctorDependencies } from '../commands/doctor.js';
import { cacheDirectory } from '../config/paths.js';
import type { Io } from '../core/io.js';
import { profileKeychainOpener } from '../session/dependencies.js';
import { resolveKeySource } from '../session/key-source.js';
import { inventoryKeychain } from '../store/keychain-inventory.js';
import { SessionCache } from '../store/session-cache.js';
import { fetchServerDate } from './sts-date.js';

/** The real dependencies of doctor; keytar and the STS client load only for --online. */
export function doctorDependencies(io: Io, colour: boolean): DoctorDependencies {
  const cache = new SessionCache(cacheDirectory(io.env, io.platform));
  return {
    io,
    colour,
    inventoryKeychain: () => inventoryKeychain(io.platform, io.env),
    readCachedSession: (profile) => cache.read(profile),
    fetchServerDate: (url, caBundle) => fetchServerDate(url, io.env, caBundle),
    readLongTermKeys: async (settings) => (await resolveKeySource(settings, profileKeychainOpener(io), io.debug)).keys,
    getCallerIdentity: async (keys, settings) =>
      (await import('../aws/sts.js')).getCallerIdentity({ credentials: keys, target: settings.sts, env: io.env, debug: io.debug }),
  };
}
