import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { errorReply, type FakeReply, LocalServer, SESSION, successReply } from '../aws/fake-aws.js';
import { iamErrorReply } from '../aws/fake-iam.js';
import { generateCredentialReportReply, getCredentialReportReply, type ReportState } from '../aws/fake-iam-credential-report.js';

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ORGANIZATIONS_TARGET = 'AWSOrganizationsV20161128.';
export const MANAGEMENT_ACCOUNT = '111111111111';
export const CALLER_ARN = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:user/admin`;
export const REPORT_TIME = '2026-11-22T07:00:00Z';

export interface FakeAccount {
  id: string;
  name: string;
  state: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  /** The credential report's CSV in this account. */
  reportCsv: string;
  /** GenerateCredentialReport's answers in turn, the last one repeated. */
  reportStates?: ReportState[];
}

export interface OrganizationRequest {
  /** `ListAccounts` for Organizations (from X-Amz-Target), else the query protocol's Action. */
  action: string;
  /** The account whose credentials signed the request. */
  account: string;
  params: URLSearchParams;
}

/**
 * STS, Organizations (JSON protocol) and each account's IAM in one local server, with the replies
 * and error documents of the real services. The account of a request is that of the key signing it:
 * the MFA session is the management account's; AssumeRole hands out one key per account.
 * `failures` answers a request with an error instead, while it returns one.
 */
export class FakeOrganizationAws extends LocalServer {
  readonly requests: OrganizationRequest[] = [];
  accounts: FakeAccount[] = [];
  pageSize = 4;
  failures: Array<(request: OrganizationRequest) => FakeReply | undefined> = [];
  private readonly generateCalls = new Map<string, number>();

  private constructor(server: http.Server) {
    super(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.answer(request, response));
  }

  static async start(): Promise<FakeOrganizationAws> {
    const fake = new FakeOrganizationAws(http.createServer());
    await fake.listen();
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  reset(): void {
    this.requests.length = 0;
    this.accounts = [];
    this.pageSize = 4;
    this.failures = [];
    this.generateCalls.clear();
  }

  calls(action: string, account?: string): OrganizationRequest[] {
    return this.requests.filter((request) => request.action === action && (account === undefined || request.account === account));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const isOrganizations = target.startsWith(ORGANIZATIONS_TARGET);
      const params = isOrganizations ? new URLSearchParams(JSON.parse(body || '{}') as Record<string, string>) : new URLSearchParams(body);
      const accessKeyId = /Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const recorded: OrganizationRequest = {
        action: isOrganizations ? target.slice(ORGANIZATIONS_TARGET.length) : (params.get('Action') ?? ''),
        account: accountOfKey(accessKeyId),
        params,
      };
      this.requests.push(recorded);
      const reply = this.failureFor(recorded) ?? this.reply(recorded);
      response.writeHead(reply.status, {
        'Content-Type': isOrganizations ? 'application/x-amz-json-1.1' : 'text/xml',
        'x-amzn-RequestId': '2f0e4c6a-9b8d-4e1f-a2c3-5d6e7f8a9b0c',
      });
      response.end(reply.body);
    });
  }

  private failureFor(request: OrganizationRequest): FakeReply | undefined {
    for (const failure of this.failures) {
      const reply = failure(request);
      if (reply !== undefined) return reply;
    }
    return undefined;
  }

  private reply(request: OrganizationRequest): FakeReply {
    switch (request.action) {
      case 'GetSessionToken':
        return successReply();
      case 'GetCallerIdentity':
        return callerIdentityReply();
      case 'AssumeRole':
        return assumeRoleReply(request.params.get('RoleArn') ?? '', request.params.get('RoleSessionName') ?? '');
      case 'ListAccounts':
        return this.listAccountsReply(request.params.get('NextToken'));
      case 'GenerateCredentialReport':
        return this.generateReply(request.account);
      case 'GetCredentialReport': {
        const account = this.accounts.find((candidate) => candidate.id === request.account);
        return account ? getCredentialReportReply(account.reportCsv, REPORT_TIME) : iamErrorReply(403, 'AccessDenied', 'no such account');
      }
      default:
        return iamErrorReply(400, 'InvalidAction', `not faked: ${request.action}`);
    }
  }

  private listAccountsReply(nextToken: string | null): FakeReply {
    const start = nextToken === null ? 0 : Number(nextToken.replace('page-', ''));
    const page = this.accounts.slice(start, start + this.pageSize);
    const more = start + this.pageSize < this.accounts.length;
    return {
      status: 200,
      body: JSON.stringify({
        Accounts: page.map((account) => ({
          Id: account.id,
          Arn: `arn:aws:organizations::${MANAGEMENT_ACCOUNT}:account/o-exampleorgid/${account.id}`,
          Email: `${account.name}@example.com`,
          Name: account.name,
          Status: account.state === 'PENDING_CLOSURE' ? 'PENDING_CLOSURE' : account.state,
          State: account.state,
          JoinedMethod: 'CREATED',
          JoinedTimestamp: 1.7e9,
        })),
        ...(more ? { NextToken: `page-${start + this.pageSize}` } : {}),
      }),
    };
  }

  private generateReply(account: string): FakeReply {
    const states = this.accounts.find((candidate) => candidate.id === account)?.reportStates ?? ['COMPLETE'];
    const calls = this.generateCalls.get(account) ?? 0;
    this.generateCalls.set(account, calls + 1);
    return generateCredentialReportReply(states[Math.min(calls, states.length - 1)] ?? 'COMPLETE');
  }
}

/** Keys that AssumeRole hands out name their account: ASIA + the 12 digits + EXAMPLE. */
function accountOfKey(accessKeyId: string): string {
  return /^ASIA(\d{12})EXAMPLE$/.exec(accessKeyId)?.[1] ?? (accessKeyId === SESSION.accessKeyId ? MANAGEMENT_ACCOUNT : 'unknown');
}

function callerIdentityReply(): FakeReply {
  return {
    status: 200,
    body:
      `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}"><GetCallerIdentityResult><Arn>${CALLER_ARN}</Arn>` +
      `<UserId>AIDAEXAMPLEADMIN</UserId><Account>${MANAGEMENT_ACCOUNT}</Account></GetCallerIdentityResult>` +
      '<ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
  };
}

function assumeRoleReply(roleArn: string, sessionName: string): FakeReply {
  const account = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1] ?? '000000000000';
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  return {
    status: 200,
    body:
      `<AssumeRoleResponse xmlns="${STS_NAMESPACE}">\n  <AssumeRoleResult>\n    <Credentials>\n` +
      `      <AccessKeyId>ASIA${account}EXAMPLE</AccessKeyId>\n      <SecretAccessKey>roleSecret/${account}/wJalrXUtnFEMIK7MDENG</SecretAccessKey>\n` +
      `      <SessionToken>FwoGZXIvYXdzEXAMPLEROLETOKEN${account}</SessionToken>\n      <Expiration>2030-01-02T03:04:05Z</Expiration>\n` +
      `    </Credentials>\n    <AssumedRoleUser>\n      <AssumedRoleId>AROAEXAMPLEROLEID:${sessionName}</AssumedRoleId>\n` +
      `      <Arn>arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}</Arn>\n    </AssumedRoleUser>\n` +
      `  </AssumeRoleResult>\n  <ResponseMetadata>\n    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n` +
      `  </ResponseMetadata>\n</AssumeRoleResponse>\n`,
  };
}

/** sts:AssumeRole refused, as STS words it for a role that does not trust the caller (or is missing). */
export function assumeRoleDenied(roleArn: string): FakeReply {
  return errorReply(403, 'AccessDenied', `User: ${CALLER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
}

/** Organizations' throttling error, JSON protocol. */
export function organizationsThrottled(): FakeReply {
  return {
    status: 400,
    body: JSON.stringify({
      __type: 'TooManyRequestsException',
      Message: 'AWS Organizations can’t complete your request because another request is already in progress. Try again later.',
      Type: 'ThrottlingException',
    }),
  };
}

export function organizationsAccessDenied(): FakeReply {
  return {
    status: 400,
    body: JSON.stringify({
      __type: 'AccessDeniedException',
      Message: 'You don’t have permissions to access this resource.',
    }),
  };
}

/** IAM's throttling error (query protocol). */
export function iamThrottled(): FakeReply {
  return iamErrorReply(400, 'Throttling', 'Rate exceeded');
}

/** A failure for the first `times` requests that `matches` selects, then none. */
export function failing(times: number, matches: (request: OrganizationRequest) => boolean, reply: () => FakeReply) {
  let left = times;
  return (request: OrganizationRequest): FakeReply | undefined => {
    if (!matches(request) || left === 0) return undefined;
    left--;
    return reply();
  };
}
