import type { ProfileSettings } from '../config/profile-settings.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { formatExpiration } from '../session/credentials.js';
import { type SessionOptions, sessionForProfile } from '../session/session-for-profile.js';
import { refuseLongTermKeysInSessionSection, writeCredentialsProfile } from '../session/write-credentials-profile.js';

/** `login`: get or reuse a session and write it into `[NAME]` of the credentials file. */
export async function loginCommand(options: SessionOptions, io: Io): Promise<number> {
  const { settings, credentials, reused } = await sessionForProfile(options, io, refuseUnsuitableProfile);
  await writeCredentialsProfile(settings, credentials, io);
  const how = reused ? 'reused the cached session' : 'new session';
  io.writeStderr(
    `aws-mfa: ${how} for ${settings.profile}, valid until ${formatExpiration(credentials.expiration)}, written to [${settings.profile}] in ${settings.credentialsFile.path}\n`,
  );
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
