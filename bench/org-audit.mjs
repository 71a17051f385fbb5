#!/usr/bin/env node
// Times `aws-mfa audit --organization` over an organisation of 100 accounts on a local moto_server,
// at --concurrency 1, 8 and 32, and prints the figures as Markdown (docs/performance.md holds a
// copy). Not a test: nothing here passes or fails on time. Needs: a built aws-mfa (npm run build),
// and a python3 on PATH with moto and boto3.
//   node bench/org-audit.mjs [--accounts 100] [--concurrency 1,8,32] [--warm-runs 3]
//
// For each concurrency, moto is reset and the organisation created anew, then:
// - cold: a new MFA session, and every account's first credential report (moto, like AWS, answers
//   the first GenerateCredentialReport with STARTED: aws-mfa polls again after 1 s);
// - warm: the cached session, and reports that AWS (and moto) hand out at once while under 4 h old.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median, sandboxEnvironment, startMoto, writeProfiles } from './harness.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'bin', 'aws-mfa');
const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '1,8,32' },
    'warm-runs': { type: 'string', default: '3' },
  },
});
const accountCount = Number(values.accounts);
const concurrencies = values.concurrency.split(',').map(Number);
const warmRuns = Number(values['warm-runs']);

/** Every tenth account has two users without MFA (one with a console password, one with a key) and one with. */
const createOrganization = `
import boto3, os
org = boto3.client('organizations')
org.create_organization(FeatureSet='ALL')
members = int(os.environ['MEMBERS'])
for index in range(members):
    account = org.create_account(AccountName='member-%03d' % index, Email='m%03d@example.com' % index)['CreateAccountStatus']['AccountId']
    if index % 10 != 0:
        continue
    role = 'arn:aws:iam::%s:role/OrganizationAccountAccessRole' % account
    c = boto3.client('sts').assume_role(RoleArn=role, RoleSessionName='setup')['Credentials']
    iam = boto3.client('iam', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])
    iam.create_user(UserName='console-user')
    iam.create_login_profile(UserName='console-user', Password='Correct-Horse-Battery-1')
    iam.create_user(UserName='ci-bot')
    iam.create_access_key(UserName='ci-bot')
    iam.create_user(UserName='careful')
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName='careful')['VirtualMFADevice']['SerialNumber']
    iam.enable_mfa_device(UserName='careful', SerialNumber=serial, AuthenticationCode1='123456', AuthenticationCode2='654321')
`;

const moto = await startMoto();
try {
  const rows = [];
  for (const concurrency of concurrencies) rows.push(await measure(concurrency));
  console.log(report(rows));
} finally {
  moto.stop();
}

async function measure(concurrency) {
  await moto.reset();
  const home = mkdtempSync(path.join(os.tmpdir(), 'aws-mfa-org-bench-'));
  try {
    const env = sandboxEnvironment(home, moto.port);
    const setup = spawnSync('python3', ['-c', createOrganization], {
      env: { ...env, MEMBERS: String(accountCount - 1), AWS_ACCESS_KEY_ID: 'AKIABENCHORGAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'bench' },
      encoding: 'utf8',
    });
    if (setup.status !== 0) throw new Error(`creating the organisation failed: ${setup.stderr}`);
    writeProfiles(home);
    const audit = ['audit', '-p', 'prod', '--organization', '--format', 'json', '--concurrency', String(concurrency)];
    const cold = timedAudit([...audit, '--code', '123456'], env);
    const warm = median(Array.from({ length: warmRuns }, () => timedAudit(audit, env)));
    return { concurrency, cold, warm };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** One run's wall time in ms; it must audit every account (exit 3: the planted findings, none not audited). */
function timedAudit(args, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(cli, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  const findings = result.status === 3 ? JSON.parse(result.stdout) : undefined;
  const expected = Math.ceil((accountCount - 1) / 10) * 2;
  if (findings?.length !== expected || findings.some((finding) => finding.check === 'account-not-audited')) {
    throw new Error(`aws-mfa ${args.join(' ')}: exit ${result.status}, ${findings?.length} findings (want ${expected}): ${result.stderr}`);
  }
  return elapsed;
}

function report(rows) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, Node ${process.version}, moto_server on the same machine; ${accountCount} ACTIVE accounts, warm: median of ${warmRuns}.`,
    '',
    '| --concurrency | cold: wall | cold: per account | warm: wall | warm: per account |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const { concurrency, cold, warm } of rows) {
    lines.push(`| ${concurrency} | ${seconds(cold)} | ${ms(cold / accountCount)} | ${seconds(warm)} | ${ms(warm / accountCount)} |`);
  }
  return lines.join('\n');
}

function seconds(milliseconds) {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

function ms(milliseconds) {
  return `${milliseconds.toFixed(0)} ms`;
}
