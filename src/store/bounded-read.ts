import fs from 'node:fs';

/** Absent on Windows, which has neither: see readBoundedFile(). */
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
/** Opening a FIFO for reading otherwise waits for a writer, forever. */
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;
const CHUNK_BYTES = 64 * 1024;

export interface BoundedReadOptions {
  /** Read at most this many bytes: a larger file is refused, whatever fstat says of it. */
  readonly maxBytes: number;
  /** Refuse a symbolic link in place of the file (ELOOP) instead of reading its target. */
  readonly noFollow?: boolean;
}

/** The bytes of a regular file, with its stats; or why it was not read, in words for an error line. */
export type BoundedRead =
  | { readonly bytes: Buffer; readonly stats: fs.Stats }
  | { readonly refused: 'not-regular' | 'too-large'; readonly why: string };

/**
 * Reads a regular file, synchronously (the cached path never starts libuv's thread pool), with one
 * open and one fstat: a FIFO, a device or a directory is refused before a byte is read, and no
 * more than `maxBytes` + 1 bytes are ever read, so /dev/zero, a file that grows or a huge sparse
 * one cost bounded time and memory. System errors (ENOENT, EACCES, ELOOP with noFollow) are thrown.
 *
 * Windows has no O_NOFOLLOW: there the link is refused by lstat before the open, and the file
 * opened must be the one lstat saw (same device and inode), else the open raced with a swap.
 */
export function readBoundedFile(file: string, options: BoundedReadOptions): BoundedRead {
  const emulateNoFollow = options.noFollow === true && O_NOFOLLOW === 0;
  const seen = emulateNoFollow ? fs.lstatSync(file) : undefined;
  if (seen?.isSymbolicLink()) throw Object.assign(new Error(`${file} is a symbolic link`), { code: 'ELOOP' });
  const fd = fs.openSync(file, fs.constants.O_RDONLY | O_NONBLOCK | (options.noFollow ? O_NOFOLLOW : 0));
  try {
    const stats = fs.fstatSync(fd);
    if (seen && (seen.dev !== stats.dev || seen.ino !== stats.ino)) {
      throw Object.assign(new Error(`${file} changed while being opened`), { code: 'ELOOP' });
    }
    const kind = nonRegularKind(stats);
    if (kind) return { refused: 'not-regular', why: `it is ${kind}, not a regular file` };
    if (stats.size > options.maxBytes) return tooLarge(options.maxBytes);
    const bytes = readUpTo(fd, stats.size, options.maxBytes + 1);
    return bytes.length > options.maxBytes ? tooLarge(options.maxBytes) : { bytes, stats };
  } finally {
    fs.closeSync(fd);
  }
}

/** At most `limit` bytes from fd, expecting about `expected`: a file may grow while it is read. */
function readUpTo(fd: number, expected: number, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let chunk = Buffer.allocUnsafe(Math.min(expected + 1, limit));
  for (;;) {
    const wanted = Math.min(chunk.length, limit - total);
    const read = fs.readSync(fd, chunk, 0, wanted, null);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (total >= limit) break;
    // Short of what was asked, at the size fstat gave: the end of a regular file, without a read that returns 0 (thousands of session files for list).
    if (read < wanted && total === expected) break;
    if (read === chunk.length) chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limit - total));
    else chunk = chunk.subarray(read);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

/** What a file that is not a regular file is (`a FIFO`), for an error line; undefined for a regular file. */
export function nonRegularKind(stats: fs.Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

function tooLarge(maxBytes: number): BoundedRead {
  const limit = maxBytes >= 1024 * 1024 ? `${maxBytes / 1024 / 1024} MiB` : `${maxBytes / 1024} KiB`;
  return { refused: 'too-large', why: `larger than ${limit}` };
}
