import fs from 'node:fs';

/**
 * The file that keeps V8's compiled code of the CLI bundle between runs: a first line naming the
 * bundle file it was compiled from, then V8's cached data. The name is the bundle's device, inode,
 * size and change time: V8 itself checks only the source's length, so a rebuilt or reinstalled
 * bundle of the same length must not be given the old code. Any write to the bundle changes its
 * change time, and a new build is a new file.
 *
 * Only ever read from and written into a folder that startCli has found private to this user.
 */
const HEADER_PREFIX = 'aws-mfa code cache ';
/** The CLI's compiled code is a few hundred KB; a bigger file is no cache of ours. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const PRIVATE_FILE_MODE = 0o600;
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** Names the bundle file as it is now: any rebuild or reinstall gives another name. */
export function bundleIdentity(bundleFile: string): string {
  const stats = fs.statSync(bundleFile, { bigint: true });
  return [stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs].join(':');
}

/** The cached data for that bundle, or undefined: no file, another bundle's, not a regular file of this user's. */
export function readCodeCache(file: string, identity: string): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile() || stats.size > MAX_FILE_BYTES || (process.geteuid !== undefined && stats.uid !== process.geteuid())) {
      return undefined;
    }
    const bytes = fs.readFileSync(fd);
    const header = Buffer.from(`${HEADER_PREFIX}${identity}\n`);
    return bytes.subarray(0, header.length).equals(header) ? bytes.subarray(header.length) : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Replaces the file at once (a temporary file renamed over it), 0600; an optimisation only, so a failure is ignored. */
export function writeCodeCache(file: string, identity: string, cachedData: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(temporary, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW, PRIVATE_FILE_MODE);
    try {
      fs.writeFileSync(fd, Buffer.concat([Buffer.from(`${HEADER_PREFIX}${identity}\n`), cachedData]));
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  } catch {
    removeQuietly(temporary);
  }
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // not there, or not ours to remove: the next run writes under another process id
  }
}
