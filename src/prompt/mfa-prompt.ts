import { AwsMfaError, UsageError } from '../core/errors.js';

/** How the MFA code is asked for when nothing else gives it: `auto` is the terminal, else a dialog. */
export const PROMPT_NAMES = ['auto', 'terminal', 'dialog'] as const;
export type PromptName = (typeof PROMPT_NAMES)[number];

/** Whose code is asked for: the title and text of every prompt name both. */
export interface MfaQuestion {
  readonly profile: string;
  readonly mfaSerial: string;
}

/** Asks for one MFA code and resolves with 6 digits; a cancelled prompt rejects with exit code 130. */
export type MfaPrompt = (question: MfaQuestion) => Promise<string>;

/** The prompts a name can pick; `auto` picks between them (pick-mfa-prompt.ts). */
export interface MfaPrompts {
  readonly terminal: MfaPrompt;
  readonly dialog: MfaPrompt;
}

/** What to do when no prompt can ask: the same words whichever prompt it was. */
export const NO_PROMPT_HINT = 'pass --code, or run `aws-mfa login` in a terminal first';

/** No dialog can be shown here: no display, or no dialog program installed. */
export class NoDialogError extends AwsMfaError {
  override name = 'NoDialogError';
  readonly missing: 'display' | 'program';

  constructor(missing: 'display' | 'program', why: string, hint: string) {
    super('cannot ask for the MFA code', why, { hint });
    this.missing = missing;
  }
}

export function parsePromptName(value: string, source: string): PromptName {
  const name = PROMPT_NAMES.find((candidate) => candidate === value);
  if (name === undefined)
    throw new UsageError(`bad prompt from ${source}`, `${JSON.stringify(value)} is not one of ${PROMPT_NAMES.join(', ')}`);
  return name;
}

export function mfaQuestionText(question: MfaQuestion): string {
  return `MFA code for ${question.profile} (${question.mfaSerial}):`;
}

/** Why an answer is not an MFA code, in words for the person who typed it; undefined when it is one. */
export function whyNotAnMfaCode(answer: string): string | undefined {
  return /^\d{6}$/.test(answer) ? undefined : 'Enter the 6 digits your MFA device shows';
}
