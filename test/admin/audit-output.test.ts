import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { formatAccountFindings, formatFindings, isAuditFormat } from '../../src/admin/audit-output.js';
import type { Finding } from '../../src/admin/credential-report.js';
import type { AccountFinding } from '../../src/admin/organization-audit.js';

const FINDINGS: Finding[] = [
  { user: '<root_account>', arn: 'arn:aws:iam::123456789012:root', check: 'root-without-mfa', detail: 'the root user has no MFA device' },
  {
    user: 'alice',
    arn: 'arn:aws:iam::123456789012:user/alice',
    check: 'console-without-mfa',
    detail: 'console password, no MFA device; password never used',
  },
  // IAM user names may hold commas; a detail may hold a quote.
  { user: 'ops,team', arn: 'arn:aws:iam::123456789012:user/ops,team', check: 'keys-without-mfa', detail: 'access key 1 "active"' },
];

describe('formatFindings', () => {
  it('aligns the table’s columns USER, CHECK, DETAIL', () => {
    expect(formatFindings(FINDINGS, 'table')).toBe(
      [
        'USER            CHECK                DETAIL',
        '<root_account>  root-without-mfa     the root user has no MFA device',
        'alice           console-without-mfa  console password, no MFA device; password never used',
        'ops,team        keys-without-mfa     access key 1 "active"',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON as an array of {user, arn, check, detail}', () => {
    expect(JSON.parse(formatFindings(FINDINGS, 'json'))).toEqual(FINDINGS);
    expect(Object.keys(JSON.parse(formatFindings(FINDINGS, 'json'))[0])).toEqual(['user', 'arn', 'check', 'detail']);
  });

  it('prints CSV with the header user,arn,check,detail, quoting commas and quotes (RFC 4180)', () => {
    const csv = formatFindings(FINDINGS, 'csv');

    expect(csv.split('\n')[0]).toBe('user,arn,check,detail');
    expect(csv).toContain('"ops,team","arn:aws:iam::123456789012:user/ops,team",keys-without-mfa,"access key 1 ""active"""\n');
    expect(parse(csv, { columns: true })).toEqual(FINDINGS);
  });

  it('prints nothing as a table, [] as JSON and the header alone as CSV when nothing is found', () => {
    expect(formatFindings([], 'table')).toBe('');
    expect(formatFindings([], 'json')).toBe('[]\n');
    expect(formatFindings([], 'csv')).toBe('user,arn,check,detail\n');
  });
});

describe('isAuditFormat', () => {
  it('accepts table, json and csv only', () => {
    expect(['table', 'json', 'csv', 'yaml', 'JSON', ''].map(isAuditFormat)).toEqual([true, true, true, false, false, false]);
  });
});

const ACCOUNT_FINDINGS: AccountFinding[] = [
  {
    account: '111111111111',
    accountName: 'management',
    user: 'alice',
    arn: 'arn:aws:iam::111111111111:user/alice',
    check: 'console-without-mfa',
    detail: 'console password, no MFA device; password never used',
  },
  {
    account: '222222222222',
    accountName: 'Payments, EU',
    user: '',
    arn: '',
    check: 'account-not-audited',
    detail: 'AssumeRole failed: access denied: "no"',
  },
];

describe('formatAccountFindings', () => {
  it('puts the account’s id and name first in the table', () => {
    expect(formatAccountFindings(ACCOUNT_FINDINGS, 'table')).toBe(
      [
        'ACCOUNT       NAME          USER   CHECK                DETAIL',
        '111111111111  management    alice  console-without-mfa  console password, no MFA device; password never used',
        '222222222222  Payments, EU         account-not-audited  AssumeRole failed: access denied: "no"',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON objects with account and accountName first', () => {
    const parsed = JSON.parse(formatAccountFindings(ACCOUNT_FINDINGS, 'json'));

    expect(parsed).toEqual(ACCOUNT_FINDINGS);
    expect(Object.keys(parsed[0])).toEqual(['account', 'accountName', 'user', 'arn', 'check', 'detail']);
  });

  it('prints CSV with the header account,accountName,user,arn,check,detail', () => {
    const csv = formatAccountFindings(ACCOUNT_FINDINGS, 'csv');

    expect(csv.split('\n')[0]).toBe('account,accountName,user,arn,check,detail');
    expect(parse(csv, { columns: true })).toEqual(ACCOUNT_FINDINGS);
  });

  it('prints nothing as a table, [] as JSON and the header alone as CSV when nothing is found', () => {
    expect(formatAccountFindings([], 'table')).toBe('');
    expect(formatAccountFindings([], 'json')).toBe('[]\n');
    expect(formatAccountFindings([], 'csv')).toBe('account,accountName,user,arn,check,detail\n');
  });
});
