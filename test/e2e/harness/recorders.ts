import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one run of a recorder script saw of itself: its argv as `ps` shows it, and its environment. */
export interface RecordedChild {
  argv: string[];
  env: Record<string, string>;
}

/**
 * Writes an executable shell script folder/name that records, on each run, its argv (/proc/PID/cmdline,
 * what `ps` shows other users) and its environment (/proc/PID/environ) into files beside it, then
 * prints `output`: a stand-in for the children aws-mfa starts (`exec`'s command, `mfa_process`).
 */
export function writeRecorderScript(folder: string, name: string, output = ''): string {
  const path = join(folder, name);
  const script = [
    '#!/bin/sh',
    `cat /proc/$$/cmdline >"${folder}/${name}.$$.argv"`,
    `cat /proc/$$/environ >"${folder}/${name}.$$.env"`,
    `printf '%s' '${output}'`,
    '',
  ].join('\n');
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return path;
}

/** Every run of the recorder script folder/name so far. */
export function recordedChildren(folder: string, name: string): RecordedChild[] {
  const runs = readdirSync(folder).filter((file) => file.startsWith(`${name}.`) && file.endsWith('.argv'));
  return runs.map((file) => {
    const stem = join(folder, file.slice(0, -'.argv'.length));
    const env = Object.fromEntries(
      nulSeparated(`${stem}.env`).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    );
    return { argv: nulSeparated(`${stem}.argv`), env };
  });
}

/** The argv of every child process that aws-mfa started under harness/record-spawns.mjs, in order. */
export function recordedSpawns(logFile: string): string[][] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as string[]);
}

function nulSeparated(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\0')
    .filter((part) => part !== '');
}
