import { AwsMfaError, type ExitCodeValue } from '../core/errors.js';

/**
 * What a lock's holder failed with, recorded beside the lock (`<lock>.failed`) before it releases
 * it, so that the processes that were waiting for it report the same failure at once instead of
 * each prompting and calling AWS in turn. One line of JSON with the error's words, which never hold
 * a secret, and the time it was recorded. The session cache reads and writes it (SessionCache).
 */
interface FailureRecord {
  at: number;
  exitCode: ExitCodeValue;
  what: string;
  why: string;
  hint: string | null;
}

/** Far more than one line of an error. */
export const MAX_FAILURE_RECORD_BYTES = 16 * 1024;

export function failureRecord(error: AwsMfaError, at: number): string {
  const record: FailureRecord = { at, exitCode: error.exitCode, what: error.what, why: error.why, hint: error.hint ?? null };
  return `${JSON.stringify(record)}\n`;
}

/** The failure a record holds when it was recorded at or after `sinceMs` (when the reader started waiting); else undefined. */
export function failureSince(text: string, sinceMs: number): AwsMfaError | undefined {
  let record: Partial<FailureRecord>;
  try {
    record = JSON.parse(text) as Partial<FailureRecord>;
  } catch {
    return undefined;
  }
  const { at, exitCode, what, why, hint } = record;
  if (typeof at !== 'number' || at < sinceMs || typeof what !== 'string' || typeof why !== 'string' || typeof exitCode !== 'number') {
    return undefined;
  }
  return new AwsMfaError(what, why, { exitCode, ...(typeof hint === 'string' ? { hint } : {}) });
}
