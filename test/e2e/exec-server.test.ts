import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useMoto } from './harness/moto.js';
import { cliPath, repoRoot } from './harness/paths.js';
import { killGroup } from './harness/process.js';
import { pythonPath } from './harness/python.js';
import { type EnvOverrides, type Sandbox, useSandbox } from './harness/sandbox.js';
import {
  describeRun,
  longTermKeys,
  longTermSection,
  mfaSerial,
  motoAccount,
  motoSession,
  sessionTokenCalls,
  setUpProd,
  timed,
} from './harness/session-fixtures.js';
import { SwitchableProxy } from './harness/switchable-proxy.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(() => moto.reset());

const withCode = ['-p', 'prod', '--code', '123456'];
/** A code with no terminal and no --code: moto takes any code. */
const codeFromProcess = 'mfa_process = echo 654321\n';
/** A 900 s session is within the 15 min refresh margin from the start: every request renews it. */
const renewedOnEveryRequest = ['--duration', '15m'];
/** Variables that would make a consumer use something else than the server, set to decoys. */
const decoys: EnvOverrides = {
  AWS_PROFILE: 'prod-decoy',
  AWS_DEFAULT_PROFILE: 'prod-decoy',
  AWS_ACCESS_KEY_ID: 'AKIADECOYDECOEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'decoy-secret',
  AWS_SESSION_TOKEN: 'decoy-token',
  AWS_CREDENTIAL_EXPIRATION: '2099-01-01T00:00:00Z',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/decoy',
  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/nonexistent/decoy-token',
};

/** Node code run as an ES module inside the child, from the repository so that the SDK resolves. */
function nodeChild(code: string): string[] {
  return [process.execPath, '--input-type=module', '-e', code];
}

/** A child that fetches the server with each Authorization header given (null: none) and prints status and body. */
const FETCH_WITH_HEADERS = `
const url = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
const token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
const headers = [null, 'wrong', token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')), token + '0', token];
const answers = [];
for (const header of headers) {
  const response = await fetch(url, header === null ? {} : { headers: { Authorization: header } });
  answers.push({ status: response.status, body: await response.text() });
}
const post = await fetch(url, { method: 'POST', headers: { Authorization: token } });
answers.push({ status: post.status, body: await post.text() });
process.stdout.write(JSON.stringify({ token, answers }));
`;

/** Reads lines from stdin; for each, fetches the server once and prints {status, body} as one line. */
const FETCH_PER_LINE = `
import { createInterface } from 'node:readline';
const url = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
const headers = { Authorization: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN };
for await (const _ of createInterface({ input: process.stdin })) {
  const response = await fetch(url, { headers });
  process.stdout.write(JSON.stringify({ status: response.status, body: await response.text() }) + '\\n');
}
`;

describe('exec --server with real consumers', () => {
  const getCallerIdentityInNode = (credentials: string) => `
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromContainerMetadata, fromNodeProviderChain } from '@aws-sdk/credential-providers';
const client = new STSClient({ credentials: ${credentials} });
process.stdout.write(JSON.stringify(await client.send(new GetCallerIdentityCommand({}))));
`;
  it.each([
    { consumer: 'the AWS CLI', command: () => ['aws', 'sts', 'get-caller-identity'] },
    {
      consumer: 'boto3',
      command: () => [pythonPath(), '-c', "import boto3, json; print(json.dumps(boto3.client('sts').get_caller_identity()))"],
    },
    { consumer: "the JS SDK's fromContainerMetadata", command: () => nodeChild(getCallerIdentityInNode('fromContainerMetadata()')) },
    { consumer: "the JS SDK's fromNodeProviderChain", command: () => nodeChild(getCallerIdentityInNode('fromNodeProviderChain()')) },
  ])('$consumer calls sts:GetCallerIdentity with the served session, not the decoys', async ({ command }) => {
    const box = sandbox();
    setUpProd(box);

    const result = await box.runCli(['exec', '--server', ...withCode, '--', ...command()], { env: decoys, cwd: repoRoot });

    expect(result.code, describeRun(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Account: motoAccount });
    expect((await moto.recordedRequests()).map((request) => [request.action, request.accessKeyId])).toEqual([
      ['GetSessionToken', longTermKeys.accessKeyId],
      ['GetCallerIdentity', motoSession.accessKeyId],
    ]);
  });

  it('gives the child the server and its token, keeps region and endpoint, and removes keys and profiles', async () => {
    const box = sandbox();
    setUpProd(box, 'region = eu-west-1\n');
    const printEnv = nodeChild('process.stdout.write(JSON.stringify(process.env))');
    const env = { ...decoys, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, MY_SETTING: 'kept as is' };

    const first = await box.runCli(['exec', '--server', ...withCode, '--', ...printEnv], { env });
    const second = await box.runCli(['exec', '--server', '-p', 'prod', '--', ...printEnv], { env });

    expect(first.code, describeRun(first)).toBe(0);
    expect(second.code, describeRun(second)).toBe(0);
    const [firstEnv, secondEnv] = [first, second].map((result) => JSON.parse(result.stdout) as Record<string, string>);
    expect(firstEnv).toMatchObject({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
      AWS_CONTAINER_AUTHORIZATION_TOKEN: expect.stringMatching(/^[0-9a-f]{64}$/),
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: moto.url,
      MY_SETTING: 'kept as is',
    });
    for (const name of Object.keys(decoys)) expect(firstEnv).not.toHaveProperty(name);
    expect(secondEnv?.AWS_CONTAINER_AUTHORIZATION_TOKEN).not.toBe(firstEnv?.AWS_CONTAINER_AUTHORIZATION_TOKEN);
    expect(first.stderr + second.stderr).toBe('');
  });

  it('answers 403 with nothing else to a missing or wrong token, and the credentials to the right one; --debug shows no secret', async () => {
    const box = sandbox();
    setUpProd(box);

    const [result, window] = await timed(() =>
      box.runCli(['--debug', 'exec', '--server', ...withCode, '--', ...nodeChild(FETCH_WITH_HEADERS)]),
    );

    expect(result.code, describeRun(result)).toBe(0);
    const { token, answers } = JSON.parse(result.stdout) as { token: string; answers: Array<{ status: number; body: string }> };
    expect(result.stderr).toContain('credential server: refused a request without the right token');
    for (const secret of [token, motoSession.secretAccessKey, longTermKeys.secretAccessKey]) expect(result.stderr).not.toContain(secret);
    expect(answers.slice(0, 4)).toEqual(Array(4).fill({ status: 403, body: '' }));
    expect(answers[4]?.status).toBe(200);
    const served = JSON.parse(answers[4]?.body ?? '') as Record<string, string>;
    expect(Object.keys(served).sort()).toEqual(['AccessKeyId', 'Expiration', 'SecretAccessKey', 'Token']);
    expect(served).toMatchObject({ AccessKeyId: motoSession.accessKeyId, SecretAccessKey: motoSession.secretAccessKey });
    expect(served.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(served.Expiration ?? '')).toBeGreaterThan(window.startMs + 7 * 60 * 60 * 1000);
    expect(answers[5]).toEqual({ status: 405, body: '' });
  });

  it('listens on 127.0.0.1 only: the same port on any other address of the machine refuses', async () => {
    const box = sandbox();
    setUpProd(box);
    const otherAddresses = [
      '127.0.0.2',
      '::1',
      ...Object.values(networkInterfaces())
        .flat()
        .flatMap((address) => (address && !address.internal && address.family === 'IPv4' ? [address.address] : [])),
    ];
    const tryEach = `
import net from 'node:net';
const port = Number(new URL(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI).port);
const outcome = (host) => new Promise((resolve) => {
  const socket = net.connect({ host, port }, () => { socket.destroy(); resolve('connected'); });
  socket.on('error', (error) => resolve(error.code));
});
const results = {};
for (const host of ['127.0.0.1', ...${JSON.stringify(otherAddresses)}]) results[host] = await outcome(host);
process.stdout.write(JSON.stringify(results));
`;

    const result = await box.runCli(['exec', '--server', ...withCode, '--', ...nodeChild(tryEach)]);

    expect(result.code, describeRun(result)).toBe(0);
    const results = JSON.parse(result.stdout) as Record<string, string>;
    expect(results['127.0.0.1']).toBe('connected');
    for (const address of otherAddresses) expect(['ECONNREFUSED', 'EADDRNOTAVAIL', 'ENETUNREACH']).toContain(results[address]);
  });

  it('serves --force and --code to the first session only, with --duration', async () => {
    const box = sandbox();
    setUpProd(box);
    expect((await box.runCli(['login', ...withCode])).code).toBe(0);
    await moto.clearRecording();
    const fetchTwice = `
for (let i = 0; i < 2; i++) {
  const response = await fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, { headers: { Authorization: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN } });
  process.stdout.write(JSON.parse(await response.text()).Expiration + '\\n');
}`;

    const [result, window] = await timed(() =>
      box.runCli(['exec', '--server', '-p', 'prod', '--force', '--code', '111111', '--duration', '1h', '--', ...nodeChild(fetchTwice)]),
    );

    expect(result.code, describeRun(result)).toBe(0);
    const calls = await sessionTokenCalls(moto);
    expect(calls.map((call) => [call.body.get('TokenCode'), call.body.get('DurationSeconds')])).toEqual([['111111', '3600']]);
    const expirations = result.stdout.trim().split('\n').map(Date.parse);
    expect(expirations).toHaveLength(2);
    for (const expiration of expirations) expect(expiration).toBeLessThanOrEqual(window.endMs + 3600_000 + 5_000);
  });

  it('asks for the code on the terminal when a renewal needs one, while the request waits', async () => {
    const box = sandbox();
    setUpProd(box);
    const fetchOnce = `
const response = await fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, { headers: { Authorization: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN } });
process.stdout.write('served with status ' + response.status + '\\n');`;

    const result = await box.runInPty(
      ['aws-mfa', 'exec', '--server', ...withCode, ...renewedOnEveryRequest, '--', ...nodeChild(fetchOnce)],
      async (terminal) => {
        await terminal.waitForText('MFA code for prod');
        await terminal.type('222222\r');
      },
    );

    expect(result, result.transcript).toMatchObject({ code: 0, signal: null });
    expect(result.stdout).toBe('served with status 200\n');
    expect((await sessionTokenCalls(moto)).map((call) => call.body.get('TokenCode'))).toEqual(['123456', '222222']);
  });

  it('keeps a child going across several renewals with no terminal and no code', async () => {
    const box = sandbox();
    setUpProd(box, codeFromProcess);
    const callThrice = [
      pythonPath(),
      '-c',
      "import boto3\nsts = boto3.client('sts')\nfor _ in range(3): print(sts.get_caller_identity()['Account'])",
    ];

    const result = await box.runCli(['exec', '--server', '-p', 'prod', ...renewedOnEveryRequest, '--', ...callThrice]);

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toBe(`${motoAccount}\n`.repeat(3));
    const requests = await moto.recordedRequests();
    const sessions = requests.filter((request) => request.action === 'GetSessionToken');
    const identities = requests.filter((request) => request.action === 'GetCallerIdentity');
    // The first session before the child starts, then one at least for each of botocore's fetches.
    expect(sessions.length).toBeGreaterThanOrEqual(4);
    expect(sessions.every((request) => request.body.get('TokenCode') === '654321')).toBe(true);
    expect(identities.map((request) => request.accessKeyId)).toEqual(Array(3).fill(motoSession.accessKeyId));
    // The short-session note is given once, not on every renewal.
    expect(result.stderr.match(/a 15m session is refreshed 15m before it ends/g)).toHaveLength(1);
  });
});

describe('exec --server with a role profile', () => {
  const ROLE_ARN = 'arn:aws:iam::111111111111:role/admin';
  /** root (long-term keys, mfa_serial, a code from mfa_process) → admin, a role whose 900 s sessions are renewed on every request. */
  function setUpRole(box: Sandbox): void {
    box.writeCredentials(longTermSection('root'));
    box.writeConfig(
      [
        '[profile root]',
        `mfa_serial = ${mfaSerial}`,
        codeFromProcess,
        '[profile admin]',
        `role_arn = ${ROLE_ARN}`,
        'source_profile = root',
        'duration_seconds = 900',
        '',
      ].join('\n'),
    );
  }

  it('the AWS CLI gets the assumed role', async () => {
    const box = sandbox();
    setUpRole(box);

    const result = await box.runCli(['exec', '--server', '-p', 'admin', '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json']);

    expect(result.code, describeRun(result)).toBe(0);
    expect(JSON.parse(result.stdout).Arn).toMatch(/^arn:aws:sts::111111111111:assumed-role\/admin\//);
  });

  it('keeps a boto3 child going across several renewals of a 900 s role session: one GetSessionToken, an AssumeRole for each', async () => {
    const box = sandbox();
    setUpRole(box);
    const callThrice = [
      pythonPath(),
      '-c',
      "import boto3\nsts = boto3.client('sts')\nfor _ in range(3): print(sts.get_caller_identity()['Arn'])",
    ];

    const result = await box.runCli(['exec', '--server', '-p', 'admin', '--', ...callThrice]);

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toMatch(/^(arn:aws:sts::111111111111:assumed-role\/admin\/\S+\n){3}$/);
    expect(result.stderr).toBe('');
    const requests = await moto.recordedRequests();
    const sessions = requests.filter((request) => request.action === 'GetSessionToken');
    const roles = requests.filter((request) => request.action === 'AssumeRole');
    const identities = requests.filter(
      (request) => request.action === 'GetCallerIdentity' && request.accessKeyId !== motoSession.accessKeyId,
    );
    expect(sessions.map((request) => [request.accessKeyId, request.body.get('TokenCode')])).toEqual([[longTermKeys.accessKeyId, '654321']]);
    // The first role session before the child starts, then one at least for each of botocore's fetches.
    expect(roles.length).toBeGreaterThanOrEqual(4);
    for (const request of roles) {
      expect(request.accessKeyId).toBe(motoSession.accessKeyId);
      expect(Object.fromEntries(request.body)).toMatchObject({ RoleArn: ROLE_ARN, DurationSeconds: '900' });
    }
    // Each of the child's calls is made with a role session renewed for it.
    expect(identities).toHaveLength(3);
    expect(new Set(identities.map((request) => request.accessKeyId)).size).toBe(3);
    for (const identity of identities) expect(requests[requests.indexOf(identity) - 1]?.action).toBe('AssumeRole');
  });
});

/** aws-mfa started with pipes, in a process group of its own, its child's lines read one by one. */
class RunningExec {
  readonly process: ChildProcessWithoutNullStreams;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = '';
  readonly #lines: AsyncIterator<string>;

  constructor(box: Sandbox, args: readonly string[], env: EnvOverrides = {}) {
    this.process = spawn(cliPath, args, { env: box.env(env), cwd: repoRoot, detached: true, stdio: 'pipe' });
    this.process.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.process.once('close', (code, signal) => resolve({ code, signal })));
    this.#lines = createInterface({ input: this.process.stdout })[Symbol.asyncIterator]();
  }

  async nextLine(): Promise<string> {
    const bounded = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no line from the child\nstderr: ${this.stderr}`)), 30_000).unref(),
    );
    const next = await Promise.race([this.#lines.next(), bounded]);
    if (next.done) throw new Error(`the child's output ended\nstderr: ${this.stderr}`);
    return next.value;
  }

  async exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const bounded = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('aws-mfa did not exit')), 30_000).unref());
    return Promise.race([this.exited, bounded]);
  }

  kill(): void {
    killGroup(this.process.pid);
  }
}

function connectOutcome(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function groupIsGone(pid: number | undefined): boolean {
  try {
    process.kill(-(pid ?? 0), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

describe('exec --server lives as long as its command', () => {
  let running: RunningExec | undefined;
  afterEach(() => running?.kill());

  it.each([
    {
      what: "passes the child's exit status on",
      // Exits once its stdin ends: the port is checked open while it runs.
      script: 'echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; read -r _; exit 7',
      signal: undefined,
      status: 7,
    },
    {
      what: 'forwards SIGTERM to the child and passes on the status it exits with',
      script: 'trap "exit 42" TERM; echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; while :; do sleep 0.05; done',
      signal: 'SIGTERM' as const,
      status: 42,
    },
    {
      what: 'exits 128+15 when SIGTERM kills the child',
      script: 'echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; exec sleep 30',
      signal: 'SIGTERM' as const,
      status: 143,
    },
  ])('$what, then closes the port and leaves nothing running', async ({ script, signal, status }) => {
    const box = sandbox();
    setUpProd(box);
    running = new RunningExec(box, ['exec', '--server', ...withCode, '--', 'sh', '-c', script]);

    const url = await running.nextLine();
    expect(await connectOutcome(url)).toBe('connected');
    // Only aws-mfa itself is signalled, not its process group: the child hears it from aws-mfa.
    if (signal) process.kill(running.process.pid ?? 0, signal);
    else running.process.stdin.end();
    const exit = await running.exit();

    expect(exit, running.stderr).toEqual({ code: status, signal: null });
    expect(running.stderr).toBe('');
    expect(await connectOutcome(url)).toBe('ECONNREFUSED');
    expect(groupIsGone(running.process.pid)).toBe(true);
  });

  it.each([[['exec']], [['exec', '--server']]])('%j gives the child a piped stdin it can wait on', async (exec) => {
    const box = sandbox();
    setUpProd(box);
    // The child reads only after it said so: a stdin left non-blocking would give it EAGAIN, not the line.
    running = new RunningExec(box, [...exec, ...withCode, '--', 'sh', '-c', 'echo ready; read -r line; echo "read $? $line"']);

    expect(await running.nextLine()).toBe('ready');
    await sleep(200);
    running.process.stdin.end('hello\n');

    expect(await running.nextLine()).toBe('read 0 hello');
    expect(await running.exit()).toEqual({ code: 0, signal: null });
  });

  it('runs nothing and starts no server when it cannot get the first session', async () => {
    const box = sandbox();
    setUpProd(box);

    const result = await box.runCli(['exec', '--server', '-p', 'prod', '--', 'sh', '-c', 'echo the child ran']);

    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^aws-mfa: [^\n]*\n$/);
  });

  it('answers 5xx with a one-line reason while STS is down, keeps serving, and recovers when STS is back', async () => {
    const box = sandbox();
    setUpProd(box, codeFromProcess);
    const sts = await SwitchableProxy.start(moto.url);
    try {
      running = new RunningExec(box, ['exec', '--server', '-p', 'prod', ...renewedOnEveryRequest, '--', ...nodeChild(FETCH_PER_LINE)], {
        AWS_ENDPOINT_URL: sts.url,
      });
      const fetchOnce = async () => {
        running?.process.stdin.write('fetch\n');
        return JSON.parse((await running?.nextLine()) ?? '') as { status: number; body: string };
      };

      const before = await fetchOnce();
      sts.down();
      const whileDown = await fetchOnce();
      const stillDown = await fetchOnce();
      sts.up();
      const after = await fetchOnce();
      running.process.stdin.end();
      const exit = await running.exit();

      expect(before.status).toBe(200);
      for (const answer of [whileDown, stillDown]) {
        expect(answer.status).toBe(500);
        const reason = JSON.parse(answer.body) as { message: string };
        expect(Object.keys(reason)).toEqual(['message']);
        expect(reason.message).toMatch(/^aws-mfa: [^\n]+$/);
        for (const secret of [motoSession.secretAccessKey, longTermKeys.secretAccessKey, '654321'])
          expect(answer.body).not.toContain(secret);
      }
      expect(after.status).toBe(200);
      expect(JSON.parse(after.body)).toMatchObject({ AccessKeyId: motoSession.accessKeyId });
      expect(exit).toEqual({ code: 0, signal: null });
      expect(running.stderr).toContain(`${(JSON.parse(whileDown.body) as { message: string }).message}\n`);
      expect(running.stderr).not.toContain(motoSession.secretAccessKey);
    } finally {
      await sts.close();
    }
  });
});
