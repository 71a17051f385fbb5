import { promises as fs, readFileSync } from 'node:fs';
import { AwsMfaError, type ExitCodeValue } from '../core/errors.js';
import { isCode } from '../core/file-errors.js';
import { writeFileAtomic } from './atomic-write.js';

/**
 * What a lock's holder failed with, recorded beside the lock (`<lock>.failed`) before it releases
 * it, so that the processes that were waiting for it report the same failure at once instead of
 * each prompting and calling AWS in turn. One line of JSON with the error's words, which never hold
 * a secret, and the time it was recorded.
 */
interface FailureRecord {
  at: number;
  exitCode: ExitCodeValue;
  what: string;
  why: string;
  hint: string | null;
}

function recordPath(lockPath: string): string {
  return `${lockPath}.failed`;
}

export async function recordFailure(lockPath: string, error: AwsMfaError): Promise<void> {
  const record: FailureRecord = { at: Date.now(), exitCode: error.exitCode, what: error.what, why: error.why, hint: error.hint ?? null };
  await writeFileAtomic(recordPath(lockPath), `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

/** A holder that succeeded leaves no failure behind for later waiters to find. */
export async function clearFailure(lockPath: string): Promise<void> {
  await fs.unlink(recordPath(lockPath)).catch((error: unknown) => {
    if (!isCode(error, 'ENOENT')) throw error;
  });
}

/** The failure recorded at or after `sinceMs` (when the caller started waiting), as the error to report; else undefined. */
export function failureSince(lockPath: string, sinceMs: number): AwsMfaError | undefined {
  let text: string;
  try {
    text = readFileSync(recordPath(lockPath), 'utf8');
  } catch {
    return undefined;
  }
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
