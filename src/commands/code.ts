import { validateProfileName } from '../config/validate.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { codeFromSeed } from '../mfa/code-source.js';
import type { ProfileKeychain } from '../store/profile-keychain.js';

export interface CodeDependencies {
  readonly io: Io;
  readonly openProfileKeychain: () => Promise<ProfileKeychain>;
  readonly cacheDirectory: string;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * `code NAME`: the current TOTP code from the stored seed, for the console sign-in. It counts as a
 * use of its time step: a later login waits for the next one rather than send it again.
 */
export async function codeCommand(input: { readonly name: string }, deps: CodeDependencies): Promise<number> {
  const profile = validateProfileName(input.name);
  const item = await (await deps.openProfileKeychain()).get(profile);
  if (!item?.totpSeed) {
    throw new UsageError(`no TOTP seed for ${profile}`, item ? 'its keychain item holds keys only' : 'the keychain holds no item for it', {
      hint: `store one with \`aws-mfa add ${profile} --totp\``,
    });
  }
  const { code, validUntil } = await codeFromSeed(item.totpSeed, deps);
  deps.io.writeStdout(`${code}\n`);
  const secondsLeft = Math.max(0, Math.round((validUntil.getTime() - deps.io.now().getTime()) / 1000));
  deps.io.notice(`aws-mfa: valid for ${secondsLeft} s more\n`);
  return 0;
}
