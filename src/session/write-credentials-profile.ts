import fs from 'node:fs/promises';
import path from 'node:path';
import { AwsMfaError, UsageError } from '../cli/errors.js';
import type { Io } from '../cli/io.js';
import { describeFileError, type IniFile, readIniFile } from '../config/aws-files.js';
import { setSectionKeys } from '../config/ini-file.js';
import type { ProfileSettings } from '../config/profile-settings.js';
import { resolveWriteTarget, writeFileAtomic } from '../store/atomic-write.js';
import { withLock } from '../store/lock.js';
import { formatExpiration, type SessionCredentials } from './credentials.js';

const FILE_LOCK_MAX_WAIT_MS = 30 * 1000;

/** The refusal login gives for a `[NAME]` holding long-term keys: they must never be overwritten. */
export function refuseLongTermKeysInSessionSection(settings: ProfileSettings, credentials: IniFile): void {
  const section = credentials.sections.get(settings.profile);
  const holdsLongTermKeys = Boolean(section?.get('aws_access_key_id') && !section.get('aws_session_token'));
  if (!holdsLongTermKeys) return;
  throw new UsageError(`will not overwrite [${settings.profile}] in ${settings.credentialsFile.path}`, 'it holds long-term keys', {
    hint: `rename the section to [${settings.longTermSectionName}] so aws-mfa can use them, then run login again`,
  });
}

/**
 * Writes the session into `[NAME]` of the credentials file: read, edit one section, replace
 * atomically, all under the file's lock so that concurrent logins to other profiles are kept.
 */
export async function writeCredentialsProfile(settings: ProfileSettings, credentials: SessionCredentials, io: Io): Promise<void> {
  const file = settings.credentialsFile.path;
  const target = await resolveWriteTarget(file).catch((error: unknown) => {
    throw new AwsMfaError(`cannot write ${file}`, describeFileError(error), { cause: error });
  });
  if (target === path.resolve(file)) await ensureFolder(path.dirname(target));
  else await requireLinkTargetFolder(file, target);
  const lockPath = path.join(path.dirname(target), `.${path.basename(target)}.aws-mfa.lock`);
  const lockOptions = { purpose: `writing ${file}`, maxWaitMs: FILE_LOCK_MAX_WAIT_MS, debug: io.debug };
  await withLock(lockPath, lockOptions, async () => {
    const current = await readIniFile(file);
    refuseLongTermKeysInSessionSection(settings, current);
    const updated = setSectionKeys(current.text ?? '', settings.profile, [
      ['aws_access_key_id', credentials.accessKeyId],
      ['aws_secret_access_key', credentials.secretAccessKey],
      ['aws_session_token', credentials.sessionToken],
      ['expiration', formatExpiration(credentials.expiration)],
    ]);
    await writeFileAtomic(file, updated, { mode: 0o600 }).catch((error: unknown) => {
      throw new AwsMfaError(`cannot write ${file}`, describeFileError(error), { cause: error });
    });
  });
}

/**
 * A symlinked file is written through to its target, but a missing target folder is not created
 * (an unmounted drive, a moved dotfiles checkout): the AWS CLI fails there too.
 */
async function requireLinkTargetFolder(file: string, target: string): Promise<void> {
  const folder = path.dirname(target);
  const isFolder = await fs.stat(folder).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isFolder) {
    throw new AwsMfaError(`cannot write ${file}`, `it is a symbolic link to ${target}, whose folder does not exist`, {
      hint: 'create that folder, or replace the link with a file',
    });
  }
}

async function ensureFolder(folder: string): Promise<void> {
  try {
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AwsMfaError(`cannot create ${folder}`, describeFileError(error), { cause: error });
  }
}
