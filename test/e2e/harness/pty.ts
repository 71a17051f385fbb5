import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runProcess } from './process.js';

export interface PtyOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** How long the command may run after `interact` returns; default 30 s. */
  exitTimeoutMs?: number;
}

export interface PtyResult {
  /** The exit status, or null when a signal killed the command. */
  code: number | null;
  /** The number of the signal that killed the command, or null. */
  signal: number | null;
  /** Everything the terminal showed (stderr, prompts, echoed keys): lines, trailing blank lines dropped. */
  transcript: string;
  /** The command's stdout, which went to a file, not to the terminal. */
  stdout: string;
}

const defaultWaitMs = 10_000;
const defaultExitTimeoutMs = 30_000;
const pollIntervalMs = 50;
const session = 'pty';
const tmuxConfig = [
  // Keep the pane after the command exits, so its status and last output can be read.
  'set -g remain-on-exit on',
  'set -g remain-on-exit-format ""',
  'set -g history-limit 50000',
].join('\n');

/**
 * Runs argv on a real pseudo-terminal (a pane of a private tmux server), lets `interact`
 * read the screen and type, then waits for the command to exit. /dev/tty is that terminal;
 * stdout goes to a file; stderr goes to the terminal. The tmux server is always killed.
 */
export async function runInPty(
  argv: readonly string[],
  options: PtyOptions,
  interact: (terminal: Terminal) => Promise<void>,
): Promise<PtyResult> {
  const terminal = await Terminal.start(argv, options);
  try {
    await interact(terminal);
    return await terminal.waitForExit(options.exitTimeoutMs ?? defaultExitTimeoutMs);
  } finally {
    await terminal.close();
  }
}

/** The terminal that a command runs on: read its screen, type into it. */
export class Terminal {
  readonly #dir: string;
  readonly #options: PtyOptions;

  private constructor(dir: string, options: PtyOptions) {
    this.#dir = dir;
    this.#options = options;
  }

  static async start(argv: readonly string[], options: PtyOptions): Promise<Terminal> {
    const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-pty-'));
    writeFileSync(join(dir, 'tmux.conf'), `${tmuxConfig}\n`);
    const terminal = new Terminal(dir, options);
    const stdoutToFile = ['/bin/sh', '-c', 'out=$1; shift; exec "$@" >"$out"', 'sh', terminal.#stdoutPath];
    try {
      await terminal.#tmux([
        'new-session',
        '-d',
        '-s',
        session,
        '-x',
        '200',
        '-y',
        '50',
        '-c',
        options.cwd,
        '--',
        ...stdoutToFile,
        ...argv,
      ]);
    } catch (error) {
      await terminal.close();
      throw error;
    }
    return terminal;
  }

  /** Everything the terminal has shown so far, scrollback included. */
  async screen(): Promise<string> {
    const captured = await this.#tmux(['capture-pane', '-p', '-J', '-S', '-', '-E', '-', '-t', session]);
    return captured.replace(/\n+$/, '\n');
  }

  /** Waits until the terminal shows text (a prompt, say); fails with the screen after timeoutMs. */
  async waitForText(text: string | RegExp, timeoutMs = defaultWaitMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Checked before the capture: once the command has exited, the screen is final.
      const exited = (await this.#exitStatus()) !== undefined;
      const screen = await this.screen();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return;
      if (exited || Date.now() >= deadline) {
        const why = exited ? 'before the command exited' : `within ${timeoutMs} ms`;
        throw new Error(`the terminal did not show ${String(text)} ${why}; it shows:\n${screen}`);
      }
      await sleep(pollIntervalMs);
    }
  }

  /** Types text as is: `"123456\r"` types a code and presses Enter. */
  async type(text: string): Promise<void> {
    await this.#tmux(['send-keys', '-t', session, '-l', '--', text]);
  }

  /** Presses a key by its tmux name: `"Enter"`, `"C-c"`, `"C-d"`. */
  async press(key: string): Promise<void> {
    await this.#tmux(['send-keys', '-t', session, key]);
  }

  async waitForExit(timeoutMs: number): Promise<PtyResult> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const status = await this.#exitStatus();
      if (status) return { ...status, transcript: await this.screen(), stdout: readFileSync(this.#stdoutPath, 'utf8') };
      await sleep(pollIntervalMs);
    }
    throw new Error(`the command did not exit within ${timeoutMs} ms; the terminal shows:\n${await this.screen()}`);
  }

  async close(): Promise<void> {
    await this.#tmux(['kill-server']).catch(() => undefined);
    rmSync(this.#dir, { recursive: true, force: true });
  }

  get #stdoutPath(): string {
    return join(this.#dir, 'stdout');
  }

  /** The exit status once the command has exited (its pane is dead), else undefined. */
  async #exitStatus(): Promise<{ code: number | null; signal: number | null } | undefined> {
    const format = '#{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{pid}';
    const [dead, code, signal, serverPid] = (await this.#tmux(['display-message', '-p', '-t', session, format])).trimEnd().split(' ');
    if (dead !== '1') return undefined;
    if (!code && !signal) {
      // Debian's tmux (built with libutempter) can miss the SIGCHLD of a command that exits
      // at once, leaving a zombie and no status: signal its server to reap it.
      process.kill(Number(serverPid), 'SIGCHLD');
      return undefined;
    }
    return { code: code ? Number(code) : null, signal: signal ? Number(signal) : null };
  }

  async #tmux(args: readonly string[]): Promise<string> {
    const fullArgs = ['-u', '-S', join(this.#dir, 'tmux.sock'), '-f', join(this.#dir, 'tmux.conf'), ...args];
    const result = await runProcess('tmux', fullArgs, { env: this.#options.env, cwd: this.#options.cwd, timeoutMs: defaultWaitMs });
    if (result.code !== 0) throw new Error(`tmux ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
    return result.stdout;
  }
}
