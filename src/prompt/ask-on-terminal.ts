import { AwsMfaError, InterruptedError } from '../core/errors.js';
import type { Io } from '../core/io.js';

type InquirerPrompts = typeof import('@inquirer/prompts');
export type PromptContext = { input: NodeJS.ReadableStream; output: NodeJS.WritableStream };

/** There is no controlling terminal to ask on (an IDE, a desktop launcher, CI). */
export class NoTerminalError extends AwsMfaError {
  override name = 'NoTerminalError';
}

/**
 * Runs an inquirer prompt on the controlling terminal, never on stdout: under credential_process
 * stdout is the protocol and stderr is swallowed. `what` names what is asked for, in errors.
 */
export async function askOnTerminal<T>(
  io: Io,
  what: string,
  ask: (prompts: InquirerPrompts, context: PromptContext) => Promise<T>,
  noTerminalHint: string,
): Promise<T> {
  let terminal: ReturnType<Io['openTerminal']>;
  try {
    terminal = io.openTerminal();
  } catch (error) {
    throw new NoTerminalError(`cannot ask for ${what}`, 'no terminal to prompt on', { hint: noTerminalHint, cause: error });
  }
  try {
    return await ask(await import('@inquirer/prompts'), { input: terminal.input, output: terminal.output });
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
      // `MFA code prompt: interrupted`, as before prompts were shared: no article before a noun used as a name.
      throw new InterruptedError(`${what.replace(/^the /, '')} prompt`);
    }
    throw error;
  } finally {
    terminal.close();
  }
}
