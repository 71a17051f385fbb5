import { spawn } from 'node:child_process';
import { AwsMfaError } from '../core/errors.js';
import type { Env } from '../core/io.js';
import type { DialogCommand } from './dialog-commands.js';

export type DialogOutcome =
  | { readonly kind: 'answer'; readonly answer: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'not installed' };

/** A code is 6 digits: anything much longer is not read to the end. */
const MAX_ANSWER_BYTES = 4096;

/**
 * Shows one dialog and waits for it. The answer is read from the dialog's stdout, so it is never on
 * a command line; stdin is /dev/null. A dialog nobody answers within `timeoutMs` is closed and
 * fails: the lock it holds would otherwise keep every other aws-mfa waiting.
 */
export function runDialog(command: DialogCommand, env: Env, timeoutMs: number): Promise<DialogOutcome> {
  return new Promise((resolveOutcome, reject) => {
    // No windowsHide: it would also pass SW_HIDE to the dialog's own first window on Windows.
    const child = spawn(command.program, command.args, { env: { ...env, ...command.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdoutBytes < MAX_ANSWER_BYTES) stdout.push(chunk);
      stdoutBytes += chunk.length;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_ANSWER_BYTES) stderr += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOENT') resolveOutcome({ kind: 'not installed' });
      else reject(new AwsMfaError('cannot show the MFA code dialog', `${command.program} failed to start: ${error.message}`));
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new AwsMfaError('MFA code dialog', `no answer within ${Math.ceil(timeoutMs / 1000)} s`, {
            hint: 'run the command again when you can answer',
          }),
        );
      } else if (exitCode === 0) {
        resolveOutcome({ kind: 'answer', answer: Buffer.concat(stdout).toString('utf8').trim() });
      } else if (command.isCancel(exitCode, stderr)) {
        resolveOutcome({ kind: 'cancelled' });
      } else {
        const why = `${command.program} exited with ${exitCode ?? signal}${lastLine(stderr) ? `: ${lastLine(stderr)}` : ''}`;
        reject(new AwsMfaError('MFA code dialog failed', why));
      }
    });
  });
}

/** A dialog's own error is its last line: GTK prints warnings before it. */
function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}
