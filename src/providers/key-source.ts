import type { ProfileSettings } from '../config/profile-settings.js';
import type { LongTermKeys } from '../core/credentials.js';
import { AwsMfaError, UsageError } from '../core/errors.js';
import type { ProfileKeychain } from '../store/profile-keychain.js';

/** The long-term keys of a profile, where they came from, and what was stored with them. */
export interface KeySource {
  readonly keys: LongTermKeys;
  readonly origin: 'keychain' | 'file';
  /** The configured serial (flag, config, long-term section), else the keychain item's. */
  readonly mfaSerial: string | undefined;
  readonly totpSeed: string | undefined;
}

/**
 * The keychain item stored by `aws-mfa add NAME` first, then `[NAME-long-term]`. When the keychain
 * cannot be reached, keys in the file still work; with none there, the keychain's error is the
 * one that tells the user what to fix.
 */
export async function resolveKeySource(
  settings: ProfileSettings,
  openProfileKeychain: () => Promise<ProfileKeychain>,
  debug: (line: string) => void,
): Promise<KeySource> {
  let keychain: ProfileKeychain | undefined;
  let keychainError: AwsMfaError | undefined;
  try {
    keychain = await openProfileKeychain();
    const item = await keychain.get(settings.profile);
    if (item) {
      const { accessKeyId, secretAccessKey } = item;
      return {
        keys: { accessKeyId, secretAccessKey },
        origin: 'keychain',
        mfaSerial: settings.mfaSerial ?? item.mfaSerial,
        totpSeed: item.totpSeed,
      };
    }
  } catch (error) {
    if (!(error instanceof AwsMfaError)) throw error;
    debug(`keychain not used: ${error.toLine()}`);
    keychainError = error;
  }
  if (settings.fileKeys) return { keys: settings.fileKeys, origin: 'file', mfaSerial: settings.mfaSerial, totpSeed: undefined };
  // A malformed item (profile-keychain.ts) was found, not missed: its error says how to replace it.
  if (keychainError instanceof UsageError) throw keychainError;
  keychainError ??= await whyItemsMayBeHidden(keychain);
  if (!settings.namedInFiles) throw unknownProfile(settings, keychainError);
  const noFileKeys = `no [${settings.longTermSectionName}] in ${settings.credentialsFile.path}`;
  if (keychainError) {
    throw new AwsMfaError(`no long-term keys for profile ${settings.profile}`, `${noFileKeys}, and ${keychainError.why}`, {
      hint: keychainError.hint,
      cause: keychainError,
    });
  }
  throw new UsageError(`no long-term keys for profile ${settings.profile}`, `no keychain item and ${noFileKeys}`, {
    hint: `store them with \`aws-mfa add ${settings.profile}\`, or put them under [${settings.longTermSectionName}]`,
  });
}

/**
 * A locked Secret Service hides its items from a lookup instead of refusing it, so a missing item
 * may only be out of sight. Listing the items tells (it fails on a locked keyring); it costs a
 * child process, paid only on the way to an error.
 */
async function whyItemsMayBeHidden(keychain: ProfileKeychain | undefined): Promise<AwsMfaError | undefined> {
  try {
    await keychain?.list();
    return undefined;
  } catch (error) {
    if (!(error instanceof AwsMfaError)) throw error;
    return error;
  }
}

/** Most often a typo: said as such even when the keychain could not be searched. */
export function unknownProfile(settings: ProfileSettings, keychainError: AwsMfaError | undefined): UsageError {
  const inFiles = `not in ${settings.credentialsFile.path} or ${settings.configFile.path}`;
  const why = keychainError
    ? `${inFiles}, and the keychain could not be searched (${keychainError.why})`
    : `${inFiles}, nor in the keychain`;
  return new UsageError(`unknown profile '${settings.profile}'`, why, {
    hint: `store its keys with \`aws-mfa add ${settings.profile}\`, or put them under [${settings.longTermSectionName}]`,
  });
}
