import { AwsMfaError, UsageError } from '../core/errors.js';
import { describeFileError, isCode } from '../core/file-errors.js';
import { type BoundedRead, readBoundedFile } from '../store/bounded-read.js';
import type { IniSections } from './ini-file.js';
import { parseIni } from './ini-file.js';

/** Larger than any real credentials or config file; a guard against reading a wrong file whole. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** An AWS shared file as read: its text (undefined when missing) and its sections. */
export interface IniFile {
  readonly path: string;
  readonly text: string | undefined;
  readonly sections: IniSections;
}

/**
 * Read synchronously: these files are small, and on the cached path the first asynchronous file
 * operation would cost more than the reads, by starting libuv's thread pool.
 */
export async function readIniFile(file: string): Promise<IniFile> {
  const text = readTextFile(file);
  return { path: file, text, sections: text === undefined ? new Map() : parseIni(text, file) };
}

function readTextFile(file: string): string | undefined {
  let read: BoundedRead;
  try {
    read = readBoundedFile(file, { maxBytes: MAX_FILE_BYTES });
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    if (isCode(error, 'ENOTDIR')) throw new UsageError(`cannot read ${file}`, 'a part of its path is not a folder');
    throw new AwsMfaError(`cannot read ${file}`, describeFileError(error), { cause: error });
  }
  if ('refused' in read) throw new UsageError(`cannot read ${file}`, read.why);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(read.bytes);
  } catch {
    throw new UsageError(`malformed ${file}`, 'not UTF-8 text');
  }
}
