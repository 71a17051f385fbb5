import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { nodeBinDir, repoRoot } from './paths.js';

const runningAsRoot = process.getuid?.() === 0;

/** Permission bits mean nothing on Windows, nor to root without setpriv to drop its powers. */
export const permissionsUntestable = process.platform === 'win32' || (runningAsRoot && spawnSync('setpriv', ['--version']).status !== 0);

/**
 * argv, run so that file permissions apply to it. Tests run as root here, and root ignores
 * permission bits: setpriv (util-linux, in every Debian) drops the capabilities that let it.
 */
export function withPermissionsApplying(argv: readonly string[]): string[] {
  return runningAsRoot ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search,-fowner', '--', ...argv] : [...argv];
}

/** argv, run under a umask (`000`, `077`), through the shell that sets it. */
export function withUmask(umask: string, argv: readonly string[]): string[] {
  return ['/bin/sh', '-c', `umask ${umask}; exec "$@"`, 'sh', ...argv];
}

const otherUsersNeedRoot = process.platform === 'win32' || !runningAsRoot || spawnSync('setpriv', ['--version']).status !== 0;

/**
 * The first folder on the way to `path` that a user with no say over it cannot enter (no
 * search bit for others), or undefined: such a user then cannot reach `path` at all.
 */
export function folderClosedToOthers(path: string): string | undefined {
  const folders: string[] = [];
  for (let folder = path; folder !== parse(folder).root; folder = dirname(folder)) folders.unshift(folder);
  return folders.find((folder) => (statSync(folder).mode & 0o001) === 0);
}

/**
 * A second uid runs the Node of the tests and a copy of the CLI in the temporary folder (see
 * useCliForOtherUsers): the checkout itself may sit in a folder only its owner enters (a clone in
 * `mktemp -d`), but these must not.
 */
const closedToOtherUsers = otherUsersNeedRoot ? undefined : (folderClosedToOthers(nodeBinDir) ?? folderClosedToOthers(tmpdir()));

/** Multi-user tests need root (to act as a second uid with setpriv), POSIX owners, and a Node and temporary folder that uid can reach. */
export const otherUsersUntestable = otherUsersNeedRoot || closedToOtherUsers !== undefined;

/** Why multi-user tests are skipped here, for their title: a skip must say why. */
export const otherUsersSkipReason = otherUsersNeedRoot
  ? ' (skipped: needs root and setpriv to act as a second uid)'
  : closedToOtherUsers !== undefined
    ? ` (skipped: a second uid cannot enter ${closedToOtherUsers}, on the way to Node or the temporary folder)`
    : '';

/**
 * The CLI as another uid runs it: bin/, dist/ and keytar copied into a temporary folder that every
 * user may enter, for the file's tests; the checkout's own bin/aws-mfa may be out of that uid's reach.
 */
export function useCliForOtherUsers(): () => string {
  let folder: string | undefined;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'aws-mfa-cli-for-others-'));
    chmodSync(folder, 0o755);
    for (const part of ['bin', 'dist', join('node_modules', 'keytar')])
      cpSync(join(repoRoot, part), join(folder, part), { recursive: true });
  });
  afterAll(() => {
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });
  return () => {
    if (folder === undefined)
      throw new Error('the CLI for other users is copied in beforeAll: call useCliForOtherUsers() at the top of the file');
    return join(folder, 'bin', 'aws-mfa');
  };
}

/** argv, run as uid `uid` (group `uid`, no supplementary groups); no passwd entry is needed. */
export function asUser(uid: number, argv: readonly string[]): string[] {
  return ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--', ...argv];
}
