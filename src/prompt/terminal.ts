import type { Io } from '../core/io.js';
import { askOnTerminal } from './ask-on-terminal.js';
import { type MfaQuestion, mfaQuestionText, whyNotAnMfaCode } from './mfa-prompt.js';

/** The hint of "no terminal to prompt on", with or without a dialog tried after it. */
export const NO_TERMINAL_HINT = 'pass --code, or run `aws-mfa login` in a terminal first';

export async function askMfaCodeOnTerminal(io: Io, question: MfaQuestion): Promise<string> {
  const code = await askOnTerminal(
    io,
    'the MFA code',
    ({ input }, context) =>
      input({ message: mfaQuestionText(question), validate: (value) => whyNotAnMfaCode(value.trim()) ?? true }, context),
    NO_TERMINAL_HINT,
  );
  return code.trim();
}
