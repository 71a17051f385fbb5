import { CsvError, parse } from 'csv-parse/sync';

/** One IAM user (or the root user) of the credential report, with the columns the audit reads. */
export interface CredentialReportRow {
  readonly user: string;
  readonly arn: string;
  /** False for the root user, whose report says `not_supported`. */
  readonly passwordEnabled: boolean;
  /** A timestamp, `no_information` (never used, or not since 2014) or `N/A` (no password). */
  readonly passwordLastUsed: string;
  readonly mfaActive: boolean;
  /** The numbers (1, 2) of the user's active access keys. */
  readonly activeAccessKeys: readonly number[];
}

export interface CredentialReport {
  readonly rows: readonly CredentialReportRow[];
  /** When AWS generated it; unknown for a bare CSV or base64 file. */
  readonly generatedTime: Date | undefined;
}

export type AuditCheck = 'root-without-mfa' | 'console-without-mfa' | 'keys-without-mfa';

export interface Finding {
  readonly user: string;
  readonly arn: string;
  readonly check: AuditCheck;
  readonly detail: string;
}

/** Input that is not an IAM credential report; the reason never quotes the input, which may be any file. */
export class NotACredentialReportError extends Error {
  override name = 'NotACredentialReportError';

  constructor(readonly reason: string) {
    super(`not an IAM credential report: ${reason}`);
  }
}

/** The user name AWS gives the root user's row. */
const ROOT_USER = '<root_account>';

const READ_COLUMNS = ['user', 'arn', 'password_enabled', 'password_last_used', 'mfa_active', 'access_key_1_active', 'access_key_2_active'];
const ACCESS_KEY_NUMBERS = [1, 2];
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * A report as `--report` takes it: the CSV itself, the base64 that GetCredentialReport returns,
 * or the JSON that `aws iam get-credential-report` prints (whose GeneratedTime is kept).
 */
export function readCredentialReport(text: string): CredentialReport {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new NotACredentialReportError('the input is empty');
  if (trimmed.startsWith('{')) return fromCliJson(trimmed);
  return { rows: parseCredentialReportCsv(csvOf(trimmed)), generatedTime: undefined };
}

/** The rows of the report's CSV; the columns are found by name, so columns AWS may add are ignored. */
export function parseCredentialReportCsv(csv: string): CredentialReportRow[] {
  const [header, ...records] = parseCsvRecords(csv);
  if (header === undefined) throw new NotACredentialReportError('no CSV header');
  const missing = READ_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new NotACredentialReportError(`the CSV header lacks ${missing.join(', ')}`);
  return records.map((record, index) => toRow(index + 2, Object.fromEntries(header.map((column, at) => [column, record[at] ?? '']))));
}

/** One finding per user and failed check, in the report's order. */
export function findUsersWithoutMfa(rows: readonly CredentialReportRow[]): Finding[] {
  return rows.flatMap((row) =>
    CHECKS.flatMap((check) => {
      const detail = check.detail(row);
      return detail === undefined ? [] : [{ user: row.user, arn: row.arn, check: check.name, detail }];
    }),
  );
}

interface Check {
  readonly name: AuditCheck;
  /** Why the row fails the check, or undefined when it passes. */
  readonly detail: (row: CredentialReportRow) => string | undefined;
}

/**
 * The root user with active keys and no MFA fails both root-without-mfa and keys-without-mfa:
 * root keys are a control of their own (CIS: no root access keys), and a filter on either check must find them.
 */
const CHECKS: readonly Check[] = [
  {
    name: 'root-without-mfa',
    detail: (row) => (row.user === ROOT_USER && !row.mfaActive ? 'the root user has no MFA device' : undefined),
  },
  {
    name: 'console-without-mfa',
    detail: (row) =>
      row.passwordEnabled && !row.mfaActive ? `console password, no MFA device; ${describePasswordUse(row.passwordLastUsed)}` : undefined,
  },
  {
    name: 'keys-without-mfa',
    detail: (row) =>
      row.activeAccessKeys.length > 0 && !row.mfaActive ? `${describeActiveKeys(row.activeAccessKeys)}, no MFA device` : undefined,
  },
];

function describePasswordUse(lastUsed: string): string {
  return lastUsed === 'no_information' || lastUsed === 'N/A' ? 'password never used' : `password last used ${lastUsed}`;
}

function describeActiveKeys(numbers: readonly number[]): string {
  return numbers.length === 1 ? `access key ${numbers[0]} active` : `access keys ${numbers.join(' and ')} active`;
}

function fromCliJson(text: string): CredentialReport {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new NotACredentialReportError('invalid JSON');
  }
  const { Content, GeneratedTime } = (document ?? {}) as { Content?: unknown; GeneratedTime?: unknown };
  if (typeof Content !== 'string') throw new NotACredentialReportError('JSON without a Content string');
  if (!BASE64.test(Content)) throw new NotACredentialReportError('the JSON Content is not base64');
  return { rows: parseCredentialReportCsv(decodeBase64(Content)), generatedTime: parseTime(GeneratedTime) };
}

/** A CSV never matches the base64 alphabet: its header has commas. */
function csvOf(text: string): string {
  const compact = text.replace(/\s+/g, '');
  return BASE64.test(compact) ? decodeBase64(compact) : text;
}

function decodeBase64(text: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'base64'));
  } catch {
    throw new NotACredentialReportError('base64 that does not decode to text');
  }
}

/** A time that cannot be read is left unknown: it is only shown, never checked. */
function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

function parseCsvRecords(csv: string): string[][] {
  try {
    return parse(csv, { skip_empty_lines: true }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) throw new NotACredentialReportError(`malformed CSV at line ${String(error.lines)} (${error.code})`);
    throw error;
  }
}

/** `lineNumber` counts from the header, line 1: no field of a credential report spans lines. */
function toRow(lineNumber: number, record: Readonly<Record<string, string>>): CredentialReportRow {
  const flag = (column: string, otherFalse?: string) => parseFlag(lineNumber, column, record[column] ?? '', otherFalse);
  return {
    user: record.user ?? '',
    arn: record.arn ?? '',
    passwordEnabled: flag('password_enabled', 'not_supported'),
    passwordLastUsed: record.password_last_used ?? '',
    mfaActive: flag('mfa_active'),
    activeAccessKeys: ACCESS_KEY_NUMBERS.filter((number) => flag(`access_key_${number}_active`)),
  };
}

/** `true` or `false`; anything else means the input is not what the audit believes it reads. */
function parseFlag(lineNumber: number, column: string, value: string, otherFalse: string | undefined): boolean {
  if (value === 'true') return true;
  if (value === 'false' || value === otherFalse) return false;
  throw new NotACredentialReportError(`line ${lineNumber}: ${column} is neither true nor false`);
}
