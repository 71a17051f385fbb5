import { AwsMfaError } from '../core/errors.js';
import { NoTerminalError } from './ask-on-terminal.js';
import { type MfaPrompt, type MfaPrompts, NoDialogError, type PromptName } from './mfa-prompt.js';

/**
 * The prompt a name stands for. `auto` asks on the terminal, else in a dialog; with neither, the
 * error is the terminal's (no display) or says both are missing (a display but no dialog program).
 */
export function pickMfaPrompt(name: PromptName, prompts: MfaPrompts): MfaPrompt {
  if (name !== 'auto') return prompts[name];
  return async (question) => {
    try {
      return await prompts.terminal(question);
    } catch (noTerminal) {
      if (!(noTerminal instanceof NoTerminalError)) throw noTerminal;
      try {
        return await prompts.dialog(question);
      } catch (noDialog) {
        if (!(noDialog instanceof NoDialogError)) throw noDialog;
        if (noDialog.missing === 'display') throw noTerminal;
        throw new AwsMfaError(noDialog.what, `${noTerminal.why}, and ${noDialog.why}`, { hint: noDialog.hint });
      }
    }
  };
}
