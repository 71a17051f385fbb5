/**
 * Which versions of the AWS files a full read found valid, kept in the cache folder so that the
 * next reads of the same bytes skip the checks (a few milliseconds per megabyte) and look up only
 * the sections they need. A version is the file's device, inode, size and change times in
 * nanoseconds: any write changes one of them. A file changed less than two seconds before it was
 * read is not remembered (file systems with coarse timestamps could miss a second write), nor a
 * small file, which is checked in less time than the record takes to read.
 */
import path from 'node:path';
import { PrivateFiles } from '../store/private-files.js';
import type { ValidatedLayout } from './ini-file.js';

/** Newer than this, a file's times could still be those of a write that follows. */
const SETTLED_AFTER_NS = 2_000_000_000n;
const MAX_REMEMBERED_FILES = 8;
/** About 300 profiles: below, a full read costs well under a millisecond. */
const MIN_REMEMBERED_BYTES = 64 * 1024;
/** Two paths and versions, a few section names each: far less. */
const MAX_RECORD_BYTES = 1024 * 1024;

/** What a read of a regular file saw of it, taken from the open file before and after the read. */
export interface FileVersion {
  readonly id: string;
  readonly size: number;
  /** Nanoseconds since the file's last change, when it was read. */
  readonly ageNs: bigint;
}

interface Remembered {
  readonly version: string;
  readonly layout: ValidatedLayout;
}

interface RecordFile {
  readonly version: 1;
  readonly files: Record<string, Remembered>;
}

/** The record lives in the session cache's tree, with its rules: a record that is not the user's own is never trusted. */
export class ValidatedFiles {
  readonly #files: PrivateFiles;
  readonly #path: string;
  #remembered: Record<string, Remembered> | undefined;
  #changed = false;

  constructor(cacheFolder: string, recordName: string) {
    this.#files = new PrivateFiles(cacheFolder);
    this.#path = path.join(cacheFolder, recordName);
  }

  /** The layout of a file whose exact version was found valid before. */
  layoutOf(file: string, version: FileVersion | undefined): ValidatedLayout | undefined {
    if (!version || version.size < MIN_REMEMBERED_BYTES) return undefined;
    const remembered = this.#record()[file];
    return remembered?.version === version.id ? remembered.layout : undefined;
  }

  remember(file: string, version: FileVersion | undefined, layout: ValidatedLayout | undefined): void {
    if (!version || !layout || version.ageNs < SETTLED_AFTER_NS || version.size < MIN_REMEMBERED_BYTES) return;
    const files = this.#record();
    delete files[file];
    files[file] = { version: version.id, layout };
    // The two AWS files, and a few more that AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE named.
    for (const old of Object.keys(files).slice(0, -MAX_REMEMBERED_FILES)) delete files[old];
    this.#changed = true;
  }

  /** Best effort: a cache that cannot be written only means the next read checks the files again. */
  async save(): Promise<void> {
    if (!this.#changed) return;
    const record: RecordFile = { version: 1, files: this.#record() };
    await this.#files.write(this.#path, JSON.stringify(record)).catch(() => undefined);
  }

  #record(): Record<string, Remembered> {
    this.#remembered ??= readRecord(this.#files, this.#path);
    return this.#remembered;
  }
}

function readRecord(cache: PrivateFiles, file: string): Record<string, Remembered> {
  try {
    const bytes = cache.read(file, MAX_RECORD_BYTES);
    if (bytes === undefined || bytes === 'too-large') return {};
    const record = JSON.parse(bytes.toString('utf8')) as Partial<RecordFile>;
    if (record.version !== 1 || typeof record.files !== 'object' || record.files === null) return {};
    const files: Record<string, Remembered> = {};
    for (const [name, entry] of Object.entries(record.files)) {
      if (typeof entry?.version === 'string' && isStringArray(entry.layout?.quotedProfileSections)) files[name] = entry;
    }
    return files;
  } catch {
    return {};
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
