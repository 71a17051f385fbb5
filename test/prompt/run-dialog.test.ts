import { describe, expect, it } from 'vitest';
import type { DialogCommand } from '../../src/prompt/dialog-commands.js';
import { runDialog } from '../../src/prompt/run-dialog.js';

/** A stand-in dialog: a shell script, with exit 1 read as Cancel as zenity's is. */
function shellDialog(script: string): DialogCommand {
  return { program: '/bin/sh', args: ['-c', script], isCancel: (exitCode) => exitCode === 1 };
}

const env = { PATH: process.env.PATH };

describe('runDialog', () => {
  it("reads the answer from the dialog's stdout, without the line end", async () => {
    await expect(runDialog(shellDialog("printf '135790\\r\\n'"), env, 10_000)).resolves.toEqual({ kind: 'answer', answer: '135790' });
  });

  it('passes the command its own environment variables', async () => {
    const command = { ...shellDialog('printf %s "$DIALOG_TEXT"'), env: { DIALOG_TEXT: 'MFA code for prod' } };
    await expect(runDialog(command, env, 10_000)).resolves.toEqual({ kind: 'answer', answer: 'MFA code for prod' });
  });

  it('gives nothing to the dialog on stdin', async () => {
    await expect(runDialog(shellDialog('cat; printf done'), env, 10_000)).resolves.toEqual({ kind: 'answer', answer: 'done' });
  });

  it('tells Cancel from a missing program and from a failure, whose last stderr line is the reason', async () => {
    await expect(runDialog(shellDialog('exit 1'), env, 10_000)).resolves.toEqual({ kind: 'cancelled' });
    await expect(runDialog({ ...shellDialog(''), program: 'aws-mfa-no-such-dialog' }, env, 10_000)).resolves.toEqual({
      kind: 'not installed',
    });
    await expect(
      runDialog(shellDialog("echo 'Gtk-WARNING: noise' >&2; echo 'cannot open display' >&2; exit 255"), env, 10_000),
    ).rejects.toThrow('MFA code dialog failed: /bin/sh exited with 255: cannot open display');
  });

  it('closes a dialog nobody answers and fails', async () => {
    await expect(runDialog(shellDialog('exec sleep 30'), env, 200)).rejects.toThrow('MFA code dialog: no answer within 1 s');
  });
});
