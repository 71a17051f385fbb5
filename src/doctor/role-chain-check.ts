import type { AwsFiles } from '../config/profile-settings.js';
import { UsageError } from '../core/errors.js';
import type { Env } from '../core/io.js';
import { unknownProfile } from '../providers/key-source.js';
import { type ProfileChain, resolveProfileChain } from '../providers/profile-chain.js';
import { unknownSourceProfile } from '../providers/root-mfa.js';
import type { KeychainInventory } from '../store/keychain-inventory.js';
import { type CheckResult, failedWith, passed } from './check-result.js';

const CHECK = 'role chain';

export interface RoleChain {
  readonly result: CheckResult;
  /** Profiles from the one checked to the root; the root's keys sign the chain. undefined when the chain is broken. */
  readonly hops: readonly string[] | undefined;
  readonly chain: ProfileChain | undefined;
}

/**
 * The chain as the session commands resolve it (resolveProfileChain), so that doctor refuses what
 * they refuse, in their words, without calling AWS. A root named in neither file is refused as they
 * refuse it only when the keychain could be searched and holds no item for it: otherwise its keys
 * may be there, and the keychain and long-term keys checks say what is known.
 */
export function checkRoleChain(files: AwsFiles, profile: string, env: Env, inventory: KeychainInventory): RoleChain {
  let chain: ProfileChain;
  try {
    chain = resolveProfileChain(files, profile, {}, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return broken(error);
  }
  const { root, hops } = chain;
  const names = [...hops.map((hop) => hop.settings.profile).reverse(), root.profile];
  const sourceOf = hops[0]?.settings.profile;
  if (sourceOf === undefined) return { result: passed(CHECK, `${profile} is not a role profile`), hops: names, chain };
  const rootInKeychain = inventory.reached && inventory.items.some((item) => item.account === root.profile);
  if (!root.namedInFiles && inventory.reached && !rootInKeychain) {
    return broken(unknownSourceProfile(unknownProfile(root, undefined), root.profile, sourceOf));
  }
  return { result: passed(CHECK, `${names.join(' -> ')}: the root ${root.profile} signs the first AssumeRole`), hops: names, chain };
}

function broken(error: UsageError): RoleChain {
  return { result: failedWith(CHECK, error), hops: undefined, chain: undefined };
}
