import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach } from 'vitest';
import { cliPath } from './paths.js';
import { killGroup, type RunResult } from './process.js';
import type { EnvOverrides, Sandbox } from './sandbox.js';

const pollIntervalMs = 50;
const defaultWaitMs = 20_000;

/**
 * bin/aws-mfa started in the background with no terminal (a new session, like runCli), so a test
 * can watch its stderr while it runs, and kill it (with everything it started) at any moment.
 */
export class BackgroundCli {
  readonly pid: number;
  readonly exited: Promise<RunResult>;
  #child: ChildProcess;
  #stdout = '';
  #stderr = '';
  #result: RunResult | undefined;

  /** `command`: another program (the AWS CLI, say) to start instead of bin/aws-mfa, `args` after it. */
  constructor(box: Sandbox, args: readonly string[], options: { env?: EnvOverrides; command?: string } = {}) {
    const command = options.command ?? cliPath;
    const child = spawn(command, args, { cwd: box.home, env: box.env(options.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    this.#child = child;
    this.pid = child.pid;
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.#stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr += chunk));
    this.exited = new Promise((resolveExit, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        this.#result = { code, signal, stdout: this.#stdout, stderr: this.#stderr };
        resolveExit(this.#result);
      });
    });
  }

  get stderr(): string {
    return this.#stderr;
  }

  get running(): boolean {
    return this.#result === undefined;
  }

  /** Sends a signal to the process group (the CLI and anything it started). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    killGroup(this.#child.pid, signal);
  }

  /** Waits until stderr shows text; fails (and says what it shows) after timeoutMs or on exit. */
  async waitForStderr(text: string, timeoutMs = defaultWaitMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#stderr.includes(text)) {
      if (!this.running || Date.now() >= deadline) {
        const why = this.running ? `within ${timeoutMs} ms` : 'before it exited';
        throw new Error(`aws-mfa (pid ${this.pid}) did not print ${JSON.stringify(text)} ${why}; stderr: ${this.#stderr}`);
      }
      await sleep(pollIntervalMs);
    }
  }

  /** The exit status; the process group is killed and the wait fails after timeoutMs. */
  async result(timeoutMs = 60_000): Promise<RunResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new Error(`aws-mfa (pid ${this.pid}) did not exit within ${timeoutMs} ms; stderr: ${this.#stderr}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Starts BackgroundClis for the tests of a file (call at file level): after each test, whatever
 * still runs is killed, with everything it started, so that a failed test leaves no aws-mfa
 * holding a lock in a removed HOME.
 */
export function useBackgroundClis(): (box: Sandbox, args: readonly string[]) => BackgroundCli {
  let started: BackgroundCli[] = [];
  afterEach(async () => {
    for (const cli of started) if (cli.running) cli.kill();
    await Promise.all(started.map((cli) => cli.exited.catch(() => undefined)));
    started = [];
  });
  return (box, args) => {
    const cli = new BackgroundCli(box, args);
    started.push(cli);
    return cli;
  };
}
