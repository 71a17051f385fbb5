import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AwsMfaError } from '../core/errors.js';
import { describeFileError } from '../core/file-errors.js';
import { resolveWriteTarget, writeFileAtomic } from '../store/atomic-write.js';
import { withLock } from '../store/lock.js';
import { type IniFile, readIniFile } from './aws-files.js';

const FILE_LOCK_MAX_WAIT_MS = 30 * 1000;

export interface IniFileEdit {
  /** `mode` for the credentials file (0600); `keepMode` for the config file, which keeps its own. */
  readonly mode: number;
  readonly keepMode?: boolean;
  readonly debug?: (line: string) => void;
  /** The new text, from the file as it is once the lock is held; undefined leaves the file as it is. */
  readonly edit: (current: IniFile) => string | undefined;
}

/**
 * Read-modify-write of an AWS shared file: under the file's lock (`.NAME.aws-mfa.lock` beside it,
 * so every aws-mfa agrees on it), re-read, edited, replaced atomically. Concurrent edits of other
 * sections are never lost.
 */
export async function editIniFile(file: string, change: IniFileEdit): Promise<void> {
  const target = await resolveWriteTarget(file).catch((error: unknown) => {
    throw new AwsMfaError(`cannot write ${file}`, describeFileError(error), { cause: error });
  });
  if (target === path.resolve(file)) await ensureFolder(path.dirname(target));
  else await requireLinkTargetFolder(file, target);
  const lockPath = path.join(path.dirname(target), `.${path.basename(target)}.aws-mfa.lock`);
  await withLock(lockPath, { purpose: `writing ${file}`, maxWaitMs: FILE_LOCK_MAX_WAIT_MS, debug: change.debug }, async () => {
    const updated = change.edit(await readIniFile(file));
    if (updated === undefined) return;
    await writeFileAtomic(file, updated, { mode: change.mode, keepMode: change.keepMode }).catch((error: unknown) => {
      if (error instanceof AwsMfaError) throw error;
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
