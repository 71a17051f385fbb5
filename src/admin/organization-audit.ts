import pMap from 'p-map';
import type { AwsCredentials } from '../aws/client-options.js';
import type { CredentialReportDownload } from '../aws/iam-credential-report.js';
import type { OrganizationAccount } from '../aws/organizations.js';
import type { CallerIdentity } from '../aws/sts.js';
import { AwsMfaError } from '../core/errors.js';
import { type AuditCheck, findUsersWithoutMfa, NotACredentialReportError, parseCredentialReportCsv } from './credential-report.js';
import { type RetryTiming, retryWhenThrottled } from './organization-retry.js';

export type { OrganizationAccount } from '../aws/organizations.js';

export type OrganizationCheck = AuditCheck | 'account-not-audited';

/** A finding of one account of the organisation; the keys in the order the JSON output shows them. */
export interface AccountFinding {
  readonly account: string;
  readonly accountName: string;
  /** Empty for account-not-audited. */
  readonly user: string;
  readonly arn: string;
  readonly check: OrganizationCheck;
  readonly detail: string;
}

/** The AWS calls of the organisation audit, injected so that tests pass fakes. */
export interface OrganizationAws {
  callerIdentity(): Promise<CallerIdentity>;
  listAccounts(): Promise<OrganizationAccount[]>;
  /** Credentials of the role's account, from the caller's MFA session. */
  assumeRole(roleArn: string, roleSessionName: string): Promise<AwsCredentials>;
  /** The credential report of the account the credentials belong to, generated and polled. */
  credentialReport(credentials: AwsCredentials): Promise<CredentialReportDownload>;
}

/** What the command shows while the audit runs. */
export interface OrganizationAuditEvents {
  /** After ListAccounts: the accounts to audit, and those skipped for not being ACTIVE. */
  listed(active: readonly OrganizationAccount[], skipped: readonly OrganizationAccount[]): void;
  /** After each account, audited or not. */
  accountDone(done: number, total: number): void;
}

export interface OrganizationAuditInput {
  /** The caller's MFA session: it audits the caller's own account and signs each AssumeRole. */
  readonly callerCredentials: AwsCredentials;
  /** The role to assume in every other account, a name with an optional path: `OrganizationAccountAccessRole`. */
  readonly role: string;
  readonly concurrency: number;
  /** No account starts after this time; those left become account-not-audited. */
  readonly deadline: Date;
}

export interface OrganizationAuditResult {
  /** Grouped by account, in ListAccounts' order. */
  readonly findings: readonly AccountFinding[];
  readonly active: number;
  readonly skipped: number;
  readonly notAudited: number;
  readonly users: number;
  /** The generation time of the oldest report read: changes since then are not in the findings. */
  readonly oldestReport: Date | undefined;
}

export const DEFAULT_ORGANIZATION_ROLE = 'OrganizationAccountAccessRole';
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 64;
/** The audit starts no account after this long (nor after the MFA session that signs its AssumeRoles expires). */
export const ORGANIZATION_TIME_LIMIT_MS = 60 * 60 * 1000;
const FALLBACK_SESSION_NAME = 'aws-mfa-audit';

interface AccountOutcome {
  readonly findings: readonly AccountFinding[];
  readonly users: number;
  readonly audited: boolean;
  readonly generatedTime?: Date | undefined;
}

/**
 * The credential-report audit in every ACTIVE account of the organisation: the caller's own
 * account (the management account, or a delegated administrator's) with the caller's session, every
 * other one through AssumeRole of `role`. An account that cannot be audited becomes a finding of
 * its own and never stops the others; a failing ListAccounts or GetCallerIdentity stops it all.
 */
export async function auditOrganization(
  input: OrganizationAuditInput,
  aws: OrganizationAws,
  timing: RetryTiming,
  events: OrganizationAuditEvents,
): Promise<OrganizationAuditResult> {
  const retry = <T>(call: () => Promise<T>) => retryWhenThrottled(call, timing, input.deadline);
  const caller = await retry(() => aws.callerIdentity());
  const accounts = await retry(() => aws.listAccounts());
  // Every organisation has its management account: an empty list must not pass for a clean audit.
  if (accounts.length === 0) {
    throw new AwsMfaError('ListAccounts failed', 'AWS listed no account', {
      hint: 'run it with the organisation’s management account or a delegated administrator',
    });
  }
  const active = accounts.filter((account) => account.state === 'ACTIVE');
  events.listed(
    active,
    accounts.filter((account) => account.state !== 'ACTIVE'),
  );

  const partition = caller.arn.split(':')[1] ?? 'aws';
  const sessionName = roleSessionName(caller.arn);
  let done = 0;
  const outcomes = await pMap(
    active,
    async (account) => {
      const outcome = await auditAccount(account, async () => {
        if (account.id === caller.account) return input.callerCredentials;
        return retry(() => aws.assumeRole(`arn:${partition}:iam::${account.id}:role/${input.role}`, sessionName));
      });
      events.accountDone(++done, active.length);
      return outcome;
    },
    { concurrency: input.concurrency },
  );
  return {
    findings: outcomes.flatMap((outcome) => outcome.findings),
    active: active.length,
    skipped: accounts.length - active.length,
    notAudited: outcomes.filter((outcome) => !outcome.audited).length,
    users: outcomes.reduce((sum, outcome) => sum + outcome.users, 0),
    oldestReport: oldest(outcomes.map((outcome) => outcome.generatedTime)),
  };

  async function auditAccount(account: OrganizationAccount, credentialsOf: () => Promise<AwsCredentials>): Promise<AccountOutcome> {
    if (timing.now().getTime() >= input.deadline.getTime()) {
      return notAudited(account, 'not started: the audit reached its time limit (1 hour, or the end of the MFA session)');
    }
    try {
      const credentials = await credentialsOf();
      const report = await retry(() => aws.credentialReport(credentials));
      const rows = parseCredentialReportCsv(report.csv);
      const findings = findUsersWithoutMfa(rows).map((finding) => ({
        account: account.id,
        accountName: account.name,
        user: finding.user,
        arn: finding.arn,
        check: finding.check,
        detail: finding.detail,
      }));
      return { findings, users: rows.length, audited: true, generatedTime: report.generatedTime };
    } catch (error) {
      if (error instanceof NotACredentialReportError)
        return notAudited(account, `AWS sent a report that aws-mfa cannot read: ${error.reason}`);
      if (error instanceof AwsMfaError) return notAudited(account, describeFailure(error));
      throw error;
    }
  }
}

function oldest(times: readonly (Date | undefined)[]): Date | undefined {
  return times.reduce<Date | undefined>(
    (first, time) => (time !== undefined && (first === undefined || time < first) ? time : first),
    undefined,
  );
}

function notAudited(account: OrganizationAccount, reason: string): AccountOutcome {
  const finding: AccountFinding = {
    account: account.id,
    accountName: account.name,
    user: '',
    arn: '',
    check: 'account-not-audited',
    detail: reason,
  };
  return { findings: [finding], users: 0, audited: false };
}

/** The error's line without the program name: `AssumeRole failed: access denied: … (hint)`. */
function describeFailure(error: AwsMfaError): string {
  return `${error.what}: ${error.why}${error.hint ? ` (${error.hint})` : ''}`;
}

/**
 * The role session names the person in each account's CloudTrail: the caller's user name (or,
 * for a caller that is itself a role session, that session's name), in AssumeRole's alphabet.
 */
export function roleSessionName(callerArn: string): string {
  const resource = callerArn.split(':').slice(5).join(':');
  const name = (resource.split('/').at(-1) ?? '').replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return name.length >= 2 ? name : FALLBACK_SESSION_NAME;
}
