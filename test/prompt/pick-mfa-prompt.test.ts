import { describe, expect, it } from 'vitest';
import { AwsMfaError } from '../../src/core/errors.js';
import { NoTerminalError } from '../../src/prompt/ask-on-terminal.js';
import { type MfaPrompt, type MfaPrompts, NoDialogError } from '../../src/prompt/mfa-prompt.js';
import { pickMfaPrompt } from '../../src/prompt/pick-mfa-prompt.js';

const question = { profile: 'prod', mfaSerial: 'arn:aws:iam::123456789012:mfa/alice' };
const noTerminal = new NoTerminalError('cannot ask for the MFA code', 'no terminal to prompt on', { hint: 'pass --code' });
const noDisplay = new NoDialogError('display', 'no display (DISPLAY or WAYLAND_DISPLAY) to show a dialog on', 'pass --code');
const noProgram = new NoDialogError('program', 'no dialog program (zenity or kdialog) is installed', 'install zenity or kdialog');

/** Prompts that answer or fail as told, and record which of them was asked. */
function prompts(terminal: string | Error, dialog: string | Error): MfaPrompts & { asked: string[] } {
  const asked: string[] = [];
  const prompt =
    (name: string, outcome: string | Error): MfaPrompt =>
    async (received) => {
      expect(received).toEqual(question);
      asked.push(name);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    };
  return { terminal: prompt('terminal', terminal), dialog: prompt('dialog', dialog), asked };
}

describe('pickMfaPrompt', () => {
  it('auto asks on the terminal when there is one, and shows no dialog', async () => {
    const available = prompts('111111', '222222');
    await expect(pickMfaPrompt('auto', available)(question)).resolves.toBe('111111');
    expect(available.asked).toEqual(['terminal']);
  });

  it('auto shows a dialog when there is no terminal', async () => {
    const available = prompts(noTerminal, '222222');
    await expect(pickMfaPrompt('auto', available)(question)).resolves.toBe('222222');
    expect(available.asked).toEqual(['terminal', 'dialog']);
  });

  it("auto with no terminal and no display fails with the terminal's error, as before dialogs", async () => {
    await expect(pickMfaPrompt('auto', prompts(noTerminal, noDisplay))(question)).rejects.toBe(noTerminal);
  });

  it('auto with no terminal and a display but no dialog program says both', async () => {
    const error = await pickMfaPrompt('auto', prompts(noTerminal, noProgram))(question).catch((caught: unknown) => caught);
    expect((error as AwsMfaError).toLine()).toBe(
      'aws-mfa: cannot ask for the MFA code: no terminal to prompt on, and no dialog program (zenity or kdialog) is installed (install zenity or kdialog)',
    );
  });

  it('auto passes on any other failure of either prompt as it is', async () => {
    const interrupted = new AwsMfaError('MFA code prompt', 'interrupted', { exitCode: 130 });
    await expect(pickMfaPrompt('auto', prompts(interrupted, '222222'))(question)).rejects.toBe(interrupted);
    const cancelled = new AwsMfaError('MFA code dialog', 'cancelled', { exitCode: 130 });
    await expect(pickMfaPrompt('auto', prompts(noTerminal, cancelled))(question)).rejects.toBe(cancelled);
  });

  it('terminal never shows a dialog; dialog never asks on the terminal', async () => {
    const terminalOnly = prompts(noTerminal, '222222');
    await expect(pickMfaPrompt('terminal', terminalOnly)(question)).rejects.toBe(noTerminal);
    expect(terminalOnly.asked).toEqual(['terminal']);

    const dialogOnly = prompts('111111', '222222');
    await expect(pickMfaPrompt('dialog', dialogOnly)(question)).resolves.toBe('222222');
    expect(dialogOnly.asked).toEqual(['dialog']);
  });
});
