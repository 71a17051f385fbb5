import { editIniFile } from '../config/edit-ini-file.js';
import { setSectionKeys } from '../config/ini-file.js';
import type { ProfileSettings } from '../config/profile-settings.js';
import type { LongTermKeys } from '../core/credentials.js';
import type { Io } from '../core/io.js';
import type { KeySource } from '../providers/key-source.js';
import type { ProfileKeychain } from '../store/profile-keychain.js';

export interface StoreKeysDependencies {
  readonly io: Io;
  readonly openProfileKeychain: () => Promise<ProfileKeychain>;
}

/** Where the old key was: said in messages. */
export function keyPlace(settings: ProfileSettings, origin: KeySource['origin']): string {
  return origin === 'keychain'
    ? `the keychain item of ${settings.profile}`
    : `[${settings.longTermSectionName}] of ${settings.credentialsFile.path}`;
}

/** The new keys replace the old ones in place: the keychain item keeps its serial and seed, the file every other byte. */
export async function storeNewKeys(
  settings: ProfileSettings,
  origin: KeySource['origin'],
  keys: LongTermKeys,
  deps: StoreKeysDependencies,
): Promise<void> {
  const { accessKeyId, secretAccessKey } = keys;
  if (origin === 'keychain') {
    const keychain = await deps.openProfileKeychain();
    const item = await keychain.get(settings.profile);
    await keychain.put(settings.profile, { ...item, accessKeyId, secretAccessKey });
    return;
  }
  await editIniFile(settings.credentialsFile.path, {
    mode: 0o600,
    debug: deps.io.debug,
    edit: (current) =>
      setSectionKeys(current.text ?? '', settings.longTermSectionName, [
        ['aws_access_key_id', accessKeyId],
        ['aws_secret_access_key', secretAccessKey],
      ]),
  });
}
