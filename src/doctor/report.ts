import type { CheckResult, CheckStatus } from './check-result.js';

const COLOURS: Record<CheckStatus, string> = { ok: '\x1b[32m', warn: '\x1b[33m', fail: '\x1b[31m' };
const RESET = '\x1b[0m';
const STATUS_WIDTH = 4;

/**
 * One line per check, aligned: status, check, what was found, and the fix after `->`. Readable
 * without colour; with `colour`, only the status word is coloured.
 */
export function formatReport(profile: string, results: readonly CheckResult[], colour: boolean): string {
  const checkWidth = Math.max(...results.map((result) => result.check.length));
  const lines = results.map((result) => {
    const status = result.status.padEnd(STATUS_WIDTH);
    const shown = colour ? `${COLOURS[result.status]}${status}${RESET}` : status;
    const fix = result.fix ? ` -> ${result.fix}` : '';
    return `${shown}  ${result.check.padEnd(checkWidth)}  ${result.detail}${fix}\n`;
  });
  return `${lines.join('')}${summaryLine(profile, results)}\n`;
}

export function summaryLine(profile: string, results: readonly CheckResult[]): string {
  const count = (status: CheckStatus) => results.filter((result) => result.status === status).length;
  const failures = count('fail');
  const warnings = count('warn');
  const warningsPart = warnings === 0 ? '' : `, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  if (failures === 0) return `profile ${profile}: ${results.length} checks, no problem${warningsPart}`;
  return `profile ${profile}: ${failures} of ${results.length} checks failed${warningsPart}: fix them and run aws-mfa doctor again`;
}

/** 0 when everything the profile needs works; warnings do not stop it. */
export function reportExitCode(results: readonly CheckResult[]): number {
  return results.some((result) => result.status === 'fail') ? 1 : 0;
}
