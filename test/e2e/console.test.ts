import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCallerIdentity } from '../../src/aws/sts.js';
import { type FakeFederation, startFakeFederation } from './harness/fake-federation.js';
import { useMoto } from './harness/moto.js';
import { expectNoSecrets, expectRefusal } from './harness/refusals.js';
import { type Sandbox, useSandbox } from './harness/sandbox.js';
import { describeRun, longTermKeys, longTermSection, mfaSerial, motoSession } from './harness/session-fixtures.js';

// `console` against moto's STS and a local federation endpoint that, as AWS does, signs in only
// role sessions: it asks moto who the session is and refuses anything but an assumed role.

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'eu-west-1' });

const ROLE_ARN = 'arn:aws:iam::111111111111:role/admin';
const CONFIG = `[profile root]\nmfa_serial = ${mfaSerial}\n\n[profile admin]\nrole_arn = ${ROLE_ARN}\nsource_profile = root\n`;

let federation: FakeFederation;

beforeEach(async () => {
  await moto.reset();
  federation = await startFakeFederation(async (session) => {
    const identity = await getCallerIdentity({
      credentials: {
        accessKeyId: session.sessionId,
        secretAccessKey: session.sessionKey,
        sessionToken: session.sessionToken,
        expiration: new Date(),
      },
      target: { region: 'us-east-1', endpoint: moto.url, caBundle: undefined },
      env: {},
    });
    return identity.arn.includes(':assumed-role/');
  });
});

afterEach(() => federation.close());

function setUp(box: Sandbox): void {
  box.writeCredentials(longTermSection('root'));
  box.writeConfig(CONFIG);
}

/** A $BROWSER that records what it was asked to open. */
function recordingBrowser(box: Sandbox): { command: string; opened: () => string } {
  const record = `${box.home}/opened`;
  const command = box.writeFile('bin/browser', `#!/bin/sh\nprintf '%s' "$1" > '${record}'\n`, 0o755);
  return { command, opened: () => readFileSync(record, 'utf8') };
}

describe('console', () => {
  it('--url prints the sign-in URL of the role session, and nothing else on stdout', async () => {
    const box = sandbox();
    setUp(box);

    const result = await box.runCli(['console', '-p', 'admin', '--url', '--code', '123456'], {
      env: { AWS_MFA_SIGNIN_ENDPOINT: federation.url },
    });

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout.split('\n')).toHaveLength(2);
    const url = new URL(result.stdout.trim());
    expect(`${url.origin}${url.pathname}`).toBe(federation.url);
    expect(url.searchParams.get('Action')).toBe('login');
    expect(url.searchParams.get('Destination')).toBe('https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1');
    expect(url.searchParams.get('SigninToken')).toBe(federation.tokens[0]);
    // The federation endpoint saw the role session, not the MFA session that signed its AssumeRole.
    expect(federation.sessions).toHaveLength(1);
    expect(federation.sessions[0]?.sessionId).toMatch(/^ASIA/);
    expect(federation.sessions[0]?.sessionId).not.toBe(motoSession.accessKeyId);
    const actions = (await moto.recordedRequests()).map((request) => request.action);
    expect(actions).toEqual(['GetSessionToken', 'GetCallerIdentity', 'AssumeRole', 'GetCallerIdentity']);
  });

  it('opens the browser on a private page that forwards to the URL: the URL is on no command line', async () => {
    const box = sandbox();
    setUp(box);
    const browser = recordingBrowser(box);

    const result = await box.runCli(['console', '-p', 'admin', '--code', '123456', '--debug'], {
      env: { AWS_MFA_SIGNIN_ENDPOINT: federation.url, BROWSER: browser.command },
    });

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toBe('');
    const opened = browser.opened();
    expect(opened).toMatch(/^file:\/\/.*\/aws-mfa\/signin\/signin-[0-9a-f]+\.html$/);
    const page = fileURLToPath(opened);
    expect(statSync(page).mode & 0o777).toBe(0o600);
    const token = federation.tokens[0] ?? '';
    expect(readFileSync(page, 'utf8')).toContain(encodeURIComponent(token).replace(/%2D/g, '-'));
    expect(opened).not.toContain(token);
    expect(result.stderr).toContain(`aws-mfa: opened the AWS console for admin (${ROLE_ARN}) in the browser`);
    expectNoSecrets(expect, result.stderr, [token, longTermKeys.secretAccessKey, motoSession.secretAccessKey]);
    expect(result.stderr).not.toContain('SigninToken');
  });

  it('serves a cached role session with no code and no STS call', async () => {
    const box = sandbox();
    setUp(box);
    const env = { AWS_MFA_SIGNIN_ENDPOINT: federation.url };
    expect((await box.runCli(['credential-process', '-p', 'admin', '--code', '123456'], { env })).code).toBe(0);
    await moto.clearRecording();

    const result = await box.runCli(['console', '-p', 'admin', '--url'], { env });

    expect(result.code, describeRun(result)).toBe(0);
    expect((await moto.recordedRequests()).filter((request) => request.action !== 'GetCallerIdentity')).toEqual([]);
  });

  it('a profile with no role: exit 1 before any code or AWS call, nothing written, the two ways out', async () => {
    const box = sandbox();
    setUp(box);
    const before = box.snapshot();

    const result = await box.runCli(['console', '-p', 'root'], { env: { AWS_MFA_SIGNIN_ENDPOINT: federation.url } });

    expectRefusal(expect, result, {
      exit: 1,
      words: ['cannot open the console for root', 'role sessions only', '`aws-mfa code root`', 'role profile'],
    });
    expect(await moto.recordedRequests()).toEqual([]);
    expect(federation.sessions).toEqual([]);
    expect(box.snapshot()).toEqual(before);
  });

  it.each([
    [['--destination', 'console.aws.amazon.com'], 'bad --destination'],
    [['--destination', 'http://console.aws.amazon.com/'], 'not an https:// URL'],
  ])('bad input %j: exit 2, one line, nothing asked or written', async (args, words) => {
    const box = sandbox();
    setUp(box);
    const before = box.snapshot();

    const result = await box.runCli(['console', '-p', 'admin', ...args], { env: { AWS_MFA_SIGNIN_ENDPOINT: federation.url } });

    expectRefusal(expect, result, { exit: 2, words: [words] });
    expect(await moto.recordedRequests()).toEqual([]);
    expect(box.snapshot()).toEqual(before);
  });

  it('a bad AWS_MFA_SIGNIN_ENDPOINT is bad usage', async () => {
    const box = sandbox();
    setUp(box);

    const result = await box.runCli(['console', '-p', 'admin', '--url', '--code', '123456'], {
      env: { AWS_MFA_SIGNIN_ENDPOINT: 'signin.example' },
    });

    expectRefusal(expect, result, { exit: 2, words: ['bad AWS_MFA_SIGNIN_ENDPOINT'] });
  });
});
