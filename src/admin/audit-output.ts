import { alignColumns } from '../output/table.js';
import type { Finding } from './credential-report.js';

export const AUDIT_FORMATS = ['table', 'json', 'csv'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export function isAuditFormat(value: string): value is AuditFormat {
  return (AUDIT_FORMATS as readonly string[]).includes(value);
}

/**
 * The findings for stdout. No findings: nothing as a table, `[]` as JSON and the header alone as
 * CSV, so that the machine formats stay parseable.
 */
export function formatFindings(findings: readonly Finding[], format: AuditFormat): string {
  switch (format) {
    case 'table':
      return findings.length === 0 ? '' : alignColumns([['USER', 'CHECK', 'DETAIL'], ...findings.map((f) => [f.user, f.check, f.detail])]);
    case 'json':
      return `${JSON.stringify(findings, null, 2)}\n`;
    case 'csv':
      return [['user', 'arn', 'check', 'detail'], ...findings.map((f) => [f.user, f.arn, f.check, f.detail])].map(csvLine).join('');
  }
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
function csvLine(fields: readonly string[]): string {
  return `${fields.map((field) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(',')}\n`;
}
