import { type ProfileSettings, readAwsFiles, type SettingsFlags } from '../config/profile-settings.js';
import { UsageError } from '../core/errors.js';
import type { Env } from '../core/io.js';
import { resolveProfileChain } from '../providers/profile-chain.js';

/**
 * The settings of a profile that holds long-term keys itself. A role profile holds none: its
 * chain's root does, and acting on the root silently would change every role assumed from it, so
 * it is refused (exit 2) with the command to run on the root instead.
 */
export async function loadKeyHolderSettings(
  profile: string,
  flags: SettingsFlags,
  env: Env,
  refusal: { readonly what: string; readonly command: string },
): Promise<ProfileSettings> {
  const chain = resolveProfileChain(await readAwsFiles(env), profile, flags, env);
  if (chain.hops.length === 0) return chain.named;
  const root = chain.root.profile;
  const sources = [...chain.hops.map((hop) => hop.settings.profile).reverse(), root];
  throw new UsageError(
    refusal.what,
    `it is a role profile (source_profile chain ${sources.join(' -> ')}): the long-term keys it is assumed from are ${root}'s`,
    { hint: `run \`aws-mfa ${refusal.command} -p ${root}\`` },
  );
}
