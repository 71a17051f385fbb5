import { GenerateCredentialReportCommand, GetCredentialReportCommand } from '@aws-sdk/client-iam';
import { AwsMfaError } from '../core/errors.js';
import { AwsCallError } from './aws-error.js';
import { type AwsClientRequest, withClient } from './client-options.js';
import { createIamClient, type IamClient } from './iam.js';

export interface CredentialReportDownload {
  readonly csv: string;
  readonly generatedTime: Date | undefined;
}

/** Time for the polling, injected so that tests do not wait. */
export interface ReportPolling {
  now(): Date;
  sleep(milliseconds: number): Promise<void>;
  /** Called once, before the first wait: AWS is generating the report. */
  onWait(): void;
}

/** AWS generates a report in seconds, for thousands of users in about a minute. */
export const REPORT_WAIT_LIMIT_MS = 60_000;
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 8_000;

/** GetCredentialReport's answers for a report that is not, or no longer, there to get: generate one and wait. */
const REPORT_NOT_READY_CODES = new Set(['ReportNotPresent', 'ReportInProgress', 'ReportExpired']);
const ACCESS_DENIED_HINT = 'the audit needs iam:GenerateCredentialReport and iam:GetCredentialReport';

/**
 * The account's credential report: GenerateCredentialReport until its State is COMPLETE (it is at
 * once while the last report is under 4 hours old), then GetCredentialReport; backing off, for at
 * most REPORT_WAIT_LIMIT_MS.
 */
export async function downloadCredentialReport(request: AwsClientRequest, polling: ReportPolling): Promise<CredentialReportDownload> {
  return withClient(createIamClient(request), async (iam) => {
    const deadline = polling.now().getTime() + REPORT_WAIT_LIMIT_MS;
    for (let attempt = 0; ; attempt++) {
      const report = (await generateCredentialReport(iam)) === 'COMPLETE' ? await getCredentialReport(iam) : undefined;
      if (report !== undefined) return report;
      const remaining = deadline - polling.now().getTime();
      if (remaining <= 0) {
        throw new AwsMfaError('credential report', `AWS has not generated it after ${REPORT_WAIT_LIMIT_MS / 1000} s`, {
          hint: 'try again in a minute',
        });
      }
      if (attempt === 0) polling.onWait();
      await polling.sleep(Math.min(FIRST_DELAY_MS * 2 ** attempt, MAX_DELAY_MS, remaining));
    }
  });
}

async function generateCredentialReport(iam: IamClient): Promise<string | undefined> {
  const response = await iam.call('GenerateCredentialReport', (client) => client.send(new GenerateCredentialReportCommand({})), {
    accessDeniedHint: ACCESS_DENIED_HINT,
  });
  return response.State;
}

/** The report, or undefined when AWS has none to give yet (still in progress, or expired since it said COMPLETE). */
async function getCredentialReport(iam: IamClient): Promise<CredentialReportDownload | undefined> {
  try {
    const response = await iam.call('GetCredentialReport', (client) => client.send(new GetCredentialReportCommand({})), {
      accessDeniedHint: ACCESS_DENIED_HINT,
    });
    return { csv: new TextDecoder().decode(response.Content), generatedTime: response.GeneratedTime };
  } catch (error) {
    if (error instanceof AwsCallError && REPORT_NOT_READY_CODES.has(error.code ?? '')) return undefined;
    throw error;
  }
}
