/** The environment as the tool reads it: never written to. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Everything a command touches outside its arguments. stdout is a protocol for
 * credential-process and env, so commands never reach for process.stdout themselves.
 */
export interface Io {
  readonly env: Env;
  readonly platform: NodeJS.Platform;
  /** Program output: credential_process JSON, shell lines, command results. */
  writeStdout(text: string): void;
  /** Messages for the user (swallowed by credential_process callers on success). */
  writeStderr(text: string): void;
  /**
   * A message the user must see even under credential_process, whose caller swallows stderr:
   * written to the terminal when there is one, else to stderr.
   */
  notice(text: string): void;
  /** Details for --debug; never given a secret. */
  debug(text: string): void;
  now(): Date;
  /** stdin is a terminal: Ctrl-C reaches child processes directly, and secrets are asked for, not read. */
  readonly stdinIsTerminal: boolean;
  /** stderr is a terminal: progress that rewrites its line is shown only then. */
  readonly stderrIsTerminal: boolean;
  /**
   * stdin, for secrets piped in (never on the command line): all of it, or only its first line (at
   * most 64 KiB of it), so that a writer that never stops (`yes SEED | aws-mfa add …`) cannot hang aws-mfa.
   */
  readStdin(extent?: 'all' | 'first line'): Promise<string>;
  /** The controlling terminal, for prompts; throws AwsMfaError when there is none. */
  openTerminal(): Terminal;
}

export interface Terminal {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  close(): void;
}

/** The notices each Io (one per process) has written: a credential server renews sessions again and again. */
const noticesGiven = new WeakMap<Io, Set<string>>();

/** A notice that says something about the whole run (how a profile is set up): written the first time only. */
export function noticeOnce(io: Io, text: string): void {
  const given = noticesGiven.get(io) ?? new Set<string>();
  noticesGiven.set(io, given);
  if (given.has(text)) return;
  given.add(text);
  io.notice(text);
}
