import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A file's exact bytes, or null when it does not exist: compare before and after a run. */
export function fileBytes(path: string): Buffer | null {
  return existsSync(path) ? readFileSync(path) : null;
}

/** A file's permission bits, e.g. 0o600. */
export function fileMode(path: string): number {
  return statSync(path).mode & 0o777;
}

/**
 * Every file and folder under root (path relative to root → mode and SHA-256 of the content),
 * so `expect(snapshotTree(home)).toEqual(before)` proves a run wrote nothing.
 */
export function snapshotTree(root: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const path = join(root, entry);
    snapshot[relative(root, path)] = describeEntry(path);
  }
  return snapshot;
}

function describeEntry(path: string): string {
  const stats = lstatSync(path);
  const mode = (stats.mode & 0o777).toString(8);
  if (stats.isSymbolicLink()) return `link -> ${readlinkSync(path)}`;
  if (stats.isDirectory()) return `folder ${mode}`;
  return `file ${mode} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}
