import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/errors.js';
import type { Io } from '../../src/core/io.js';
import { askMfaCodeInDialog, DIALOG_TIMEOUT_MS, type DialogRunner } from '../../src/prompt/dialog.js';
import type { DialogCommand } from '../../src/prompt/dialog-commands.js';
import { NoDialogError } from '../../src/prompt/mfa-prompt.js';
import type { DialogOutcome } from '../../src/prompt/run-dialog.js';
import { createFakeIo } from '../fakes/fake-io.js';

const question = { profile: 'prod', mfaSerial: 'arn:aws:iam::123456789012:mfa/alice' };
const QUESTION_TEXT = 'MFA code for prod (arn:aws:iam::123456789012:mfa/alice):';
const REASON = 'Enter the 6 digits your MFA device shows';

/** A runner that answers with the outcomes in turn and records every command it was given. */
function scripted(outcomes: DialogOutcome[]): DialogRunner & { commands: DialogCommand[]; timeouts: number[] } {
  const commands: DialogCommand[] = [];
  const timeouts: number[] = [];
  const run = async (command: DialogCommand, _env: Io['env'], timeoutMs: number) => {
    commands.push(command);
    timeouts.push(timeoutMs);
    const outcome = outcomes.shift();
    if (outcome === undefined) throw new Error(`unexpected dialog: ${command.program}`);
    return outcome;
  };
  return Object.assign(run, { commands, timeouts });
}

function ioOn(platform: NodeJS.Platform, env: Record<string, string> = {}): Io {
  return { ...createFakeIo({ env }), platform };
}

const answer = (text: string): DialogOutcome => ({ kind: 'answer', answer: text });

describe('askMfaCodeInDialog', () => {
  it.each([
    ['linux', { DISPLAY: ':0' }, 'zenity'],
    ['darwin', {}, 'osascript'],
    ['win32', {}, 'powershell.exe'],
  ] as const)(
    'on %s asks with %s; a wrong answer is asked again with the reason; no answer is on a command line',
    async (platform, env, program) => {
      const run = scripted([answer('12 34'), answer('1234567'), answer('135790')]);

      await expect(askMfaCodeInDialog(ioOn(platform, env), question, run)).resolves.toBe('135790');

      expect(run.commands.map((command) => command.program)).toEqual([program, program, program]);
      const shown = run.commands.map((command) => [...command.args, ...Object.values(command.env ?? {})].join('\n'));
      expect(shown[0]).toContain('aws-mfa: prod');
      expect(shown[0]).toContain(QUESTION_TEXT);
      expect(shown[0]).not.toContain(REASON);
      for (const later of shown.slice(1)) expect(later).toContain(`${QUESTION_TEXT}\n${REASON}`);
      for (const line of shown) expect(line).not.toMatch(/98 76|9876543|975310/);
      expect(run.timeouts).toEqual([DIALOG_TIMEOUT_MS, DIALOG_TIMEOUT_MS, DIALOG_TIMEOUT_MS]);
    },
  );

  it('Cancel is exit 130 with one line', async () => {
    const run = scripted([answer('x'), { kind: 'cancelled' }]);

    const error = await askMfaCodeInDialog(ioOn('linux', { DISPLAY: ':0' }), question, run).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ exitCode: ExitCode.interrupted });
    expect((error as NoDialogError).toLine()).toBe('aws-mfa: MFA code dialog: cancelled');
  });

  it('falls back to kdialog when zenity is not installed, and asks kdialog again', async () => {
    const run = scripted([{ kind: 'not installed' }, answer(''), { kind: 'not installed' }, answer('000000')]);

    await expect(askMfaCodeInDialog(ioOn('linux', { WAYLAND_DISPLAY: 'wayland-0' }), question, run)).resolves.toBe('000000');

    expect(run.commands.map((command) => command.program)).toEqual(['zenity', 'kdialog', 'zenity', 'kdialog']);
  });

  it('without a display: a NoDialogError that says so, and no dialog started', async () => {
    const run = scripted([]);

    const error = await askMfaCodeInDialog(ioOn('linux'), question, run).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NoDialogError);
    expect(error).toMatchObject({ missing: 'display' });
    expect((error as NoDialogError).toLine()).toBe(
      'aws-mfa: cannot ask for the MFA code: no display (DISPLAY or WAYLAND_DISPLAY) to show a dialog on (pass --code, or run `aws-mfa login` in a terminal first)',
    );
    expect(run.commands).toEqual([]);
  });

  it('with neither zenity nor kdialog: a NoDialogError that names both', async () => {
    const run = scripted([{ kind: 'not installed' }, { kind: 'not installed' }]);

    const error = await askMfaCodeInDialog(ioOn('linux', { DISPLAY: ':0' }), question, run).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ missing: 'program' });
    expect((error as NoDialogError).toLine()).toBe(
      'aws-mfa: cannot ask for the MFA code: no dialog program (zenity or kdialog) is installed (install zenity or kdialog, or pass --code, or run `aws-mfa login` in a terminal first)',
    );
  });
});
