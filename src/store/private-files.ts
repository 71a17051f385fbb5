import fs from 'node:fs';
import path from 'node:path';
import { AwsMfaError } from '../core/errors.js';
import { describeFileError, isCode } from '../core/file-errors.js';
import { type FileOwner, writeFileAtomic } from './atomic-write.js';
import { nonRegularKind, readBoundedFile } from './bounded-read.js';

const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * The files of a folder tree that is one user's alone: the session cache. Every folder from the
 * root down and every file must belong to that user; what they own loses any access of group and
 * others (0755 becomes 0700, 0644 becomes 0600; new ones are made so); anything another user owns, a symbolic link or a file of the wrong kind is "not ours":
 * refused with one line that names it, never followed or used (as ssh treats ~/.ssh).
 *
 * That user is the process's. Root (`sudo` keeping the user's HOME) works in the tree as the owner
 * of the folder that holds it (~/.cache), and gives what it creates to that owner.
 *
 * Folders are checked with lstat and files opened with O_NOFOLLOW and checked with fstat, all
 * synchronously: the cached path stays a few system calls with no thread pool. Between an lstat
 * and what follows, only someone who can write the folder above could swap the entry, and that
 * folder was checked first (the root's own folder is the user's choice: ~/.cache, XDG_CACHE_HOME).
 * Windows has no owner ids or mode bits: there the tree relies on the per-user folder it lives
 * in (%LOCALAPPDATA%), and symbolic links are still refused (readBoundedFile's lstat fallback).
 */
export class PrivateFiles {
  #owner: FileOwner | null | undefined;

  constructor(readonly root: string) {}

  /** Checks the root and every folder down to `folder` (which is inside the root), creating missing ones. */
  ensureFolder(folder: string): void {
    this.#walk(folder, true);
  }

  /** Checks the root and every folder down to `folder`; false when one of them does not exist. */
  hasFolder(folder: string): boolean {
    return this.#walk(folder, false);
  }

  /**
   * The bytes of `file`, or undefined when it or its folder is missing, or 'too-large' when it
   * holds more than `maxBytes` (read no further). Throws AwsMfaError for anything not ours.
   */
  read(file: string, maxBytes: number): Buffer | 'too-large' | undefined {
    if (!this.hasFolder(path.dirname(file))) return undefined;
    return this.#readInCheckedFolder(file, maxBytes);
  }

  /**
   * The files named that read() would return whole, by name, their folders checked once for all
   * (thousands of sessions): a file that is missing, too large or not ours is left out.
   */
  readEach(folder: string, names: readonly string[], maxBytes: number): Map<string, Buffer> {
    const files = new Map<string, Buffer>();
    if (!this.hasFolder(folder)) return files;
    for (const name of names) {
      try {
        const bytes = this.#readInCheckedFolder(path.join(folder, name), maxBytes);
        if (bytes instanceof Buffer) files.set(name, bytes);
      } catch (error) {
        if (!(error instanceof AwsMfaError)) throw error;
      }
    }
    return files;
  }

  #readInCheckedFolder(file: string, maxBytes: number): Buffer | 'too-large' | undefined {
    let read: ReturnType<typeof readBoundedFile>;
    try {
      read = readBoundedFile(file, { maxBytes, noFollow: true });
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      if (isCode(error, 'ELOOP')) throw notOurs(file, 'it is a symbolic link');
      throw new AwsMfaError(`cannot read ${file}`, describeFileError(error), { cause: error });
    }
    if ('refused' in read) {
      if (read.refused === 'too-large') return 'too-large';
      throw notOurs(file, read.why);
    }
    this.#checkOwned(file, read.stats);
    return read.bytes;
  }

  /**
   * Replaces `file` atomically, 0600, its folders made or checked first. A symbolic link, a folder
   * or another user's file in its place is refused, never written through or replaced.
   */
  async write(file: string, contents: string): Promise<void> {
    this.ensureFolder(path.dirname(file));
    this.#checkExistingFile(file);
    await writeFileAtomic(file, contents, { mode: FILE_MODE, noFollow: true, newFileOwner: this.ownerForNewEntries() });
  }

  /**
   * Checks what a write of `file` would find (its folders, and itself if it exists) without
   * creating anything: what the write would refuse is refused before the work it would store.
   */
  checkFile(file: string): void {
    if (this.hasFolder(path.dirname(file))) this.#checkExistingFile(file);
  }

  #checkExistingFile(file: string): void {
    const existing = lstatIfExists(file);
    if (!existing) return;
    const kind = nonRegularKind(existing);
    if (kind) throw notOurs(file, `it is ${kind}, not a regular file`);
    this.#checkOwned(file, existing);
  }

  /** The owner new entries get when it is not the process (root in a user's tree), else undefined. */
  ownerForNewEntries(): FileOwner | undefined {
    const owner = this.#expectedOwner();
    return owner && owner.uid !== process.geteuid?.() ? owner : undefined;
  }

  #walk(folder: string, create: boolean): boolean {
    const relative = path.relative(this.root, folder);
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(`${folder} is outside ${this.root}`);
    let current = this.root;
    for (const part of ['', ...relative.split(path.sep).filter(Boolean)]) {
      current = path.join(current, part);
      if (!this.#checkFolder(current, create)) return false;
    }
    return true;
  }

  #checkFolder(folder: string, create: boolean): boolean {
    let stats = lstatIfExists(folder);
    if (!stats) {
      if (!create) return false;
      this.#createFolder(folder);
      stats = fs.lstatSync(folder);
    }
    if (stats.isSymbolicLink()) throw notOurs(folder, 'it is a symbolic link');
    if (!stats.isDirectory()) throw notOurs(folder, `it is ${nonRegularKind(stats) ?? 'a file'}, not a folder`);
    this.#checkOwned(folder, stats);
    return true;
  }

  #createFolder(folder: string): void {
    // Known before anything is made: root takes the owner from the folder that holds the tree.
    const owner = this.ownerForNewEntries();
    const missing = folder === this.root ? missingAncestors(folder) : [folder];
    try {
      for (const each of missing) {
        fs.mkdirSync(each, { mode: FOLDER_MODE });
        if (owner) fs.chownSync(each, owner.uid, owner.gid);
      }
    } catch (error) {
      // Made meanwhile by another aws-mfa: checked as any other.
      if (isCode(error, 'EEXIST')) return;
      throw new AwsMfaError(`cannot create ${folder}`, describeFileError(error), { cause: error });
    }
  }

  /** Refuses another user's entry; takes from the user's own what others may do with it (0755 becomes 0700). */
  #checkOwned(entry: string, stats: fs.Stats): void {
    if (this.#expectedOwner() === null) return;
    if (this.#isForeign(stats)) throw notOurs(entry, this.#belongsTo(stats));
    if ((stats.mode & 0o077) === 0) return;
    try {
      fs.chmodSync(entry, stats.mode & 0o700);
    } catch (error) {
      throw new AwsMfaError(`cannot make ${entry} private`, describeFileError(error), { cause: error });
    }
  }

  #isForeign(stats: fs.Stats): boolean {
    const owner = this.#expectedOwner();
    return owner !== null && owner !== undefined && stats.uid !== owner.uid;
  }

  #belongsTo(stats: fs.Stats): string {
    return `it belongs to uid ${stats.uid}, not to uid ${this.#expectedOwner()?.uid}`;
  }

  /** null where there are no owner ids (Windows). */
  #expectedOwner(): FileOwner | null {
    if (this.#owner !== undefined) return this.#owner;
    const uid = process.geteuid?.();
    const gid = process.getegid?.();
    if (uid === undefined || gid === undefined) this.#owner = null;
    else if (uid !== 0) this.#owner = { uid, gid };
    else this.#owner = ownerOfNearestFolder(path.dirname(this.root)) ?? { uid, gid };
    return this.#owner;
  }
}

/** `folder` and those of its ancestors that do not exist, outermost first. */
function missingAncestors(folder: string): string[] {
  const missing: string[] = [];
  for (let current = folder; !fs.existsSync(current) && path.dirname(current) !== current; current = path.dirname(current)) {
    missing.unshift(current);
  }
  return missing;
}

/** The owner of `folder` or of its nearest existing ancestor (symbolic links followed: ~/.cache may be one). */
function ownerOfNearestFolder(folder: string): FileOwner | undefined {
  for (let current = folder; ; current = path.dirname(current)) {
    try {
      const stats = fs.statSync(current);
      return { uid: stats.uid, gid: stats.gid };
    } catch (error) {
      if (!isCode(error, 'ENOENT') || path.dirname(current) === current) return undefined;
    }
  }
}

function lstatIfExists(entry: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(entry);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw new AwsMfaError(`cannot read ${entry}`, describeFileError(error), { cause: error });
  }
}

/** Something in the cache that aws-mfa did not make, or that someone else could have changed. */
export function notOurs(entry: string, why: string): AwsMfaError {
  return new AwsMfaError(`refusing ${entry}`, why, {
    hint: 'aws-mfa keeps only its own cache there, private to you: remove it, and aws-mfa makes a new one',
  });
}
