import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import { killGroup } from './process.js';

const startTimeoutMs = 15_000;

/**
 * A bare Xvfb (no window manager) on a display number it picks itself (-displayfd), so that
 * tests of other worktrees running their own Xvfb never collide with it.
 */
export class Xvfb {
  #child: ChildProcess | undefined;
  #display: string | undefined;

  /** DISPLAY for processes that should see this server (`:N`). */
  get display(): string {
    if (this.#display === undefined) throw new Error('Xvfb is not running: call start() (or useXvfb()) first');
    return this.#display;
  }

  async start(): Promise<void> {
    const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let output = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const displayFd = child.stdio[3] as Readable;
    const number = await new Promise<string>((resolveNumber, reject) => {
      let written = '';
      const timer = setTimeout(() => reject(new Error(`Xvfb did not start within ${startTimeoutMs} ms: ${output}`)), startTimeoutMs);
      displayFd.setEncoding('utf8').on('data', (chunk: string) => {
        written += chunk;
        if (!written.includes('\n')) return;
        clearTimeout(timer);
        resolveNumber(written.trim());
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`Xvfb could not start (apt-get install xvfb): ${error.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Xvfb exited with ${code ?? signal}: ${output}`));
      });
    });
    this.#display = `:${number}`;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    this.#display = undefined;
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
    killGroup(child.pid, 'SIGTERM');
    await exited;
  }
}

/** An Xvfb for the test file: started in beforeAll, stopped in afterAll. */
export function useXvfb(): Xvfb {
  const xvfb = new Xvfb();
  beforeAll(() => xvfb.start());
  afterAll(() => xvfb.stop());
  return xvfb;
}
