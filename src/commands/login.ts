import type { ProfileSettings } from '../config/profile-settings.js';
import { refuseLongTermKeysInSessionSection, writeCredentialsProfile } from '../config/write-credentials-profile.js';
import { formatExpiration } from '../core/credentials.js';
import { UsageError } from '../core/errors.js';
import { chainProvider } from '../providers/chain-provider.js';
import type { SessionDependencies } from '../providers/dependencies.js';
import type { ProfileChain } from '../providers/profile-chain.js';
import { chainOptions, loadProfileChain, type SessionOptions } from '../providers/session-for-profile.js';

/**
 * `login`: get or reuse the MFA session and write it into `[NAME]` of the credentials file. For a
 * role profile, that is its chain's root: the AWS tools then assume the role from it themselves.
 */
export async function loginCommand(options: SessionOptions, deps: SessionDependencies): Promise<number> {
  const chain = await loadProfileChain(options, deps.io.env);
  const { root } = chain;
  refuseUnsuitableProfile(root);
  const rootChain: ProfileChain = { root, hops: [], named: root };
  const { credentials, reused } = await chainProvider(rootChain, chainOptions(options), deps)();
  await writeCredentialsProfile(root, credentials, deps.io);
  const how = reused ? 'reused the cached session' : 'new session';
  deps.io.writeStderr(
    `aws-mfa: ${how} for ${root.profile}, valid until ${formatExpiration(credentials.expiration)}, written to [${root.profile}] in ${root.credentialsFile.path}\n`,
  );
  if (chain.hops.length > 0) deps.io.writeStderr(roleNote(chain));
  return 0;
}

/** Checked before any prompt, so that nobody types a code for a login that cannot be written. */
function refuseUnsuitableProfile(settings: ProfileSettings): void {
  if (settings.credentialProcess !== undefined) {
    throw new UsageError(
      `will not log in profile ${settings.profile}`,
      `[${settings.configSectionName}] in ${settings.configFile.path} uses credential_process, which the static keys login writes would shadow`,
      { hint: `use \`aws-mfa credential-process\` for it, or log in under another profile name` },
    );
  }
  refuseLongTermKeysInSessionSection(settings, settings.credentialsFile);
}

/** What a login for a role profile did, and what the AWS tools will do with it. */
function roleNote(chain: ProfileChain): string {
  const named = chain.named.profile;
  const note = `aws-mfa: ${named} is a role assumed from ${chain.root.profile}: the AWS tools using profile ${named} now assume it from [${chain.root.profile}] themselves\n`;
  const serialOnRole = chain.hops.find((hop) => hop.settings.configFile.sections.get(hop.settings.configSectionName)?.has('mfa_serial'));
  if (serialOnRole === undefined) return note;
  return `${note}aws-mfa: [${serialOnRole.settings.configSectionName}] has mfa_serial, so the AWS tools will ask for a code to assume it: move mfa_serial to [${chain.root.configSectionName}], or use \`aws-mfa configure ${named} --as NAME\` instead\n`;
}
