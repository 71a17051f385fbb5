import { alignColumns } from '../output/table.js';
import type { Finding } from './credential-report.js';
import type { AccountFinding } from './organization-audit.js';

export const AUDIT_FORMATS = ['table', 'json', 'csv'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export function isAuditFormat(value: string): value is AuditFormat {
  return (AUDIT_FORMATS as readonly string[]).includes(value);
}

/** A column of the table and the CSV: its table heading, its CSV header (the JSON key) and its value. */
interface Column<Row> {
  readonly heading: string;
  readonly key: string;
  readonly value: (row: Row) => string;
}

const FINDING_COLUMNS: readonly Column<Finding>[] = [
  { heading: 'USER', key: 'user', value: (finding) => finding.user },
  { heading: 'CHECK', key: 'check', value: (finding) => finding.check },
  { heading: 'DETAIL', key: 'detail', value: (finding) => finding.detail },
];

const ACCOUNT_COLUMNS: readonly Column<AccountFinding>[] = [
  { heading: 'ACCOUNT', key: 'account', value: (finding) => finding.account },
  { heading: 'NAME', key: 'accountName', value: (finding) => finding.accountName },
  { heading: 'USER', key: 'user', value: (finding) => finding.user },
  { heading: 'CHECK', key: 'check', value: (finding) => finding.check },
  { heading: 'DETAIL', key: 'detail', value: (finding) => finding.detail },
];

/** The CSV has the ARN too, which the table leaves out for width. */
const ARN_COLUMN: Column<Finding | AccountFinding> = { heading: 'ARN', key: 'arn', value: (finding) => finding.arn };

/**
 * One account's findings for stdout. No findings: nothing as a table, `[]` as JSON and the header
 * alone as CSV, so that the machine formats stay parseable.
 */
export function formatFindings(findings: readonly Finding[], format: AuditFormat): string {
  return formatRows(findings, format, FINDING_COLUMNS);
}

/** An organisation's findings: those of formatFindings with the account's id and name first. */
export function formatAccountFindings(findings: readonly AccountFinding[], format: AuditFormat): string {
  return formatRows(findings, format, ACCOUNT_COLUMNS);
}

function formatRows<Row extends Finding | AccountFinding>(
  rows: readonly Row[],
  format: AuditFormat,
  columns: readonly Column<Row>[],
): string {
  switch (format) {
    case 'table':
      return rows.length === 0
        ? ''
        : alignColumns([columns.map((column) => column.heading), ...rows.map((row) => columns.map((column) => column.value(row)))]);
    case 'json':
      return `${JSON.stringify(rows, null, 2)}\n`;
    case 'csv': {
      const csvColumns = withArnAfterUser(columns);
      return [csvColumns.map((column) => column.key), ...rows.map((row) => csvColumns.map((column) => column.value(row)))]
        .map(csvLine)
        .join('');
    }
  }
}

function withArnAfterUser<Row extends Finding | AccountFinding>(columns: readonly Column<Row>[]): Column<Row>[] {
  return columns.flatMap((column) => (column.key === 'user' ? [column, ARN_COLUMN] : [column]));
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
function csvLine(fields: readonly string[]): string {
  return `${fields.map((field) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(',')}\n`;
}
