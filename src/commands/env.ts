import { UsageError } from '../core/errors.js';
import { sessionEnvironment, VARIABLES_REMOVED_FOR_SESSION } from '../output/session-environment.js';
import { formatShellScript, isShell, SHELLS } from '../output/shell-script.js';
import type { SessionDependencies } from '../providers/dependencies.js';
import { type SessionOptions, sessionForProfile } from '../providers/session-for-profile.js';

export interface EnvOptions extends SessionOptions {
  readonly shell?: string | undefined;
}

/** `env`: lines that export the session into the calling shell. */
export async function envCommand(options: EnvOptions, deps: SessionDependencies): Promise<number> {
  const shell = options.shell ?? 'sh';
  if (!isShell(shell)) throw new UsageError('bad --shell', `'${shell}' is not one of ${SHELLS.join(', ')}`);
  const { credentials, chain } = await sessionForProfile(options, deps);
  deps.io.writeStdout(formatShellScript(shell, sessionEnvironment(credentials, chain.named.region), VARIABLES_REMOVED_FOR_SESSION));
  return 0;
}
