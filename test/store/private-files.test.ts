import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsMfaError } from '../../src/core/errors.js';
import { PrivateFiles } from '../../src/store/private-files.js';

let folder: string;
let root: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'aws-mfa-private-files-'));
  root = join(folder, 'cache', 'aws-mfa');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const mode = (path: string) => lstatSync(path).mode & 0o7777;

function refusal(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof AwsMfaError) return error.toLine();
    throw error;
  }
  throw new Error('not refused');
}

describe.skipIf(process.platform === 'win32')('PrivateFiles', () => {
  it('makes missing folders 0700 and writes files 0600', async () => {
    const files = new PrivateFiles(root);
    await files.write(join(root, 'sessions', 'p.json'), '{}\n');
    expect([mode(root), mode(join(root, 'sessions')), mode(join(root, 'sessions', 'p.json'))]).toEqual([0o700, 0o700, 0o600]);
    expect(files.read(join(root, 'sessions', 'p.json'), 1024)?.toString()).toBe('{}\n');
  });

  it('reads nothing, and creates nothing, where the folders are missing', () => {
    const files = new PrivateFiles(root);
    expect(files.read(join(root, 'sessions', 'p.json'), 1024)).toBeUndefined();
    expect(files.hasFolder(join(root, 'sessions'))).toBe(false);
    files.checkFile(join(root, 'sessions', 'p.json'));
    expect(() => statSync(root)).toThrow(/ENOENT/);
  });

  it("takes group and other access from the user's own folders and files, and keeps the rest", () => {
    mkdirSync(join(root, 'sessions'), { recursive: true });
    chmodSync(root, 0o777);
    chmodSync(join(root, 'sessions'), 0o500);
    writeFileSync(join(root, 'p.json'), 'x', { mode: 0o644 });
    const files = new PrivateFiles(root);
    expect(files.hasFolder(join(root, 'sessions'))).toBe(true);
    expect(files.read(join(root, 'p.json'), 1024)?.toString()).toBe('x');
    expect([mode(root), mode(join(root, 'sessions')), mode(join(root, 'p.json'))]).toEqual([0o700, 0o500, 0o600]);
  });

  it('refuses a symbolic link as a folder, to read or to write; the target stays as it was', async () => {
    const victim = join(folder, 'victim');
    writeFileSync(victim, 'victim', { mode: 0o600 });
    mkdirSync(root, { recursive: true, mode: 0o700 });
    symlinkSync(victim, join(root, 'p.json'));
    symlinkSync(folder, join(root, 'sessions'));
    const files = new PrivateFiles(root);
    expect(refusal(() => files.read(join(root, 'p.json'), 1024))).toMatch(
      /^aws-mfa: refusing \S+p\.json: it is a symbolic link \(.*remove it/,
    );
    await expect(files.write(join(root, 'p.json'), 'secret')).rejects.toThrow(/refusing \S+p\.json: it is a symbolic link/);
    expect(refusal(() => files.hasFolder(join(root, 'sessions')))).toMatch(/refusing \S+sessions: it is a symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('victim');
  });

  it('reads many files of a folder at once, leaving out what read() would not return whole, and takes access from the rest', () => {
    const sessions = join(root, 'sessions');
    mkdirSync(sessions, { recursive: true, mode: 0o700 });
    const victim = join(folder, 'victim');
    writeFileSync(victim, 'victim', { mode: 0o600 });
    const names = Array.from({ length: 50 }, (_, index) => `p${index}.json`);
    for (const name of names) writeFileSync(join(sessions, name), name, { mode: 0o644 });
    symlinkSync(victim, join(sessions, 'link.json'));
    writeFileSync(join(sessions, 'big.json'), Buffer.alloc(2048), { mode: 0o600 });
    mkdirSync(join(sessions, 'folder.json'));
    const read = new PrivateFiles(root).readEach(sessions, [...names, 'link.json', 'big.json', 'folder.json', 'missing.json'], 1024);
    expect([...read.keys()]).toEqual(names);
    expect([...read].every(([name, bytes]) => bytes.toString() === name)).toBe(true);
    expect(mode(join(sessions, 'p7.json'))).toBe(0o600);
    expect(readFileSync(victim, 'utf8')).toBe('victim');
  });

  it('reads nothing of a folder that is missing, and refuses one that is a symbolic link', () => {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    const files = new PrivateFiles(root);
    expect(files.readEach(join(root, 'sessions'), ['p.json'], 1024).size).toBe(0);
    symlinkSync(folder, join(root, 'sessions'));
    expect(refusal(() => files.readEach(join(root, 'sessions'), ['p.json'], 1024))).toMatch(/refusing \S+sessions: it is a symbolic link/);
  });

  it('says too-large for a file over the bound, and reads it no further', () => {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    writeFileSync(join(root, 'big'), Buffer.alloc(2048), { mode: 0o600 });
    expect(new PrivateFiles(root).read(join(root, 'big'), 1024)).toBe('too-large');
  });
});
