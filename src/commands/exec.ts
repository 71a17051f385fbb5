import type { ChildProcess } from 'node:child_process';
import { lazyBuiltin } from '../core/builtin.js';
import { AwsMfaError, UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { sessionEnvironment, VARIABLES_REMOVED_FOR_SESSION } from '../output/session-environment.js';
import type { SessionDependencies } from '../providers/dependencies.js';
import { type SessionOptions, sessionForProfile } from '../providers/session-for-profile.js';
import type { CredentialProvider } from '../server/credential-server.js';

export interface ExecInput extends SessionOptions {
  /** The command and its arguments, after `--`. */
  readonly command: readonly string[];
  /** Serve the session from a loopback credential server instead of putting it in the environment. */
  readonly server?: boolean | undefined;
}

/** Signals passed on to the child. SIGWINCH needs none: the terminal sends it to the whole group. */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
/** A terminal delivers these to every process of the foreground group, the child included. */
const TERMINAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];
const EXIT_COMMAND_NOT_FOUND = 127;
const EXIT_COMMAND_NOT_EXECUTABLE = 126;

/** `exec -- CMD ARGS`: runs CMD with the session (or, with --server, a server of it) and returns its exit status. */
export async function execCommand(input: ExecInput, deps: SessionDependencies): Promise<number> {
  const { io } = deps;
  const [program, ...args] = input.command;
  if (program === undefined)
    throw new UsageError('nothing to run', 'exec needs a command', { hint: 'aws-mfa exec -p NAME -- COMMAND ARGS' });
  // First, so that any prompt happens before CMD starts.
  const { credentials, chain } = await sessionForProfile(input, deps);
  const region = chain.named.region;
  if (input.server) return runWithServer(program, args, region, renewingProvider(input, deps), io);
  const childEnvironment: NodeJS.ProcessEnv = { ...io.env };
  for (const name of VARIABLES_REMOVED_FOR_SESSION) delete childEnvironment[name];
  Object.assign(childEnvironment, Object.fromEntries(sessionEnvironment(credentials, region)));
  return runChild(program, args, childEnvironment, io);
}

/** The server lives exactly as long as CMD: started before it, closed when it ends, whatever the outcome. */
async function runWithServer(
  program: string,
  args: readonly string[],
  region: string | undefined,
  provider: CredentialProvider,
  io: Io,
): Promise<number> {
  // Imported here: plain exec and the cached path need no HTTP server.
  const [{ startCredentialServer }, { serverChildEnvironment }] = await Promise.all([
    import('../server/credential-server.js'),
    import('../server/child-environment.js'),
  ]);
  const server = await startCredentialServer(provider, {
    onFailure: (line) => io.writeStderr(`${line}\n`),
    debug: io.debug,
  });
  try {
    return await runChild(program, args, serverChildEnvironment(io.env, server, region), io);
  } finally {
    await server.close();
  }
}

/**
 * The session of every later request, through the same cache, lock and chain as
 * `credential-process` with the same options: --code and --force served the first one and are
 * spent; --save has done its work.
 */
function renewingProvider(input: ExecInput, deps: SessionDependencies): CredentialProvider {
  const renewalOptions: SessionOptions = { ...input, code: undefined, force: false, save: false };
  return async () => (await sessionForProfile(renewalOptions, deps)).credentials;
}

async function runChild(program: string, args: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const { default: spawn } = await import('cross-spawn');
  const child = spawn(program, args, { stdio: 'inherit', env });
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
      resolve(signal ? 128 + (lazyBuiltin('node:os').constants.signals[signal] ?? 0) : (code ?? 0));
    });
  });
}
