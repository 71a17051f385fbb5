import { promises as fs } from 'node:fs';
import { AUDIT_FORMATS, type AuditFormat, formatAccountFindings, formatFindings, isAuditFormat } from '../admin/audit-output.js';
import {
  type CredentialReport,
  findUsersWithoutMfa,
  NotACredentialReportError,
  parseCredentialReportCsv,
  readCredentialReport,
} from '../admin/credential-report.js';
import {
  auditOrganization,
  DEFAULT_CONCURRENCY,
  DEFAULT_ORGANIZATION_ROLE,
  MAX_CONCURRENCY,
  ORGANIZATION_TIME_LIMIT_MS,
  type OrganizationAuditResult,
  type OrganizationAws,
} from '../admin/organization-audit.js';
import type { RetryTiming } from '../admin/organization-retry.js';
import type { AwsClientRequest, AwsCredentials } from '../aws/client-options.js';
import type { CredentialReportDownload } from '../aws/iam-credential-report.js';
import type { ServiceTarget } from '../aws/service-target.js';
import type { ProfileSettings } from '../config/profile-settings.js';
import { formatExpiration } from '../core/credentials.js';
import { AwsMfaError, ExitCode, UsageError } from '../core/errors.js';
import { describeFileError, isCode } from '../core/file-errors.js';
import type { Io } from '../core/io.js';
import type { SessionDependencies } from '../providers/dependencies.js';
import { type ProfileSession, type SessionOptions, sessionForProfile } from '../providers/session-for-profile.js';

export interface AuditOptions extends SessionOptions {
  /** A report file (`-`: stdin) instead of the account's report. */
  readonly report?: string | undefined;
  readonly format?: string | undefined;
  /** Audit every ACTIVE account of the organisation. */
  readonly organization?: boolean | undefined;
  readonly role?: string | undefined;
  readonly concurrency?: string | undefined;
}

export interface AuditDependencies {
  readonly io: Io;
  /** The waits of the report polling and the throttling backoff. */
  readonly sleep: RetryTiming['sleep'];
  /** The jitter of the throttling backoff. */
  readonly random: RetryTiming['random'];
  /** The profile's MFA session and settings, obtained (or reused) as `login` would. */
  readonly profileSession: () => Promise<Pick<ProfileSession, 'credentials' | 'settings'>>;
}

/** A report of the 5000 users an account may have is a few MiB; a guard against reading a wrong file whole. */
const MAX_REPORT_BYTES = 32 * 1024 * 1024;
const REPORT_FILE_HINT = 'give the CSV, its base64, or the JSON that `aws iam get-credential-report` prints';
/** The shortest role session AWS grants: one account's audit takes seconds, a slow report about a minute. */
const ROLE_SESSION_SECONDS = 900;
/** An IAM role name (1..64 of these characters), after an optional path. */
const ROLE_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** Erases the progress line: back to its start, then clear to the end of the line. */
const ERASE_LINE = '\r\x1b[K';

/**
 * `audit`: the users without MFA in the IAM credential report, on stdout; exit 3 when there is
 * any. With `--organization`, those of every account of the organisation.
 */
export async function auditCommand(options: AuditOptions, deps: SessionDependencies): Promise<number> {
  return audit(options, { io: deps.io, sleep: deps.sleep, random: Math.random, profileSession: () => sessionForProfile(options, deps) });
}

export async function audit(options: AuditOptions, deps: AuditDependencies): Promise<number> {
  const { io } = deps;
  const format = auditFormat(options.format);
  if (options.organization) return auditOrganizationCommand(options, format, deps);
  if (options.role !== undefined || options.concurrency !== undefined) {
    throw new UsageError('bad usage', '--role and --concurrency go with --organization only', { hint: 'see aws-mfa audit --help' });
  }
  const report = options.report === undefined ? await accountReport(deps) : await reportFromFile(options.report, io);
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

/** `audit --organization`: every flag checked before the MFA session is asked for. */
async function auditOrganizationCommand(options: AuditOptions, format: AuditFormat, deps: AuditDependencies): Promise<number> {
  const { io } = deps;
  if (options.report !== undefined) {
    throw new UsageError('bad usage', '--organization and --report cannot go together', {
      hint: 'a report file holds one account: audit it without --organization',
    });
  }
  const role = organizationRole(options.role);
  const concurrency = organizationConcurrency(options.concurrency);
  const { credentials, settings } = await deps.profileSession();
  const aws = await organizationAws(credentials, settings, io, deps.sleep);
  // The MFA session signs every AssumeRole: the audit cannot outlive it.
  const deadline = new Date(Math.min(io.now().getTime() + ORGANIZATION_TIME_LIMIT_MS, credentials.expiration.getTime()));
  const progress = io.stderrIsTerminal
    ? (done: number, total: number) => io.writeStderr(`\raws-mfa: audited ${done}/${total} accounts`)
    : () => {};
  let result: OrganizationAuditResult;
  try {
    result = await auditOrganization(
      { callerCredentials: credentials, role, concurrency, deadline },
      aws,
      { now: () => io.now(), sleep: deps.sleep, random: deps.random },
      {
        listed: (active, skipped) => {
          for (const account of skipped) {
            io.writeStderr(`aws-mfa: skipped account ${account.id} (${account.name}): ${account.state}, not ACTIVE\n`);
          }
          if (active.length > 0) progress(0, active.length);
        },
        accountDone: progress,
      },
    );
  } finally {
    // Whatever comes next on stderr, the count or an error, starts on a clean line.
    if (io.stderrIsTerminal) io.writeStderr(ERASE_LINE);
  }
  io.writeStdout(formatAccountFindings(result.findings, format));
  io.writeStderr(describeOrganizationAudit(result));
  return result.findings.length === 0 ? ExitCode.ok : ExitCode.auditFindings;
}

function organizationRole(role: string | undefined): string {
  if (role === undefined) return DEFAULT_ORGANIZATION_ROLE;
  if (!ROLE_NAME.test(role)) throw new UsageError('bad --role', `'${role}' is not an IAM role name (a name, with an optional path/)`);
  return role;
}

function organizationConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const number = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= 1 && number <= MAX_CONCURRENCY)) {
    throw new UsageError('bad --concurrency', `'${value}' is not a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  return number;
}

/** The AWS calls of the organisation audit: the SDK is loaded only now, the flags being valid and the session there. */
async function organizationAws(
  credentials: AwsCredentials,
  settings: ProfileSettings,
  io: Io,
  sleep: (milliseconds: number) => Promise<void>,
): Promise<OrganizationAws> {
  const [sts, organizations] = await Promise.all([import('../aws/sts.js'), import('../aws/organizations.js')]);
  const request = (signer: AwsCredentials, target: ServiceTarget) => ({ credentials: signer, target, env: io.env, debug: io.debug });
  return {
    callerIdentity: () => sts.getCallerIdentity(request(credentials, settings.sts)),
    listAccounts: () => organizations.listAccounts(request(credentials, settings.organizations)),
    assumeRole: async (roleArn, roleSessionName) => {
      const session = await sts.assumeRole({
        ...request(credentials, settings.sts),
        roleArn,
        roleSessionName,
        durationSeconds: ROLE_SESSION_SECONDS,
      });
      return session.credentials;
    },
    // Reports are generated in many accounts at once: one "waiting" line each would drown the progress.
    credentialReport: (signer) => downloadReport(request(signer, settings.iam), io, sleep, () => {}),
  };
}

function describeOrganizationAudit(result: OrganizationAuditResult): string {
  const audited = result.active - result.notAudited;
  const lines = [
    `checked ${counted(result.users, 'user')} in ${audited} of ${counted(result.active, 'ACTIVE account')}` +
      `${result.notAudited > 0 ? ` (${result.notAudited} not audited)` : ''}: ${describeFindings(result.findings.length)}`,
  ];
  if (result.oldestReport !== undefined) {
    lines.unshift(
      `oldest credential report generated ${formatExpiration(result.oldestReport)} (AWS regenerates them at most every 4 hours)`,
    );
  }
  return lines.map((line) => `aws-mfa: ${line}\n`).join('');
}

function auditFormat(format: string | undefined): AuditFormat {
  if (format === undefined) return 'table';
  if (!isAuditFormat(format)) throw new UsageError('bad --format', `'${format}' is not one of ${AUDIT_FORMATS.join(', ')}`);
  return format;
}

/** The live report needs the profile's MFA session: an enforce-MFA policy denies it to long-term keys. */
async function accountReport({ io, sleep, profileSession }: AuditDependencies): Promise<CredentialReport> {
  const { credentials, settings } = await profileSession();
  const download = await downloadReport({ credentials, target: settings.iam, env: io.env, debug: io.debug }, io, sleep, (limitMs) =>
    io.writeStderr(`aws-mfa: AWS is generating the credential report; waiting up to ${limitMs / 1000} s\n`),
  );
  try {
    return { rows: parseCredentialReportCsv(download.csv), generatedTime: download.generatedTime };
  } catch (error) {
    if (!(error instanceof NotACredentialReportError)) throw error;
    throw new AwsMfaError('GetCredentialReport failed', `AWS sent a report that aws-mfa cannot read: ${error.reason}`, { cause: error });
  }
}

/** The account's report, polled on the Io's clock; `onWait` is told the longest wait once AWS says it is generating one. */
async function downloadReport(
  request: AwsClientRequest,
  io: Io,
  sleep: (milliseconds: number) => Promise<void>,
  onWait: (limitMs: number) => void,
): Promise<CredentialReportDownload> {
  const { downloadCredentialReport, REPORT_WAIT_LIMIT_MS } = await import('../aws/iam-credential-report.js');
  return downloadCredentialReport(request, { now: () => io.now(), sleep, onWait: () => onWait(REPORT_WAIT_LIMIT_MS) });
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
