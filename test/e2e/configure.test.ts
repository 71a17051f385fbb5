/**
 * `aws-mfa configure NAME`, end to end: the one credential_process line it writes into the AWS
 * config file (every other byte, the line endings and the mode kept), read back by botocore and
 * used by the real AWS CLI against moto; and its refusals while [NAME] of the credentials file
 * holds keys, which AWS tools would use first.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fileBytes, fileMode } from './harness/files.js';
import { readLikeBotocore } from './harness/leftovers.js';
import { useMoto } from './harness/moto.js';
import { cliPath, nodeBinDir } from './harness/paths.js';
import { type RunResult, runProcess } from './harness/process.js';
import { expectRefusal } from './harness/refusals.js';
import type { Sandbox } from './harness/sandbox.js';
import { useSandbox } from './harness/sandbox.js';
import { describeRun, longTermKeys, longTermSection, mfaSerial, motoAccount, sessionTokenCalls } from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(() => moto.reset());

const prodLine = 'credential_process = aws-mfa credential-process --profile prod';
/** A PATH on which `aws-mfa` is not found (node, the tests' own, still is: bin/aws-mfa runs `env node`). */
const pathWithoutAwsMfa = [nodeBinDir, '/usr/bin', '/bin'].join(delimiter);

async function expectOk(run: Promise<RunResult>): Promise<RunResult> {
  const result = await run;
  expect(result.code, describeRun(result)).toBe(0);
  return result;
}

/** The profiles of the config file as botocore itself maps them (`[profile "my prof"]` is profile `my prof`). */
async function botocoreProfiles(box: Sandbox): Promise<Record<string, Record<string, string>>> {
  const code = 'import botocore.session, json; print(json.dumps(botocore.session.Session().full_config["profiles"]))';
  const result = await box.runPython(code);
  expect(result.code, describeRun(result)).toBe(0);
  return JSON.parse(result.stdout) as Record<string, Record<string, string>>;
}

/** The config file's sections as botocore (configparser) reads them. */
async function botocoreSections(box: Sandbox): Promise<Record<string, Record<string, string>>> {
  const result = await box.runPython(readLikeBotocore, { env: { FILE_TO_READ: box.configPath } });
  expect(result.code, describeRun(result)).toBe(0);
  return JSON.parse(result.stdout) as Record<string, Record<string, string>>;
}

describe('configure writes credential_process into the config profile', () => {
  it('adds one line to [profile prod], keeping every other byte and the file’s mode', async () => {
    const box = sandbox();
    const before = [
      '# my AWS config',
      '[default]',
      'region = us-east-1',
      '',
      '; production, MFA required',
      '[profile prod]',
      'region = eu-west-1',
      `mfa_serial = ${mfaSerial}`,
      '',
      '[profile other]',
      'region = us-west-2',
      '',
    ].join('\n');
    box.writeConfig(before);
    chmodSync(box.configPath, 0o640);

    const result = await expectOk(box.runCli(['configure', 'prod']));

    expect(readFileSync(box.configPath, 'utf8')).toBe(
      before.replace(`mfa_serial = ${mfaSerial}\n`, `mfa_serial = ${mfaSerial}\n${prodLine}\n`),
    );
    expect(fileMode(box.configPath)).toBe(0o640);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('[profile prod]');
    expect((await botocoreSections(box))['profile prod']).toEqual({
      region: 'eu-west-1',
      mfa_serial: mfaSerial,
      credential_process: 'aws-mfa credential-process --profile prod',
    });
  });

  it('keeps a CRLF file CRLF', async () => {
    const box = sandbox();
    box.writeConfig('[profile prod]\r\nregion = eu-west-1\r\n\r\n[profile other]\r\nregion = us-west-2\r\n');

    await expectOk(box.runCli(['configure', 'prod']));

    expect(readFileSync(box.configPath, 'utf8')).toBe(
      `[profile prod]\r\nregion = eu-west-1\r\n${prodLine}\r\n\r\n[profile other]\r\nregion = us-west-2\r\n`,
    );
  });

  it('appends [profile prod] when the file has none, and creates the file when there is none', async () => {
    const box = sandbox();
    box.writeConfig('[default]\nregion = us-east-1\n');

    await expectOk(box.runCli(['configure', 'prod']));

    expect(readFileSync(box.configPath, 'utf8')).toBe(`[default]\nregion = us-east-1\n\n[profile prod]\n${prodLine}\n`);

    const fresh = sandbox();
    fresh.remove();
    mkdirSync(fresh.home);
    await expectOk(fresh.runCli(['configure', 'prod']));
    expect(readFileSync(fresh.configPath, 'utf8')).toBe(`[profile prod]\n${prodLine}\n`);
  });

  it('writes [default] for the default profile', async () => {
    const box = sandbox();
    box.writeConfig('[default]\nregion = us-east-1\n\n[profile prod]\nregion = eu-west-1\n');

    await expectOk(box.runCli(['configure', 'default']));

    expect(readFileSync(box.configPath, 'utf8')).toBe(
      '[default]\nregion = us-east-1\ncredential_process = aws-mfa credential-process --profile default\n\n[profile prod]\nregion = eu-west-1\n',
    );
  });

  it('replaces another credential_process: still exactly one line', async () => {
    const box = sandbox();
    box.writeConfig('[profile prod]\ncredential_process = /opt/old-helper --profile prod\nregion = eu-west-1\n');

    const result = await expectOk(box.runCli(['configure', 'prod']));

    expect(readFileSync(box.configPath, 'utf8')).toBe(`[profile prod]\n${prodLine}\nregion = eu-west-1\n`);
    expect(result.stderr).toContain('replacing its previous credential_process');
  });

  it('is a no-op the second time: the file is not even rewritten', async () => {
    const box = sandbox();
    box.writeConfig(`[profile prod]\nregion = eu-west-1\n`);
    await expectOk(box.runCli(['configure', 'prod']));
    const bytes = fileBytes(box.configPath);
    const { ino, mtimeMs } = statSync(box.configPath);

    const again = await expectOk(box.runCli(['configure', 'prod']));

    expect(fileBytes(box.configPath)).toEqual(bytes);
    expect(statSync(box.configPath)).toMatchObject({ ino, mtimeMs });
    expect(again.stderr).toContain('already set up');
  });
});

describe('the AWS CLI uses what configure wrote', () => {
  /**
   * Keys in [NAME-long-term] and a code from mfa_process: credential_process needs no keychain and no
   * terminal. The config section is written as botocore reads it (`[profile "my prof"]`).
   */
  function readyProfile(box: Sandbox, profile: string, configSection = `profile ${profile}`): void {
    box.writeCredentials(longTermSection(profile));
    box.writeConfig(`[${configSection}]\nmfa_serial = ${mfaSerial}\nmfa_process = printf 123456\n`);
  }

  async function expectCallerIdentity(box: Sandbox, profile: string, env: Record<string, string> = {}): Promise<void> {
    const aws = await box.runAws(['sts', 'get-caller-identity', '--profile', profile], { env });
    expect(aws.code, describeRun(aws)).toBe(0);
    expect(JSON.parse(aws.stdout)).toMatchObject({ Account: motoAccount });
    const calls = await sessionTokenCalls(moto);
    expect(calls.map((call) => [call.accessKeyId, call.body.get('TokenCode')])).toEqual([[longTermKeys.accessKeyId, '123456']]);
  }

  it('quotes a profile name with a space, and `aws --profile "my prof"` works', async () => {
    const box = sandbox();
    readyProfile(box, 'my prof', 'profile "my prof"');

    await expectOk(box.runCli(['configure', 'my prof']));

    expect(readFileSync(box.configPath, 'utf8')).toBe(
      `[profile "my prof"]\nmfa_serial = ${mfaSerial}\nmfa_process = printf 123456\ncredential_process = aws-mfa credential-process --profile "my prof"\n`,
    );
    expect((await botocoreProfiles(box))['my prof']).toMatchObject({
      credential_process: 'aws-mfa credential-process --profile "my prof"',
    });
    await expectCallerIdentity(box, 'my prof');
  });

  it('writes a new section for such a name as botocore reads it: [profile "my prof"]', async () => {
    const box = sandbox();
    box.writeConfig('[profile my]\nregion = eu-west-1\n');

    await expectOk(box.runCli(['configure', 'my prof']));

    expect(readFileSync(box.configPath, 'utf8')).toBe(
      '[profile my]\nregion = eu-west-1\n\n[profile "my prof"]\ncredential_process = aws-mfa credential-process --profile "my prof"\n',
    );
    expect(await botocoreProfiles(box)).toEqual({
      my: { region: 'eu-west-1' },
      'my prof': { credential_process: 'aws-mfa credential-process --profile "my prof"' },
    });
  });

  it('uses the absolute path of bin/aws-mfa when aws-mfa is not on the PATH', async () => {
    const box = sandbox();
    readyProfile(box, 'prod');

    await expectOk(box.runCli(['configure', 'prod'], { env: { PATH: pathWithoutAwsMfa } }));

    expect(sectionLines(box, 'profile prod')).toContain(`credential_process = ${cliPath} credential-process --profile prod`);
    await expectCallerIdentity(box, 'prod', { PATH: pathWithoutAwsMfa });
  });

  it('quotes that path when it has a space', async () => {
    const box = sandbox();
    readyProfile(box, 'prod');
    const folder = join(box.home, 'my tools');
    mkdirSync(folder);
    const program = join(folder, 'aws-mfa');
    symlinkSync(cliPath, program);

    // Run through the link, as a user who installed it there would.
    const result = await runProcess(program, ['configure', 'prod'], { env: box.env({ PATH: pathWithoutAwsMfa }), cwd: box.home });

    expect(result.code, describeRun(result)).toBe(0);
    expect(sectionLines(box, 'profile prod')).toContain(`credential_process = "${program}" credential-process --profile prod`);
    await expectCallerIdentity(box, 'prod', { PATH: pathWithoutAwsMfa });
  });
});

describe('configure refuses while [NAME] of the credentials file holds keys (exit 2, nothing written)', () => {
  it('long-term keys: says to move them into the keychain with add --import', async () => {
    const box = sandbox();
    box.writeCredentials(
      `[prod]\naws_access_key_id = ${longTermKeys.accessKeyId}\naws_secret_access_key = ${longTermKeys.secretAccessKey}\n`,
    );
    box.writeConfig('[profile prod]\nregion = eu-west-1\n');
    const before = box.snapshot();

    const result = await box.runCli(['configure', 'prod']);

    const line = expectRefusal(expect, result, { exit: 2, words: ['will not configure prod', '[prod]', 'aws-mfa add prod --import'] });
    expect(line).not.toContain(longTermKeys.secretAccessKey);
    expect(box.snapshot()).toEqual(before);
  });

  it('a session written by login: says to delete it', async () => {
    const box = sandbox();
    box.writeCredentials(
      '[prod]\naws_access_key_id = ASIASESSION000000001\naws_secret_access_key = session-secret\naws_session_token = session-token\nexpiration = 2030-01-01T00:00:00Z\n',
    );
    box.writeConfig('[profile prod]\nregion = eu-west-1\n');
    const before = box.snapshot();

    const result = await box.runCli(['configure', 'prod']);

    const line = expectRefusal(expect, result, { exit: 2, words: ['will not configure prod', 'delete [prod]', 'session'] });
    expect(line).not.toMatch(/session-secret|session-token/);
    expect(box.snapshot()).toEqual(before);
  });
});

/** The raw lines of one section of the config file. */
function sectionLines(box: Sandbox, section: string): string[] {
  const lines = readFileSync(box.configPath, 'utf8').split('\n');
  const start = lines.indexOf(`[${section}]`);
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && line.startsWith('['));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}
