import { AwsMfaError, InterruptedError } from '../cli/errors.js';
import type { Io } from '../cli/io.js';
import { validateMfaCode } from '../config/validate.js';

/**
 * Asks for the MFA code on the controlling terminal, never on stdout: under credential_process
 * stdout is the protocol and stderr is swallowed.
 */
export async function promptForMfaCode(io: Io, profile: string, mfaSerial: string): Promise<string> {
  const terminal = openTerminalForCode(io);
  try {
    const { input } = await import('@inquirer/prompts');
    const code = await input(
      {
        message: `MFA code for ${profile} (${mfaSerial}):`,
        validate: (value) => /^\d{6}$/.test(value.trim()) || 'Enter the 6 digits your MFA device shows',
      },
      { input: terminal.input, output: terminal.output },
    );
    return validateMfaCode(code.trim(), 'the prompt');
  } catch (error) {
    if (isPromptExit(error)) throw new InterruptedError('MFA code prompt');
    throw error;
  } finally {
    terminal.close();
  }
}

function openTerminalForCode(io: Io) {
  try {
    return io.openTerminal();
  } catch (error) {
    throw new AwsMfaError('cannot ask for the MFA code', 'no terminal to prompt on', {
      hint: 'pass --code, or run `aws-mfa login` in a terminal first',
      cause: error,
    });
  }
}

function isPromptExit(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}
