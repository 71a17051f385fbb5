import type { FakeReply, RecordedRequest } from './fake-aws.js';
import { iamErrorReply } from './fake-iam.js';

const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
const REQUEST_ID = '5d3f1c2a-8b7e-4e0f-9a6d-2c1b0e9f8a7d';

export type ReportState = 'STARTED' | 'INPROGRESS' | 'COMPLETE';

/** GenerateCredentialReport's answer, as IAM sends it (a Description only while not COMPLETE). */
export function generateCredentialReportReply(state: ReportState): FakeReply {
  const description =
    state === 'COMPLETE' ? '' : '    <Description>No report exists. Starting a new report generation task</Description>\n';
  return {
    status: 200,
    body:
      `<GenerateCredentialReportResponse xmlns="${IAM_NAMESPACE}">\n  <GenerateCredentialReportResult>\n${description}` +
      `    <State>${state}</State>\n  </GenerateCredentialReportResult>\n` +
      `  <ResponseMetadata>\n    <RequestId>${REQUEST_ID}</RequestId>\n  </ResponseMetadata>\n</GenerateCredentialReportResponse>\n`,
  };
}

/** GetCredentialReport's answer: the CSV as base64 in Content. */
export function getCredentialReportReply(csv: string, generatedTime: string): FakeReply {
  return {
    status: 200,
    body:
      `<GetCredentialReportResponse xmlns="${IAM_NAMESPACE}">\n  <GetCredentialReportResult>\n` +
      `    <Content>${Buffer.from(csv).toString('base64')}</Content>\n    <ReportFormat>text/csv</ReportFormat>\n` +
      `    <GeneratedTime>${generatedTime}</GeneratedTime>\n  </GetCredentialReportResult>\n` +
      `  <ResponseMetadata>\n    <RequestId>${REQUEST_ID}</RequestId>\n  </ResponseMetadata>\n</GetCredentialReportResponse>\n`,
  };
}

/** GetCredentialReport's errors: codes, HTTP statuses and messages of IAM's API reference. */
export const reportErrors = {
  ReportNotPresent: () =>
    iamErrorReply(410, 'ReportNotPresent', 'Credential report not present. To generate a credential report, use GenerateCredentialReport.'),
  ReportInProgress: () => iamErrorReply(404, 'ReportInProgress', 'Credential report is still being generated.'),
  ReportExpired: () =>
    iamErrorReply(
      410,
      'ReportExpired',
      'The most recent credential report has expired. To generate a new one, use GenerateCredentialReport.',
    ),
} as const;

/**
 * A scripted IAM: each GenerateCredentialReport takes the next of `states` (the last one repeats),
 * each GetCredentialReport the next of `gets` (the last one repeats).
 */
export function scriptedReportIam(
  states: readonly ReportState[],
  gets: readonly (() => FakeReply)[],
): (request: RecordedRequest) => FakeReply {
  let generateCalls = 0;
  let getCalls = 0;
  return (request) => {
    const action = request.params.get('Action');
    if (action === 'GenerateCredentialReport')
      return generateCredentialReportReply(states[Math.min(generateCalls++, states.length - 1)] ?? 'COMPLETE');
    if (action === 'GetCredentialReport') {
      const reply = gets[Math.min(getCalls++, gets.length - 1)];
      if (reply !== undefined) return reply();
    }
    return iamErrorReply(400, 'InvalidAction', `unexpected ${action}`);
  };
}
