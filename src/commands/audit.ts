import { promises as fs } from 'node:fs';
import { setTimeout as wait } from 'node:timers/promises';
import { AUDIT_FORMATS, type AuditFormat, formatFindings, isAuditFormat } from '../admin/audit-output.js';
import {
  type CredentialReport,
  findUsersWithoutMfa,
  NotACredentialReportError,
  parseCredentialReportCsv,
  readCredentialReport,
} from '../admin/credential-report.js';
import { AwsMfaError, ExitCode, UsageError } from '../core/errors.js';
import { describeFileError, isCode } from '../core/file-errors.js';
import type { Io } from '../core/io.js';
import { formatExpiration } from '../session/credentials.js';
import { type SessionOptions, sessionForProfile } from '../session/session-for-profile.js';

export interface AuditOptions extends SessionOptions {
  /** A report file (`-`: stdin) instead of the account's report. */
  readonly report?: string | undefined;
  readonly format?: string | undefined;
}

/** A report of the 5000 users an account may have is a few MiB; a guard against reading a wrong file whole. */
const MAX_REPORT_BYTES = 32 * 1024 * 1024;
const REPORT_FILE_HINT = 'give the CSV, its base64, or the JSON that `aws iam get-credential-report` prints';

/**
 * `audit`: the users without MFA in the IAM credential report, on stdout; exit 3 when there is
 * any. `sleep` is the wait between polls of the report.
 */
export async function auditCommand(options: AuditOptions, io: Io, sleep: (milliseconds: number) => Promise<void> = wait): Promise<number> {
  const format = auditFormat(options.format);
  const report = options.report === undefined ? await accountReport(options, io, sleep) : await reportFromFile(options.report, io);
  if (report.generatedTime !== undefined) {
    io.writeStderr(
      `aws-mfa: credential report generated ${formatExpiration(report.generatedTime)} (AWS regenerates it at most every 4 hours)\n`,
    );
  }
  const findings = findUsersWithoutMfa(report.rows);
  io.writeStdout(formatFindings(findings, format));
  io.writeStderr(`aws-mfa: checked ${counted(report.rows.length, 'user')}: ${describeFindings(findings.length)}\n`);
  return findings.length === 0 ? ExitCode.ok : ExitCode.auditFindings;
}

function auditFormat(format: string | undefined): AuditFormat {
  if (format === undefined) return 'table';
  if (!isAuditFormat(format)) throw new UsageError('bad --format', `'${format}' is not one of ${AUDIT_FORMATS.join(', ')}`);
  return format;
}

/** The live report needs the profile's MFA session: an enforce-MFA policy denies it to long-term keys. */
async function accountReport(options: SessionOptions, io: Io, sleep: (milliseconds: number) => Promise<void>): Promise<CredentialReport> {
  const { credentials, settings } = await sessionForProfile(options, io);
  const { downloadCredentialReport, REPORT_WAIT_LIMIT_MS } = await import('../aws/iam-credential-report.js');
  const download = await downloadCredentialReport(
    { credentials, target: settings.iam, env: io.env, debug: io.debug },
    {
      now: () => io.now(),
      sleep,
      onWait: () => io.writeStderr(`aws-mfa: AWS is generating the credential report; waiting up to ${REPORT_WAIT_LIMIT_MS / 1000} s\n`),
    },
  );
  try {
    return { rows: parseCredentialReportCsv(download.csv), generatedTime: download.generatedTime };
  } catch (error) {
    if (!(error instanceof NotACredentialReportError)) throw error;
    throw new AwsMfaError('GetCredentialReport failed', `AWS sent a report that aws-mfa cannot read: ${error.reason}`, { cause: error });
  }
}

async function reportFromFile(file: string, io: Io): Promise<CredentialReport> {
  const text = file === '-' ? await io.readStdin() : await readReportFile(file);
  try {
    return readCredentialReport(text);
  } catch (error) {
    if (!(error instanceof NotACredentialReportError)) throw error;
    throw new UsageError(`bad --report ${describeSource(file)}`, error.message, { hint: REPORT_FILE_HINT });
  }
}

/** A file that is missing, a folder or not text is bad input (exit 2); one that cannot be read, a failure (exit 1). */
async function readReportFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new UsageError(`bad --report ${file}`, 'not a file');
    if (stat.size > MAX_REPORT_BYTES)
      throw new UsageError(`bad --report ${file}`, `larger than any credential report (${MAX_REPORT_BYTES / 1024 / 1024} MiB)`);
    bytes = await fs.readFile(file);
  } catch (error) {
    if (error instanceof AwsMfaError) throw error;
    if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) throw new UsageError(`bad --report ${file}`, 'no such file');
    throw new AwsMfaError(`cannot read --report ${file}`, describeFileError(error), { cause: error });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`bad --report ${file}`, 'not UTF-8 text', { hint: REPORT_FILE_HINT });
  }
}

function describeSource(file: string): string {
  return file === '-' ? '- (stdin)' : file;
}

function describeFindings(count: number): string {
  return count === 0 ? 'nothing found' : counted(count, 'finding');
}

function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
