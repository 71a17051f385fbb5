import { formatExpiration, type SessionCredentials } from '../core/credentials.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { IniFile } from './aws-files.js';
import { holdsLongTermKeys } from './credentials-section.js';
import { editIniFile } from './edit-ini-file.js';
import { setSectionKeys } from './ini-file.js';
import type { ProfileSettings } from './profile-settings.js';

/** The refusal login gives for a `[NAME]` holding long-term keys: they must never be overwritten. */
export function refuseLongTermKeysInSessionSection(settings: ProfileSettings, credentials: IniFile): void {
  if (!holdsLongTermKeys(credentials.sections.get(settings.profile))) return;
  throw new UsageError(`will not overwrite [${settings.profile}] in ${settings.credentialsFile.path}`, 'it holds long-term keys', {
    hint: `move them into the keychain with \`aws-mfa add ${settings.profile} --import\`, or rename the section to [${settings.longTermSectionName}]`,
  });
}

/**
 * Writes the session into `[NAME]` of the credentials file, keeping every other byte. An
 * `aws_security_token` there (older tools wrote it) gets the new token too: botocore reads it
 * before `aws_session_token`.
 */
export async function writeCredentialsProfile(settings: ProfileSettings, credentials: SessionCredentials, io: Io): Promise<void> {
  await editIniFile(settings.credentialsFile.path, {
    mode: 0o600,
    debug: io.debug,
    edit: (current) => {
      refuseLongTermKeysInSessionSection(settings, current);
      const olderToken = current.sections.get(settings.profile)?.has('aws_security_token');
      return setSectionKeys(current.text ?? '', settings.profile, [
        ['aws_access_key_id', credentials.accessKeyId],
        ['aws_secret_access_key', credentials.secretAccessKey],
        ['aws_session_token', credentials.sessionToken],
        ...(olderToken ? [['aws_security_token', credentials.sessionToken] as const] : []),
        ['expiration', formatExpiration(credentials.expiration)],
      ]);
    },
  });
}
