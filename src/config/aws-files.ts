import fs from 'node:fs';
import { AwsMfaError, UsageError } from '../core/errors.js';
import { describeFileError, isCode } from '../core/file-errors.js';
import { type BoundedRead, readBoundedFile } from '../store/bounded-read.js';
import { type IniSections, parseIni, parseValidatedIni, validatedLayout } from './ini-file.js';
import type { FileVersion, ValidatedFiles } from './validated-files.js';

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
 * operation would cost more than the reads, by starting libuv's thread pool. A version found valid
 * before (validated-files.ts) is not checked again.
 */
export async function readIniFile(file: string, validated?: ValidatedFiles): Promise<IniFile> {
  const { text, version } = readTextFile(file);
  const layout = validated?.layoutOf(file, version);
  if (text !== undefined && layout) return { path: file, text, sections: parseValidatedIni(text, layout) };
  const sections = parseIni(text ?? '', file);
  validated?.remember(file, version, validatedLayout(sections));
  return { path: file, text, sections };
}

function readTextFile(file: string): { text: string | undefined; version?: FileVersion | undefined } {
  let read: BoundedRead;
  let before: fs.BigIntStats | undefined;
  try {
    before = fs.statSync(file, { bigint: true });
    read = readBoundedFile(file, { maxBytes: MAX_FILE_BYTES });
  } catch (error) {
    if (isCode(error, 'ENOENT')) return { text: undefined };
    if (isCode(error, 'ENOTDIR')) throw new UsageError(`cannot read ${file}`, 'a part of its path is not a folder');
    throw new AwsMfaError(`cannot read ${file}`, describeFileError(error), { cause: error });
  }
  if ('refused' in read) throw new UsageError(`cannot read ${file}`, read.why);
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(read.bytes);
    return { text, version: fileVersion(before, read.stats, file) };
  } catch {
    throw new UsageError(`malformed ${file}`, 'not UTF-8 text');
  }
}

/** The version of the file read, from stats of its path before and after the read; none when it changed meanwhile. */
function fileVersion(before: fs.BigIntStats, read: fs.Stats, file: string): FileVersion | undefined {
  const id = (stat: fs.BigIntStats): string => [stat.dev, stat.ino, stat.size, stat.mtimeNs, stat.ctimeNs].join(':');
  let after: fs.BigIntStats;
  try {
    after = fs.statSync(file, { bigint: true });
  } catch {
    return undefined;
  }
  if (id(before) !== id(after) || Number(after.ino) !== read.ino || Number(after.size) !== read.size) return undefined;
  const changed = after.mtimeNs > after.ctimeNs ? after.mtimeNs : after.ctimeNs;
  return { id: id(after), size: read.size, ageNs: BigInt(Date.now()) * 1_000_000n - changed };
}
