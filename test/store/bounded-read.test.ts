import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBoundedFile } from '../../src/store/bounded-read.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'aws-mfa-bounded-read-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, contents: string | Buffer): string {
  const path = join(folder, name);
  writeFileSync(path, contents);
  return path;
}

describe('readBoundedFile', () => {
  it('reads a regular file whole, up to and including the bound', () => {
    const read = readBoundedFile(file('at-bound', 'x'.repeat(1024)), { maxBytes: 1024 });
    expect('bytes' in read && read.bytes.toString()).toBe('x'.repeat(1024));
    const empty = readBoundedFile(file('empty', ''), { maxBytes: 1024 });
    expect('bytes' in empty && empty.bytes.length).toBe(0);
  });

  it.skipIf(process.platform !== 'linux')(
    'reads a file whose size fstat does not give (a /proc file says 0) to its end, and still to the bound only',
    () => {
      const status = readBoundedFile('/proc/self/status', { maxBytes: 64 * 1024 });
      expect('bytes' in status && status.bytes.toString()).toMatch(/^Name:.*\n[\s\S]*\nPid:\s+\d+\n/);
      expect(readBoundedFile('/proc/self/status', { maxBytes: 16 })).toMatchObject({ refused: 'too-large' });
    },
  );

  it('refuses one byte over the bound', () => {
    expect(readBoundedFile(file('over', 'x'.repeat(1025)), { maxBytes: 1024 })).toEqual({ refused: 'too-large', why: 'larger than 1 KiB' });
  });

  it('refuses a sparse file larger than the bound without reading it', () => {
    const sparse = join(folder, 'sparse');
    execFileSync('truncate', ['-s', '3G', sparse]);
    expect(readBoundedFile(sparse, { maxBytes: 4 * 1024 * 1024 })).toEqual({ refused: 'too-large', why: 'larger than 4 MiB' });
  });

  it.skipIf(process.platform === 'win32')('refuses a device, a FIFO and a directory before reading a byte', () => {
    const fifo = join(folder, 'fifo');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(folder, 'dir'));
    const why = (path: string) => {
      const read = readBoundedFile(path, { maxBytes: 1024 });
      return 'why' in read ? read.why : 'read';
    };
    expect([why('/dev/zero'), why(fifo), why(join(folder, 'dir'))]).toEqual([
      'it is a device, not a regular file',
      'it is a FIFO, not a regular file',
      'it is a directory, not a regular file',
    ]);
  });

  it('follows a symbolic link unless told not to (ELOOP)', () => {
    const target = file('target', 'text');
    const link = join(folder, 'link');
    symlinkSync(target, link);
    const followed = readBoundedFile(link, { maxBytes: 1024 });
    expect('bytes' in followed && followed.bytes.toString()).toBe('text');
    expect(() => readBoundedFile(link, { maxBytes: 1024, noFollow: true })).toThrow(expect.objectContaining({ code: 'ELOOP' }));
  });

  it('throws ENOENT for a missing file', () => {
    expect(() => readBoundedFile(join(folder, 'missing'), { maxBytes: 1024 })).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
