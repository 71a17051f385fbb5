import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { runProcess } from './process.js';
import type { Xvfb } from './xvfb.js';

const pollIntervalMs = 100;
const defaultWaitMs = 30_000;

/** A zenity dialog on the test's Xvfb: its process, its window and its command line. */
export interface Dialog {
  readonly pid: number;
  readonly window: string;
  readonly argv: readonly string[];
}

/** A live process: its id, its process group, its name and its command line. */
export interface ProcessInfo {
  readonly pid: number;
  readonly group: number;
  readonly name: string;
  readonly argv: readonly string[];
}

/** Every process of the machine that /proc still shows (and lets this user read). */
export function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // `pid (comm) state ppid pgrp …`: comm may hold spaces and parentheses, so split after its last ')'.
      const close = stat.lastIndexOf(')');
      const [, , group] = stat.slice(close + 2).split(' ');
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
        .split('\0')
        .filter((part) => part !== '');
      found.push({ pid: Number(entry), group: Number(group), name: stat.slice(stat.indexOf('(') + 1, close), argv });
    } catch {
      // The process ended while being read.
    }
  }
  return found;
}

/** Processes whose environment holds `NAME=VALUE`: what a run started, wherever it moved since. */
export function processesWithEnv(name: string, value: string): ProcessInfo[] {
  const needle = `${name}=${value}`;
  return processes().filter((info) => {
    try {
      return readFileSync(`/proc/${info.pid}/environ`, 'utf8').split('\0').includes(needle);
    } catch {
      return false;
    }
  });
}

/** Which processes a test's run started: its process group, or an environment variable only it had. */
export type RunOf = { readonly group: number } | { readonly env: readonly [name: string, value: string] };

/** zenity processes that the run started. */
export function zenitiesOf(run: RunOf): ProcessInfo[] {
  const candidates = 'group' in run ? processes().filter((info) => info.group === run.group) : processesWithEnv(...run.env);
  return candidates.filter((info) => info.name === 'zenity');
}

/**
 * Waits for a zenity of the run that is not one of `seen` to show its window. Back-to-back
 * zenity processes may reuse one X window id, so a dialog is told apart by its process id.
 */
export async function waitForDialog(xvfb: Xvfb, run: RunOf, seen: readonly number[] = [], timeoutMs = defaultWaitMs): Promise<Dialog> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const zenity = zenitiesOf(run).find((info) => !seen.includes(info.pid));
    if (zenity !== undefined) {
      const search = await xdotool(
        xvfb,
        ['search', '--sync', '--onlyvisible', '--pid', String(zenity.pid)],
        Math.max(1000, deadline - Date.now()),
      );
      const window = search.split('\n')[0]?.trim();
      if (window) return { pid: zenity.pid, window, argv: zenity.argv };
    }
    if (Date.now() >= deadline) throw new Error(`no new zenity dialog of ${JSON.stringify(run)} within ${timeoutMs} ms`);
    await sleep(pollIntervalMs);
  }
}

/** Types into the dialog and presses Return; a bare Xvfb has no window manager, so focus is set directly. */
export async function answerDialog(xvfb: Xvfb, dialog: Dialog, text: string): Promise<void> {
  await xdotool(xvfb, ['windowfocus', '--sync', dialog.window]);
  await xdotool(xvfb, ['type', '--delay', '20', text]);
  await xdotool(xvfb, ['key', 'Return']);
}

/** Presses Escape in the dialog: zenity's Cancel. */
export async function cancelDialog(xvfb: Xvfb, dialog: Dialog): Promise<void> {
  await xdotool(xvfb, ['windowfocus', '--sync', dialog.window]);
  await xdotool(xvfb, ['key', 'Escape']);
}

async function xdotool(xvfb: Xvfb, args: readonly string[], timeoutMs = 10_000): Promise<string> {
  const result = await runProcess('xdotool', args, { env: { ...process.env, DISPLAY: xvfb.display }, cwd: '/', timeoutMs });
  if (result.code !== 0) throw new Error(`xdotool ${args.join(' ')} exited with ${result.code ?? result.signal}: ${result.stderr}`);
  return result.stdout;
}
