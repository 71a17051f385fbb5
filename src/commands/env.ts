import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { sessionEnvironment, VARIABLES_REMOVED_FOR_SESSION } from '../output/session-environment.js';
import { formatShellScript, isShell, SHELLS } from '../output/shell-script.js';
import { type SessionOptions, sessionForProfile } from '../session/session-for-profile.js';

export interface EnvOptions extends SessionOptions {
  readonly shell?: string | undefined;
}

/** `env`: lines that export the session into the calling shell. */
export async function envCommand(options: EnvOptions, io: Io): Promise<number> {
  const shell = options.shell ?? 'sh';
  if (!isShell(shell)) throw new UsageError('bad --shell', `'${shell}' is not one of ${SHELLS.join(', ')}`);
  const { credentials, settings } = await sessionForProfile(options, io);
  io.writeStdout(formatShellScript(shell, sessionEnvironment(credentials, settings.region), VARIABLES_REMOVED_FOR_SESSION));
  return 0;
}
