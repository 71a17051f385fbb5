/**
 * `aws-mfa doctor` on set-ups made for real in a throwaway HOME: moto as STS (its Date header is
 * the clock read), a private gnome-keyring for keychain profiles, libfaketime for a drifted clock.
 * Every run leaves the files, the cache and the keychain as they were.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { clearKeychain } from './harness/keychain-tools.js';
import { useKeyring } from './harness/keyring.js';
import { useMoto } from './harness/moto.js';
import { cliPath } from './harness/paths.js';
import { type RunResult, runProcess } from './harness/process.js';
import { expectNoSecrets } from './harness/refusals.js';
import type { EnvOverrides, Sandbox } from './harness/sandbox.js';
import { useSandbox } from './harness/sandbox.js';
import { describeRun, longTermKeys, longTermSection, mfaSerial } from './harness/session-fixtures.js';

const moto = useMoto();
const keyring = useKeyring();
const sandbox = useSandbox(moto, { region: 'eu-west-1' });

beforeEach(async () => {
  await moto.reset();
  await clearKeychain(keyring());
});

interface Line {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix: string | null;
}

const keychainKeys = { accessKeyId: 'AKIAKEYCHAINDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiDOCTOR0001' } as const;
const secrets = [longTermKeys.secretAccessKey, keychainKeys.secretAccessKey];

/** doctor's run, checked to have written nothing and shown no secret; `--json` is added and parsed. */
async function doctor(box: Sandbox, args: readonly string[], env: EnvOverrides = {}, command: readonly string[] = [cliPath]) {
  const before = box.snapshot();
  const keychainBefore = await keyring().lookup('prod');
  const [program = cliPath, ...prefix] = command;
  const run = (extra: readonly string[]) =>
    runProcess(program, [...prefix, 'doctor', ...args, ...extra], { env: box.env({ ...keyring().env, ...env }), cwd: box.home });
  const text = await run([]);
  const json = await run(['--json']);
  expect(json.code, describeRun(json)).toBe(text.code);
  expect(box.snapshot()).toEqual(before);
  expect(await keyring().lookup('prod')).toBe(keychainBefore);
  for (const result of [text, json]) {
    expectNoSecrets(expect, result.stdout + result.stderr, secrets);
    expect(result.stderr).toBe('');
  }
  const lines = JSON.parse(json.stdout) as Line[];
  for (const line of lines) {
    expect(Object.keys(line)).toEqual(['check', 'status', 'detail', 'fix']);
    expect(['ok', 'warn', 'fail']).toContain(line.status);
  }
  return { text, lines, code: text.code };
}

function fileProfile(box: Sandbox, configExtra = ''): void {
  box.writeCredentials(longTermSection('prod'));
  box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n${configExtra}`);
}

function lineOf(lines: readonly Line[], check: string): Line {
  const line = lines.find((candidate) => candidate.check === check);
  if (!line) throw new Error(`no ${check} line in ${JSON.stringify(lines)}`);
  return line;
}

function failures(lines: readonly Line[]): string[] {
  return lines.filter((line) => line.status === 'fail').map((line) => line.check);
}

async function addToKeychain(box: Sandbox): Promise<void> {
  const env = { ...keyring().env, AWS_ACCESS_KEY_ID: keychainKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: keychainKeys.secretAccessKey };
  const added = await box.runCli(['add', 'prod', '--env'], { env });
  expect(added.code, describeRun(added)).toBe(0);
}

describe('a healthy profile', () => {
  it('with keys in the file and a cached session: every line ok, aligned, a summary, exit 0', async () => {
    const box = sandbox();
    fileProfile(box);
    const login = await box.runCli(['login', '-p', 'prod', '--code', '123456'], { env: keyring().env });
    expect(login.code, describeRun(login)).toBe(0);

    const { text, lines, code } = await doctor(box, ['-p', 'prod']);
    expect(code, describeRun(text)).toBe(0);
    expect(failures(lines)).toEqual([]);
    expect(lines.map((line) => line.check)).toEqual([
      'environment',
      'files',
      'profile',
      'shadowing',
      'role chain',
      'keychain',
      'long-term keys',
      'MFA serial',
      'region and STS',
      'proxy and CA',
      'clock',
      'cached session',
    ]);
    expect(lineOf(lines, 'long-term keys').detail).toContain('[prod-long-term]');
    expect(lineOf(lines, 'MFA serial').detail).toContain(mfaSerial);
    expect(lineOf(lines, 'region and STS').detail).toContain(`region eu-west-1; STS at ${moto.url}`);
    expect(lineOf(lines, 'cached session').detail).toMatch(/^valid until \S+Z, 4\d\d min left$/);
    expect(lineOf(lines, 'clock').status).toBe('ok');

    const printed = text.stdout.trimEnd().split('\n');
    expect(printed).toHaveLength(lines.length + 1);
    expect(printed.at(-1)).toBe(`profile prod: ${lines.length} checks, no problem`);
    // Aligned, and without colour when stdout is not a terminal.
    const detailColumns = new Set(printed.slice(0, -1).map((line, index) => line.indexOf(lines[index]?.detail ?? '')));
    expect(detailColumns.size).toBe(1);
    expect(text.stdout).not.toContain('\x1b[');
  });

  it('with keys in the keychain, and --online: the key is valid, exit 0', async () => {
    const box = sandbox();
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);
    await addToKeychain(box);
    const { text, lines, code } = await doctor(box, ['-p', 'prod', '--online']);
    expect(code, describeRun(text)).toBe(0);
    expect(failures(lines)).toEqual([]);
    expect(lineOf(lines, 'keychain').detail).toBe('reachable and unlocked; holds the item aws-mfa/prod');
    expect(lineOf(lines, 'long-term keys').detail).toBe('the keychain item aws-mfa/prod');
    expect(lineOf(lines, 'long-term key').detail).toMatch(/^AKIA…MPLE is valid: arn:aws:/);
  });

  it('a role chain from AWS_PROFILE: the chain is named and its root checked, exit 0', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('base'));
    box.writeConfig(
      `[profile base]\nmfa_serial = ${mfaSerial}\n[profile admin]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = base\n` +
        '[profile deploy]\nrole_arn = arn:aws:iam::210987654321:role/Deploy\nsource_profile = admin\n',
    );
    const { text, lines, code } = await doctor(box, [], { AWS_PROFILE: 'deploy' });
    expect(code, describeRun(text)).toBe(0);
    expect(lineOf(lines, 'role chain').detail).toBe('deploy -> admin -> base: the root base signs the first AssumeRole');
    expect(lineOf(lines, 'long-term keys').detail).toContain('[base-long-term]');
  });
});

describe('colour', () => {
  /** doctor with stdout on a real terminal: util-linux `script` runs it on a pseudo-terminal and copies what it shows. */
  async function onTerminal(box: Sandbox, env: EnvOverrides): Promise<string> {
    const result = await runProcess('script', ['-qec', `${cliPath} doctor -p prod`, '/dev/null'], { env: box.env(env), cwd: box.home });
    expect(result.code, describeRun(result)).toBe(0);
    return result.stdout;
  }

  it('colours the status words on a terminal, never with NO_COLOR', async () => {
    const box = sandbox();
    fileProfile(box);
    const coloured = await onTerminal(box, keyring().env);
    expect(coloured.startsWith('\x1b[32mok  \x1b[0m  environment')).toBe(true);
    const plain = await onTerminal(box, { ...keyring().env, NO_COLOR: '1' });
    expect(plain.startsWith('ok    environment')).toBe(true);
    expect(plain).not.toContain('\x1b[');
  });
});

describe('each set-up mistake is named, with its fix, and doctor exits 1', () => {
  it('AWS_ACCESS_KEY_ID in the environment', async () => {
    const box = sandbox();
    fileProfile(box);
    const { lines, code } = await doctor(box, ['-p', 'prod'], { AWS_ACCESS_KEY_ID: 'AKIASHADOWENVEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' });
    expect(code).toBe(1);
    expect(failures(lines)).toEqual(['environment']);
    expect(lineOf(lines, 'environment')).toMatchObject({
      detail: expect.stringContaining('AWS_ACCESS_KEY_ID'),
      fix: expect.stringContaining('unset'),
    });
  });

  it('AWS_PROFILE naming another profile', async () => {
    const box = sandbox();
    fileProfile(box);
    const { lines, code } = await doctor(box, ['-p', 'prod'], { AWS_PROFILE: 'dev' });
    expect(code).toBe(1);
    expect(lineOf(lines, 'environment')).toMatchObject({ status: 'fail', detail: expect.stringContaining('AWS_PROFILE=dev') });
  });

  it('static keys in [NAME] beside credential_process', async () => {
    const box = sandbox();
    box.writeCredentials(
      `${longTermSection('prod')}[prod]\naws_access_key_id = AKIASTATICSHADOW0001\naws_secret_access_key = static-secret\n`,
    );
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\ncredential_process = aws-mfa credential-process --profile prod\n`);
    const { lines, code } = await doctor(box, ['-p', 'prod']);
    expect(code).toBe(1);
    expect(failures(lines)).toEqual(['shadowing']);
    expect(lineOf(lines, 'shadowing').detail).toContain('[prod] of');
  });

  it('role_arn beside credential_process in one profile', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('base'));
    box.writeConfig(
      `[profile base]\nmfa_serial = ${mfaSerial}\n[profile prod]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = base\n` +
        'credential_process = aws-mfa credential-process --profile prod\n',
    );
    const { lines, code } = await doctor(box, ['-p', 'prod']);
    expect(code).toBe(1);
    expect(lineOf(lines, 'shadowing')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('role_arn beside credential_process'),
    });
  });

  it('no MFA serial anywhere: the fix names mfa_serial and --save', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    const { lines, code } = await doctor(box, ['-p', 'prod']);
    expect(code).toBe(1);
    expect(failures(lines)).toEqual(['MFA serial']);
    expect(lineOf(lines, 'MFA serial').fix).toMatch(/mfa_serial.*--save/);
  });

  it.each([
    {
      problem: 'a source_profile loop',
      config:
        '[profile a]\nrole_arn = arn:aws:iam::210987654321:role/A\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::210987654321:role/B\nsource_profile = a\n',
      detail: 'cannot assume the role of profile a: source_profile loops: a -> b -> a',
    },
    {
      problem: 'a source_profile named nowhere (neither file nor the keychain)',
      config: '[profile a]\nrole_arn = arn:aws:iam::210987654321:role/A\nsource_profile = nowhere\n',
      detail: "unknown source_profile 'nowhere' of a: not in ",
    },
    {
      problem: 'a role profile with credential_source',
      config: '[profile a]\nrole_arn = arn:aws:iam::210987654321:role/A\ncredential_source = Ec2InstanceMetadata\n',
      detail: "cannot serve profile a: [profile a] has credential_source, and aws-mfa's role chains start from long-term keys",
    },
  ])('$problem: the role chain fails in the words of the session commands', async ({ config, detail }) => {
    const box = sandbox();
    box.writeConfig(config);
    const { lines, code } = await doctor(box, ['-p', 'a']);
    expect(code).toBe(1);
    const chain = lineOf(lines, 'role chain');
    expect(chain).toMatchObject({ status: 'fail', detail: expect.stringContaining(detail) });
    const command = await box.runCli(['credential-process', '-p', 'a', '--code', '123456'], { env: keyring().env });
    expect(command.code, describeRun(command)).toBe(2);
    expect(command.stderr).toBe(`aws-mfa: ${chain.detail}${chain.fix === null ? '' : ` (${chain.fix})`}\n`);
  });

  it('no D-Bus session for a profile whose keys are in the keychain', async () => {
    const box = sandbox();
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);
    await addToKeychain(box);
    const { lines, code } = await doctor(box, ['-p', 'prod'], {
      DBUS_SESSION_BUS_ADDRESS: undefined,
      XDG_RUNTIME_DIR: undefined,
      DISPLAY: undefined,
    });
    expect(code).toBe(1);
    expect(lineOf(lines, 'keychain')).toMatchObject({ status: 'fail', detail: expect.stringContaining('no D-Bus session') });
    expect(lineOf(lines, 'long-term keys').status).toBe('fail');
  });

  it('a clock 10 min ahead (libfaketime): fails; 45 s ahead: a warning, exit 0', async () => {
    const box = sandbox();
    fileProfile(box);
    const ahead = await doctor(box, ['-p', 'prod'], {}, ['faketime', '-f', '+10m', cliPath]);
    expect(ahead.code).toBe(1);
    expect(failures(ahead.lines)).toEqual(['clock']);
    expect(lineOf(ahead.lines, 'clock').detail).toMatch(/^(59\d|60\d) s ahead of STS's/);
    const slightly = await doctor(box, ['-p', 'prod'], {}, ['faketime', '-f', '+45s', cliPath]);
    expect(slightly.code).toBe(0);
    expect(lineOf(slightly.lines, 'clock')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^4\d s ahead/) });
  });

  it('a config file the AWS CLI refuses (a duplicate key): the files line says where, and the checks that need it are left out', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\nregion = eu-west-1\nregion = us-east-1\n`);
    const { lines, code } = await doctor(box, ['-p', 'prod']);
    expect(code).toBe(1);
    expect(lines.map((line) => [line.check, line.status])).toEqual([
      ['environment', 'ok'],
      ['files', 'fail'],
    ]);
    expect(lineOf(lines, 'files').detail).toContain(box.configPath);
  });

  it('a profile that is nowhere', async () => {
    const box = sandbox();
    fileProfile(box);
    const { lines, code } = await doctor(box, ['-p', 'prdo']);
    expect(code).toBe(1);
    expect(lineOf(lines, 'profile')).toMatchObject({ status: 'fail', detail: 'prdo is in neither file nor the keychain' });
  });

  it('--online with a key AWS does not know: the key line says so, and no secret is shown', async () => {
    const box = sandbox();
    fileProfile(box);
    await moto.enableAuth(0);
    try {
      const { lines, code } = await doctor(box, ['-p', 'prod', '--online']);
      expect(code).toBe(1);
      expect(failures(lines)).toEqual(['long-term key']);
      expect(lineOf(lines, 'long-term key').detail).toBe(
        'GetCallerIdentity failed: AWS does not know the access key id (deleted, deactivated or mistyped)',
      );
    } finally {
      await moto.disableAuth();
    }
  });

  // Last: the keyring stays locked for the rest of the file.
  it('the keyring holding the profile is locked', async () => {
    const box = sandbox();
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);
    await addToKeychain(box);
    await keyring().lock();
    const { text, lines, code } = await doctor(box, ['-p', 'prod']);
    expect(code, describeRun(text as RunResult)).toBe(1);
    expect(lineOf(lines, 'keychain')).toMatchObject({ status: 'fail', detail: 'the item aws-mfa/prod is in a locked keyring' });
  });
});
