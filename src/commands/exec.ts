import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import { AwsMfaError, UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { sessionEnvironment, VARIABLES_REMOVED_FOR_SESSION } from '../output/session-environment.js';
import type { SessionDependencies } from '../providers/dependencies.js';
import { type SessionOptions, sessionForProfile } from '../providers/session-for-profile.js';

export interface ExecInput extends SessionOptions {
  /** The command and its arguments, after `--`. */
  readonly command: readonly string[];
}

/** Signals passed on to the child. SIGWINCH needs none: the terminal sends it to the whole group. */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
/** A terminal delivers these to every process of the foreground group, the child included. */
const TERMINAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];
const EXIT_COMMAND_NOT_FOUND = 127;
const EXIT_COMMAND_NOT_EXECUTABLE = 126;

/** `exec -- CMD ARGS`: runs CMD with the session in its environment and returns its exit status. */
export async function execCommand(input: ExecInput, deps: SessionDependencies): Promise<number> {
  const { io } = deps;
  const [program, ...args] = input.command;
  if (program === undefined)
    throw new UsageError('nothing to run', 'exec needs a command', { hint: 'aws-mfa exec -p NAME -- COMMAND ARGS' });
  const { credentials, chain } = await sessionForProfile(input, deps);
  const childEnvironment: NodeJS.ProcessEnv = { ...io.env };
  for (const name of VARIABLES_REMOVED_FOR_SESSION) delete childEnvironment[name];
  Object.assign(childEnvironment, Object.fromEntries(sessionEnvironment(credentials, chain.named.region)));
  const { default: spawn } = await import('cross-spawn');
  const child = spawn(program, args, { stdio: 'inherit', env: childEnvironment });
  return waitForChild(child, program, io);
}

function waitForChild(child: ChildProcess, program: string, io: Io): Promise<number> {
  const forwarded = FORWARDED_SIGNALS.filter((signal) => !(io.stdinIsTerminal && TERMINAL_SIGNALS.includes(signal)));
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  // Listening keeps aws-mfa alive on a terminal's Ctrl-C, so it can report the child's status.
  const handlers = FORWARDED_SIGNALS.map((signal) => [signal, forwarded.includes(signal) ? forward : () => {}] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  const stopListening = () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
  return new Promise<number>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      stopListening();
      if (error.code === 'ENOENT') {
        io.writeStderr(`aws-mfa: cannot run ${program}: command not found\n`);
        resolve(EXIT_COMMAND_NOT_FOUND);
      } else if (error.code === 'EACCES') {
        io.writeStderr(`aws-mfa: cannot run ${program}: permission denied\n`);
        resolve(EXIT_COMMAND_NOT_EXECUTABLE);
      } else {
        reject(new AwsMfaError(`cannot run ${program}`, error.code ?? error.message, { cause: error }));
      }
    });
    child.once('exit', (code, signal) => {
      stopListening();
      resolve(signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 0));
    });
  });
}
