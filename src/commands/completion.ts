import { COMPLETION_SHELLS } from '../cli/command-table.js';
import { bashCompletionScript } from '../cli/completion/bash.js';
import { completionModel } from '../cli/completion/completion-model.js';
import { fishCompletionScript } from '../cli/completion/fish.js';
import { powershellCompletionScript } from '../cli/completion/powershell.js';
import { zshCompletionScript } from '../cli/completion/zsh.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';

type CompletionShell = (typeof COMPLETION_SHELLS)[number];

const SCRIPTS: Record<CompletionShell, typeof bashCompletionScript> = {
  bash: bashCompletionScript,
  zsh: zshCompletionScript,
  fish: fishCompletionScript,
  powershell: powershellCompletionScript,
};

/** `completion SHELL`: prints the completion script, generated from the command table. */
export function completionCommand(shell: string, io: Io): number {
  if (!isCompletionShell(shell)) {
    throw new UsageError('bad shell', `'${shell}' is not one of ${COMPLETION_SHELLS.join(', ')}`, {
      hint: 'see aws-mfa completion --help',
    });
  }
  io.writeStdout(SCRIPTS[shell](completionModel()));
  return 0;
}

function isCompletionShell(shell: string): shell is CompletionShell {
  return (COMPLETION_SHELLS as readonly string[]).includes(shell);
}
