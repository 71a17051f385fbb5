import type { AwsMfaError } from '../core/errors.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of `doctor`: what was checked, how it went, what was found, and what to do about it. */
export interface CheckResult {
  readonly check: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix: string | null;
}

export function passed(check: string, detail: string): CheckResult {
  return { check, status: 'ok', detail, fix: null };
}

export function warned(check: string, detail: string, fix: string | null): CheckResult {
  return { check, status: 'warn', detail, fix };
}

export function failed(check: string, detail: string, fix: string | null): CheckResult {
  return { check, status: 'fail', detail, fix };
}

/** An error of aws-mfa as a failed check: its one line without the `aws-mfa:` prefix, its hint as the fix. */
export function failedWith(check: string, error: AwsMfaError): CheckResult {
  return failed(check, `${error.what}: ${error.why}`, error.hint ?? null);
}
