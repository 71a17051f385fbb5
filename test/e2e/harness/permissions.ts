import { spawnSync } from 'node:child_process';

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

/** Multi-user tests need root (to act as a second uid with setpriv) and POSIX owners. */
export const otherUsersUntestable = process.platform === 'win32' || !runningAsRoot || spawnSync('setpriv', ['--version']).status !== 0;

/** Why multi-user tests are skipped here, for their title: a skip must say why. */
export const otherUsersSkipReason = otherUsersUntestable ? ' (skipped: needs root and setpriv to act as a second uid)' : '';

/** argv, run as uid `uid` (group `uid`, no supplementary groups); no passwd entry is needed. */
export function asUser(uid: number, argv: readonly string[]): string[] {
  return ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--', ...argv];
}
