import { validateProfileName } from '../config/validate.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { askOnTerminal } from '../prompt/ask-on-terminal.js';
import type { ProfileKeychain } from '../store/profile-keychain.js';
import type { SessionCache } from '../store/session-cache.js';

export interface RemoveDependencies {
  readonly io: Io;
  readonly openProfileKeychain: () => Promise<ProfileKeychain>;
  readonly cache: SessionCache;
}

/** `remove NAME`: deletes the keychain item and the profile's cached sessions, after a confirmation. */
export async function removeCommand(
  input: { readonly name: string; readonly force?: boolean | undefined },
  deps: RemoveDependencies,
): Promise<number> {
  const profile = validateProfileName(input.name);
  const keychain = await deps.openProfileKeychain();
  const item = await keychain.get(profile).catch((error: unknown) => {
    // A malformed item is removed all the same: that is the way out its own error gives.
    if (error instanceof UsageError) return { totpSeed: undefined };
    throw error;
  });
  if (!item) throw new UsageError(`cannot remove ${profile}`, 'the keychain holds no item for it', { hint: 'see `aws-mfa list`' });
  if (!input.force && !(await confirmRemoval(profile, item.totpSeed !== undefined, deps.io))) {
    deps.io.writeStderr(`aws-mfa: kept ${profile}\n`);
    return 0;
  }
  await keychain.delete(profile);
  await deps.cache.delete(profile);
  deps.io.writeStderr(`aws-mfa: removed ${profile} from the keychain and dropped its cached session\n`);
  return 0;
}

async function confirmRemoval(profile: string, hasSeed: boolean, io: Io): Promise<boolean> {
  const what = hasSeed ? 'its long-term keys and TOTP seed' : 'its long-term keys';
  return askOnTerminal(
    io,
    'confirmation',
    ({ confirm }, context) => confirm({ message: `Delete ${profile} from the keychain, with ${what}?`, default: false }, context),
    'pass --force to remove without asking',
  );
}
