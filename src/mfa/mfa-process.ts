import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { validateMfaCode } from '../config/validate.js';
import { AwsMfaError } from '../core/errors.js';

const DEFAULT_TIMEOUT_MS = 60_000;
/** Far more than a code: a command printing more is not printing a code, and memory stays bounded. */
const MAX_OUTPUT_BYTES = 64 * 1024;
/** Ample for reading what is left in the pipe after the shell exits. */
const OUTPUT_DRAIN_MS = 200;
/** Time for a timed-out command to restore the terminal (it may have been prompting) before SIGKILL. */
const KILL_GRACE_MS = 1000;

export interface MfaProcessOptions {
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
  debug?(line: string): void;
}

type Outcome = { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null; stdout: Buffer | undefined } | { kind: 'timed out' };

/**
 * Runs `mfa_process` (as aws-vault has it) through the platform shell and returns the 6-digit code
 * it prints. It keeps the terminal (stdin is not given, stderr is the user's), so it may prompt
 * there itself. Its output may be a secret: no message repeats it, and only --debug shows the command.
 */
export async function runMfaProcess(command: string, options: MfaProcessOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  options.debug?.(`running mfa_process: ${command}`);
  const child = startShell(command, options.env);
  const timer = new AbortController();
  const outcome = await Promise.race([exitOf(child), timeout(timeoutMs, timer.signal)]).finally(() => timer.abort());
  if (outcome.kind === 'timed out') {
    await stopTree(child);
    throw failed(`timed out after ${formatSeconds(timeoutMs)}`);
  }
  options.debug?.(`mfa_process ended with ${outcome.signal ?? `status ${outcome.code}`}`);
  if (outcome.signal !== null) throw failed(`killed by signal ${outcome.signal}`);
  if (outcome.code !== 0) throw failed(`exited with status ${outcome.code}`);
  if (outcome.stdout === undefined) throw failed(`printed more than ${MAX_OUTPUT_BYTES / 1024} KiB`);
  return codeFrom(outcome.stdout.toString('utf8'));
}

/** `shell: true` is `/bin/sh -c` on POSIX and `cmd.exe /d /s /c` on Windows. */
function startShell(command: string, env: Readonly<Record<string, string | undefined>>): ChildProcess {
  return spawn(command, { shell: true, env: { ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

/**
 * Its exit status and output (undefined when over the bound). Output is taken once the shell has
 * exited and stdout has ended, or shortly after the exit: a daemon it started (an agent of a
 * password manager) may hold stdout open for good.
 */
function exitOf(child: ChildProcess): Promise<Outcome> {
  const chunks: Buffer[] = [];
  let byteCount = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    byteCount += chunk.length;
    if (byteCount <= MAX_OUTPUT_BYTES) chunks.push(chunk);
  });
  const stdoutClosed = new Promise((resolve) => (child.stdout ? child.stdout.once('close', resolve) : resolve(undefined)));
  return new Promise((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => reject(failed(`cannot start it: ${error.code ?? error.message}`)));
    child.on('exit', async (code, signal) => {
      await Promise.race([stdoutClosed, sleep(OUTPUT_DRAIN_MS)]);
      child.stdout?.destroy();
      const stdout = byteCount <= MAX_OUTPUT_BYTES ? Buffer.concat(chunks) : undefined;
      resolve({ kind: 'exited', code, signal, stdout });
    });
  });
}

function timeout(ms: number, signal: AbortSignal): Promise<Outcome> {
  return sleep(ms, { kind: 'timed out' }, { signal });
}

function codeFrom(output: string): string {
  try {
    return validateMfaCode(output.trim(), 'mfa_process');
  } catch {
    throw failed('printed no 6-digit code', 'it must print only the code on stdout');
  }
}

function failed(why: string, hint = 'check mfa_process in the config profile'): AwsMfaError {
  return new AwsMfaError('mfa_process failed', why, { hint });
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * The shell may have started other processes (a pipeline, a subshell): SIGTERM reaches them all,
 * then SIGKILL whatever is left. The child shares aws-mfa's process group, so that it can use the
 * terminal, and cannot be killed as a group.
 */
async function stopTree(child: ChildProcess): Promise<void> {
  child.stdout?.destroy();
  if (child.pid === undefined) return;
  if (process.platform === 'win32') {
    await runQuietly('taskkill', ['/pid', String(child.pid), '/t', '/f']);
    return;
  }
  const pids = await processTree(child.pid);
  signalAll(pids, 'SIGTERM');
  await Promise.race([once(child, 'exit'), sleep(KILL_GRACE_MS)]);
  signalAll(pids, 'SIGKILL');
}

/** `pid` and its descendants, from `ps` (POSIX); only `pid` when ps is not there. */
async function processTree(pid: number): Promise<number[]> {
  const childrenOf = new Map<number, number[]>();
  for (const line of (await runQuietly('ps', ['-A', '-o', 'pid=', '-o', 'ppid='])).split('\n')) {
    const [childPid, parentPid] = line.trim().split(/\s+/).map(Number);
    if (childPid === undefined || parentPid === undefined) continue;
    childrenOf.set(parentPid, [...(childrenOf.get(parentPid) ?? []), childPid]);
  }
  const tree = [pid];
  for (const member of tree) tree.push(...(childrenOf.get(member) ?? []));
  return tree;
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Its stdout, or '' when it cannot run or fails. */
function runQuietly(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve) => execFile(file, args, { windowsHide: true }, (error, stdout) => resolve(error ? '' : stdout)));
}
