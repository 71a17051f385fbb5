/** Exit codes of the product contract (PRODUCT.md, "Errors and exit codes"). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  auditFindings: 3,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the user sees as one line: `aws-mfa: <what>: <why>` plus an optional hint.
 * Messages never carry secrets; callers build them from names, paths and AWS error codes only.
 */
export class AwsMfaError extends Error {
  // Each error class names itself: the bundle's minifier renames classes, and --debug prints the name.
  override name = 'AwsMfaError';
  readonly what: string;
  readonly why: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCodeValue;

  constructor(what: string, why: string, options: { hint?: string; exitCode?: ExitCodeValue; cause?: unknown } = {}) {
    super(`${what}: ${why}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.what = what;
    this.why = why;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.failed;
  }

  /** The single line printed on stderr. */
  toLine(): string {
    return `aws-mfa: ${this.what}: ${this.why}${this.hint ? ` (${this.hint})` : ''}`;
  }
}

/** Bad usage or bad input: exit 2. */
export class UsageError extends AwsMfaError {
  override name = 'UsageError';

  constructor(what: string, why: string, options: { hint?: string; cause?: unknown } = {}) {
    super(what, why, { ...options, exitCode: ExitCode.usage });
  }
}

/** The user interrupted a prompt (Ctrl-C): exit 130. */
export class InterruptedError extends AwsMfaError {
  override name = 'InterruptedError';

  constructor(what: string) {
    super(what, 'interrupted', { exitCode: ExitCode.interrupted });
  }
}
