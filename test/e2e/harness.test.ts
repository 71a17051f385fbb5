import { beforeEach, describe, expect, it } from 'vitest';
import { fileBytes, fileMode } from './harness/files.js';
import { useMoto } from './harness/moto.js';
import { runProcess } from './harness/process.js';
import { useSandbox } from './harness/sandbox.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });
const someKeys = { AWS_ACCESS_KEY_ID: 'AKIAHARNESSTEST00001', AWS_SECRET_ACCESS_KEY: 'harness-secret' };

beforeEach(() => moto.reset());

describe('moto', () => {
  it('records the GetSessionToken that the AWS CLI sends', async () => {
    const serial = 'arn:aws:iam::123456789012:mfa/u';
    const args = ['sts', 'get-session-token', '--serial-number', serial, '--token-code', '123456'];

    const result = await sandbox().runAws(args, { env: someKeys });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('Credentials.SessionToken');
    expect(await moto.countCalls('GetSessionToken')).toBe(1);
    const [request] = await moto.recordedRequests();
    expect(request?.service).toBe('sts');
    expect(request?.accessKeyId).toBe(someKeys.AWS_ACCESS_KEY_ID);
    expect(request?.body.get('TokenCode')).toBe('123456');
    expect(request?.body.get('SerialNumber')).toBe(serial);
  });

  it("accepts a created user's key and refuses an unknown one once auth is on", async () => {
    const user = await moto.createUserWithKey('alice');
    await moto.enableAuth(0);

    const known = await sandbox().runAws(['sts', 'get-caller-identity'], {
      env: { AWS_ACCESS_KEY_ID: user.accessKeyId, AWS_SECRET_ACCESS_KEY: user.secretAccessKey },
    });
    const unknown = await sandbox().runAws(['sts', 'get-caller-identity'], { env: someKeys });

    expect(known.code).toBe(0);
    expect(JSON.parse(known.stdout)).toMatchObject({ Arn: user.arn });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('InvalidClientTokenId');
  });
});

describe('the sandbox', () => {
  it('writes AWS files that Python reads, and snapshots them', async () => {
    const box = sandbox();
    box.writeCredentials('[p-long-term]\naws_access_key_id = AKIAHARNESSTEST00001\n');
    const before = box.snapshot();

    const result = await box.runPython(
      "import configparser, os; c = configparser.ConfigParser(); c.read(os.path.expanduser('~/.aws/credentials')); print(c['p-long-term']['aws_access_key_id'])",
    );

    expect(result.stdout).toBe('AKIAHARNESSTEST00001\n');
    expect(fileMode(box.credentialsPath)).toBe(0o600);
    expect(fileBytes(box.configPath)).toBeNull();
    expect(box.snapshot()).toEqual(before);
    box.writeConfig('[default]\n');
    expect(box.snapshot()).not.toEqual(before);
  });
});

describe('processes without a terminal', () => {
  it('cannot open /dev/tty', async () => {
    const result = await runProcess('sh', ['-c', 'exec 3</dev/tty'], { env: sandbox().env(), cwd: sandbox().home });

    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/No such device or address/);
  });
});

describe('runInPty', () => {
  it('answers a prompt on /dev/tty and keeps stdout apart from the terminal', async () => {
    const prompt = 'printf "Code: " >/dev/tty; read code </dev/tty; echo "got $code"';

    const result = await sandbox().runInPty(['sh', '-c', prompt], async (terminal) => {
      await terminal.waitForText('Code: ');
      await terminal.type('123456\r');
    });

    expect(result).toMatchObject({ code: 0, signal: null, stdout: 'got 123456\n' });
    expect(result.transcript).toContain('Code: 123456');
    expect(result.transcript).not.toContain('got');
  });

  it('reports the signal when Ctrl-C interrupts the command', async () => {
    const result = await sandbox().runInPty(['sh', '-c', 'printf "Code: " >/dev/tty; read code </dev/tty'], async (terminal) => {
      await terminal.waitForText('Code: ');
      await terminal.press('C-c');
    });

    expect(result).toMatchObject({ code: null, signal: 2 });
  });

  it('lets a credential_process run by the AWS CLI prompt on the terminal', async () => {
    const box = sandbox();
    const credentials = { Version: 1, AccessKeyId: 'AKIAFROMPROCESS00001', SecretAccessKey: 's', SessionToken: 't' };
    const script = box.writeFile(
      'bin/fake-credential-process',
      `#!/bin/sh\nprintf "MFA code: " >/dev/tty\nread code </dev/tty\necho '${JSON.stringify(credentials)}'\n`,
      0o755,
    );
    box.writeConfig(`[profile p]\ncredential_process = ${script}\n`);

    const result = await box.runInPty(['aws', 'sts', 'get-caller-identity', '--profile', 'p'], async (terminal) => {
      await terminal.waitForText('MFA code: ');
      await terminal.type('123456\r');
    });

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('Account', '123456789012');
    const [request] = await moto.recordedRequests();
    expect(request).toMatchObject({ action: 'GetCallerIdentity', accessKeyId: credentials.AccessKeyId });
  });
});
