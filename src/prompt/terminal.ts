import type { Io } from '../core/io.js';
import { askOnTerminal } from './ask-on-terminal.js';
import { type MfaQuestion, mfaQuestionText, NO_PROMPT_HINT, whyNotAnMfaCode } from './mfa-prompt.js';

export async function askMfaCodeOnTerminal(io: Io, question: MfaQuestion): Promise<string> {
  const code = await askOnTerminal(
    io,
    'the MFA code',
    ({ input }, context) =>
      input({ message: mfaQuestionText(question), validate: (value) => whyNotAnMfaCode(value.trim()) ?? true }, context),
    NO_PROMPT_HINT,
  );
  return code.trim();
}
