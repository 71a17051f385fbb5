import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { useMoto } from './harness/moto.js';
import { cliPath } from './harness/paths.js';
import { killGroup, runProcess } from './harness/process.js';
import { type EnvOverrides, type Sandbox, useSandbox } from './harness/sandbox.js';
import {
  describeRun,
  eightHours,
  expectExpiration,
  longTermKeys,
  motoAccount,
  motoSession,
  sectionOf,
  setUpProd,
  timed,
} from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(() => moto.reset());

const noRegion: EnvOverrides = { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined };
const withCode = ['-p', 'prod', '--code', '123456'];

/** The session that login wrote into [prod], as the variables env and exec hand out. */
function sessionVariables(box: Sandbox): Record<string, string> {
  const prod = sectionOf(readFileSync(box.credentialsPath, 'utf8'), 'prod');
  if (prod === undefined) throw new Error('login wrote no [prod]');
  return {
    AWS_ACCESS_KEY_ID: prod.aws_access_key_id ?? '',
    AWS_SECRET_ACCESS_KEY: prod.aws_secret_access_key ?? '',
    AWS_SESSION_TOKEN: prod.aws_session_token ?? '',
    AWS_CREDENTIAL_EXPIRATION: prod.expiration ?? '',
  };
}

async function login(box: Sandbox, env: EnvOverrides = {}): Promise<void> {
  const result = await box.runCli(['login', ...withCode], { env });
  expect(result.code, describeRun(result)).toBe(0);
}

/** The names an env script sets, in any shell's syntax. */
function exportedNames(script: string): string[] {
  return [...script.matchAll(/^(?:export |set -gx |\$Env:)(AWS_\w+)/gm)].map((match) => match[1] ?? '');
}

describe('env', () => {
  it('exports the session into sh, unsetting AWS_PROFILE, so that the AWS CLI uses it', async () => {
    const box = sandbox();
    setUpProd(box);
    const script =
      'eval "$(aws-mfa env -p prod --code 123456)" && echo "AWS_PROFILE=${AWS_PROFILE-unset}" >&2 && aws sts get-caller-identity';

    const result = await runProcess('sh', ['-c', script], { env: box.env({ AWS_PROFILE: 'prod-something-else' }), cwd: box.home });

    expect(result.code, describeRun(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Account: motoAccount });
    expect(result.stderr).toContain('AWS_PROFILE=unset');
    expect((await moto.recordedRequests()).map((request) => [request.action, request.accessKeyId])).toEqual([
      ['GetSessionToken', longTermKeys.accessKeyId],
      ['GetCallerIdentity', motoSession.accessKeyId],
    ]);
  });

  it.each([
    {
      shell: 'sh',
      set: (name: string, value: string) => `export ${name}='${value}'`,
      unset: /^unset AWS_PROFILE$/,
    },
    {
      shell: 'fish',
      set: (name: string, value: string) => `set -gx ${name} '${value}'`,
      unset: /^set -e (-g )?AWS_PROFILE$/,
    },
    {
      shell: 'powershell',
      set: (name: string, value: string) => `$Env:${name} = '${value}'`,
      unset: /^Remove-Item (-Path )?Env:\\?AWS_PROFILE\b/,
    },
  ])("prints $shell lines for the cached session and the config's region", async ({ shell, set, unset }) => {
    const box = sandbox();
    setUpProd(box, 'region = eu-west-1\n');
    await login(box, noRegion);
    const session = sessionVariables(box);
    await moto.clearRecording();

    const result = await box.runCli(['env', '-p', 'prod', '--shell', shell], { env: noRegion });

    expect(result.code, describeRun(result)).toBe(0);
    expect(await moto.recordedRequests()).toEqual([]);
    const lines = result.stdout.trimEnd().split('\n');
    const expectedSets = Object.entries({ ...session, AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' }).map(([name, value]) =>
      set(name, value),
    );
    const unsets = lines.filter((line) => !expectedSets.includes(line));
    expect(lines.filter((line) => expectedSets.includes(line)).sort()).toEqual([...expectedSets].sort());
    expect(unsets).toHaveLength(1);
    expect(unsets[0]).toMatch(unset);
    expect(result.stdout.endsWith('\n')).toBe(true);
  });

  it.each([
    { where: 'nowhere', config: '', env: noRegion, region: undefined },
    {
      where: 'in AWS_REGION, over the config',
      config: 'region = eu-west-1\n',
      env: { ...noRegion, AWS_REGION: 'ap-south-1' },
      region: 'ap-south-1',
    },
    { where: 'in AWS_DEFAULT_REGION only', config: '', env: { ...noRegion, AWS_DEFAULT_REGION: 'sa-east-1' }, region: 'sa-east-1' },
  ])('sets AWS_REGION and AWS_DEFAULT_REGION only when a region is known: $where', async ({ config, env, region }) => {
    const box = sandbox();
    setUpProd(box, config);

    const [result, window] = await timed(() => box.runCli(['env', ...withCode], { env }));

    expect(result.code, describeRun(result)).toBe(0);
    const names = exportedNames(result.stdout);
    const sessionNames = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION'];
    expect(names.sort()).toEqual([...sessionNames, ...(region ? ['AWS_REGION', 'AWS_DEFAULT_REGION'] : [])].sort());
    if (region) {
      expect(result.stdout).toContain(`export AWS_REGION='${region}'\n`);
      expect(result.stdout).toContain(`export AWS_DEFAULT_REGION='${region}'\n`);
    }
    expectExpiration(/^export AWS_CREDENTIAL_EXPIRATION='([^']*)'$/m.exec(result.stdout)?.[1], eightHours, window);
  });
});

describe('exec', () => {
  it('runs the AWS CLI with the session, even with another AWS_PROFILE set', async () => {
    const box = sandbox();
    setUpProd(box);

    const result = await box.runCli(['exec', ...withCode, '--', 'aws', 'sts', 'get-caller-identity'], {
      env: { AWS_PROFILE: 'prod-something-else' },
    });

    expect(result.code, describeRun(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Account: motoAccount });
    expect((await moto.recordedRequests()).map((request) => [request.action, request.accessKeyId])).toEqual([
      ['GetSessionToken', longTermKeys.accessKeyId],
      ['GetCallerIdentity', motoSession.accessKeyId],
    ]);
  });

  it('gives the child the session variables and the rest of the environment, without AWS_PROFILE', async () => {
    const box = sandbox();
    setUpProd(box);
    await login(box);
    const session = sessionVariables(box);
    const printEnv = 'process.stdout.write(JSON.stringify(process.env))';

    const result = await box.runCli(['exec', '-p', 'prod', '--', process.execPath, '-e', printEnv], {
      env: { AWS_PROFILE: 'prod', MY_SETTING: 'kept as is' },
    });

    expect(result.code, describeRun(result)).toBe(0);
    const childEnv = JSON.parse(result.stdout) as Record<string, string>;
    expect(childEnv).toMatchObject({
      ...session,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      MY_SETTING: 'kept as is',
      HOME: box.home,
    });
    expect(childEnv).not.toHaveProperty('AWS_PROFILE');
  });

  it('passes stdin and stdout through to the child', async () => {
    const box = sandbox();
    setUpProd(box);
    const input = 'first line\nsecond line, no newline at the end';

    const result = await box.runCli(['exec', ...withCode, '--', 'cat'], { stdin: input });

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toBe(input);
  });

  it.each([
    { what: "passes the child's exit status on", command: ['sh', '-c', 'exit 7'], status: 7 },
    { what: 'exits 128+15 when a SIGTERM kills the child', command: ['sh', '-c', 'kill -TERM $$'], status: 143 },
  ])('$what', async ({ command, status }) => {
    const box = sandbox();
    setUpProd(box);

    const result = await box.runCli(['exec', ...withCode, '--', ...command]);

    expect(result.code, describeRun(result)).toBe(status);
    expect(result.signal).toBeNull();
  });

  it.each([
    { what: 'does not exist', command: 'no-such-command-for-aws-mfa', status: 127 },
    { what: 'is not executable', command: './not-executable.sh', status: 126 },
  ])('exits $status with one line when the command $what', async ({ command, status }) => {
    const box = sandbox();
    setUpProd(box);
    box.writeFile('not-executable.sh', 'echo it ran\n', 0o644);

    const result = await box.runCli(['exec', ...withCode, '--', command, 'arg']);

    expect(result.code, describeRun(result)).toBe(status);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith('aws-mfa: ')).toBe(true);
    expect(result.stderr).toMatch(/^[^\n]*\n$/);
    expect(result.stderr).toContain(command);
  });

  it('runs nothing and exits 1 when it cannot get a session (no terminal, empty cache)', async () => {
    const box = sandbox();
    setUpProd(box);

    const result = await box.runCli(['exec', '-p', 'prod', '--', 'sh', '-c', 'echo the child ran']);

    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^aws-mfa: [^\n]*\n$/);
  });

  it.each([
    {
      what: 'exits with the status of a child that traps it',
      child: 'trap "echo child got INT >/dev/tty; exit 3" INT; echo ready >/dev/tty; while :; do sleep 0.05; done',
      status: 3,
    },
    { what: 'exits 128+2 when it kills the child', child: 'echo ready >/dev/tty; exec sleep 30', status: 130 },
  ])('on a terminal, lets Ctrl-C reach the child and $what', async ({ child, status }) => {
    const box = sandbox();
    setUpProd(box);

    const result = await box.runInPty(['aws-mfa', 'exec', ...withCode, '--', 'sh', '-c', child], async (terminal) => {
      await terminal.waitForText('ready');
      await terminal.press('C-c');
    });

    expect(result, result.transcript).toMatchObject({ code: status, signal: null });
  });

  it("forwards SIGTERM to the child and exits with the child's status", async () => {
    const box = sandbox();
    setUpProd(box);
    const child = 'trap "echo child got TERM; exit 42" TERM; echo ready; while :; do sleep 0.05; done';
    const execution = spawn(cliPath, ['exec', ...withCode, '--', 'sh', '-c', child], {
      env: box.env(),
      cwd: box.home,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      let stderr = '';
      execution.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        execution.once('close', (code, signal) => resolve([code, signal])),
      );
      const ready = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the child never said ready\nstdout: ${stdout}\nstderr: ${stderr}`)), 20_000);
        execution.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
          if (stdout.includes('ready\n')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      await Promise.race([ready, exited.then(() => Promise.reject(new Error(`aws-mfa exited early\nstderr: ${stderr}`)))]);

      // Only aws-mfa itself is signalled, not its process group: the child hears it from aws-mfa.
      process.kill(execution.pid ?? 0, 'SIGTERM');
      const bounded = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('aws-mfa did not exit')), 20_000).unref());
      const [code, signal] = await Promise.race([exited, bounded]);

      expect({ code, signal, stderr }).toEqual({ code: 42, signal: null, stderr: '' });
      expect(stdout).toBe('ready\nchild got TERM\n');
    } finally {
      killGroup(execution.pid);
    }
  });
});
