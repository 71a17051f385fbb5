import { askOnTerminal } from '../cli/terminal-prompt.js';
import { validateMfaCode } from '../config/validate.js';
import type { Io } from '../core/io.js';

export async function promptForMfaCode(io: Io, profile: string, mfaSerial: string): Promise<string> {
  const code = await askOnTerminal(
    io,
    'the MFA code',
    ({ input }, context) =>
      input(
        {
          message: `MFA code for ${profile} (${mfaSerial}):`,
          validate: (value) => /^\d{6}$/.test(value.trim()) || 'Enter the 6 digits your MFA device shows',
        },
        context,
      ),
    'pass --code, or run `aws-mfa login` in a terminal first',
  );
  return validateMfaCode(code.trim(), 'the prompt');
}
