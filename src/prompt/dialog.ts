import { AwsMfaError, ExitCode } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { type DialogCommand, dialogCommands } from './dialog-commands.js';
import { type MfaQuestion, mfaQuestionText, NO_PROMPT_HINT, NoDialogError, whyNotAnMfaCode } from './mfa-prompt.js';
import { type DialogOutcome, runDialog } from './run-dialog.js';

/** As long as other aws-mfa processes wait for the lock that the asking one holds (resolve-session.ts). */
export const DIALOG_TIMEOUT_MS = 2 * 60 * 1000;

export type DialogRunner = (command: DialogCommand, env: Io['env'], timeoutMs: number) => Promise<DialogOutcome>;

/**
 * Asks for the code in a dialog of this system, again with the reason while the answer is not a
 * code. Cancel is exit 130.
 */
export async function askMfaCodeInDialog(io: Io, question: MfaQuestion, run: DialogRunner = runDialog): Promise<string> {
  let reason: string | undefined;
  for (;;) {
    const text = reason === undefined ? mfaQuestionText(question) : `${mfaQuestionText(question)}\n${reason}`;
    const outcome = await showFirstInstalled(dialogCommands(io.platform, io.env, { title: `aws-mfa: ${question.profile}`, text }), io, run);
    if (outcome.kind === 'cancelled') throw new AwsMfaError('MFA code dialog', 'cancelled', { exitCode: ExitCode.interrupted });
    reason = whyNotAnMfaCode(outcome.answer);
    if (reason === undefined) return outcome.answer;
    io.debug('the answer in the MFA code dialog is not 6 digits: asking again');
  }
}

async function showFirstInstalled(
  commands: readonly DialogCommand[],
  io: Io,
  run: DialogRunner,
): Promise<Exclude<DialogOutcome, { kind: 'not installed' }>> {
  if (commands.length === 0) {
    throw new NoDialogError('display', 'no display (DISPLAY or WAYLAND_DISPLAY) to show a dialog on', NO_PROMPT_HINT);
  }
  for (const command of commands) {
    const outcome = await run(command, io.env, DIALOG_TIMEOUT_MS);
    if (outcome.kind !== 'not installed') return outcome;
    io.debug(`no ${command.program} for the MFA code dialog`);
  }
  const programs = commands.map((command) => command.program).join(' or ');
  throw new NoDialogError('program', `no dialog program (${programs}) is installed`, `install ${programs}, or ${NO_PROMPT_HINT}`);
}
