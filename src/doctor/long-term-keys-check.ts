import type { ProfileSettings } from '../config/profile-settings.js';
import { maskKeyId } from '../core/credentials.js';
import type { KeychainInventory } from '../store/keychain-inventory.js';
import { type CheckResult, failed, passed, warned } from './check-result.js';

const CHECK = 'long-term keys';

/** Where the root profile's long-term keys come from, as the session commands look: the keychain item first, then the file. */
export function checkLongTermKeys(settings: ProfileSettings, inventory: KeychainInventory): CheckResult {
  const { profile, longTermSectionName } = settings;
  const inFile = settings.fileKeys
    ? `[${longTermSectionName}] of ${settings.credentialsFile.path} (${maskKeyId(settings.fileKeys.accessKeyId)})`
    : undefined;
  if (inventory.reached && inventory.items.some((item) => item.account === profile)) {
    return passed(CHECK, `the keychain item aws-mfa/${profile}${inFile ? `, which wins over ${inFile}` : ''}`);
  }
  if (inFile) return passed(CHECK, inFile);
  if (!inventory.reached && inventory.uninspectable) {
    return warned(
      CHECK,
      `not in [${longTermSectionName}]; a keychain item may hold them (${inventory.why})`,
      `\`aws-mfa list\` shows them`,
    );
  }
  const keychain = inventory.reached ? `no keychain item aws-mfa/${profile}` : `the keychain could not be searched (${inventory.why})`;
  return failed(
    CHECK,
    `none: ${keychain}, and no [${longTermSectionName}] in ${settings.credentialsFile.path}`,
    `\`aws-mfa add ${profile}\`, or put them under [${longTermSectionName}]`,
  );
}
