import type { KeychainInventory } from '../store/keychain-inventory.js';
import { type CheckResult, failed, passed, warned } from './check-result.js';

const CHECK = 'keychain';

/**
 * Whether the keychain can be reached and is unlocked. It matters only for a profile whose keys
 * are there: otherwise a problem is a warning (`aws-mfa add` would fail), not a failure.
 */
export function checkKeychain(inventory: KeychainInventory, profile: string, keysInFile: boolean): CheckResult {
  if (!inventory.reached) {
    if (inventory.uninspectable) return warned(CHECK, `not inspected: ${inventory.why}`, inventory.hint);
    const detail = `not reachable: ${inventory.why}`;
    return keysInFile
      ? warned(CHECK, `${detail} (not needed: the keys are in the file)`, inventory.hint)
      : failed(CHECK, detail, inventory.hint);
  }
  const item = inventory.items.find((candidate) => candidate.account === profile);
  if (item?.locked)
    return failed(CHECK, `the item aws-mfa/${profile} is in a locked keyring`, 'unlock the keyring (e.g. in Seahorse), then try again');
  if (inventory.defaultLocked && !item) {
    return warned(CHECK, 'reachable, but the default keyring is locked: `aws-mfa add` cannot store items', 'unlock the default keyring');
  }
  return passed(CHECK, `reachable and unlocked; ${item ? `holds the item aws-mfa/${profile}` : `no item for ${profile}`}`);
}
