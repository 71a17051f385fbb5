import type { Io } from '../core/io.js';
import type { MfaPrompts } from './mfa-prompt.js';

/** The real prompts, each loaded when it first asks: the cached path loads neither. */
export function systemMfaPrompts(io: Io): MfaPrompts {
  return {
    terminal: async (question) => (await import('./terminal.js')).askMfaCodeOnTerminal(io, question),
    dialog: async (question) => (await import('./dialog.js')).askMfaCodeInDialog(io, question),
  };
}
