/**
 * `list`, `__complete profiles` and `doctor` with files of a few thousand profiles (plain ones,
 * role profiles, a quoted name, a suffixed long-term section) and a cache of sessions: the same
 * answers on the first read of the files (checked in full, then recorded) and on the next (the
 * record's quick reading), and the same as a few profiles would give. No timing: bench/scale.mjs.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { useMoto } from './harness/moto.js';
import { useSandbox } from './harness/sandbox.js';
import { describeRun } from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'eu-west-1' });
beforeEach(() => moto.reset());

const PLAIN = 1500;
const ROLES = 30;
const plain = Array.from({ length: PLAIN }, (_, index) => `p-${String(index).padStart(4, '0')}`);
const roles = Array.from({ length: ROLES }, (_, index) => `r-${String(index).padStart(4, '0')}`);
const roleArn = (role: string) => `arn:aws:iam::123456789012:role/${role}`;
const keyId = (index: number) => `AKIA${String(index).padStart(9, '0')}EXAMPLE`;
/** Profiles with sessions: one from a real login, the others its file under their names. */
const withSessions = ['p-0100', 'p-0200', 'p-1499', 'r-0003'];
const names = [...plain, ...roles, 'my team', 'vaulted'].sort();

/** Role profiles between the plain ones, their roots far away in the files. */
function writeFiles(box: ReturnType<typeof sandbox>): void {
  const config = plain.map((name) => `[profile ${name}]\nmfa_serial = arn:aws:iam::123456789012:mfa/${name}\nregion = eu-west-1\n`);
  roles.forEach((role, index) => {
    config.splice(
      index * 40,
      0,
      `[profile ${role}]\nrole_arn = ${roleArn(role)}\nsource_profile = p-${String(PLAIN - 1 - index).padStart(4, '0')}\n`,
    );
  });
  config.push('[profile "my team"]\nmfa_serial = arn:aws:iam::123456789012:mfa/team\n');
  config.push('[profile vaulted]\nAWS_MFA_Long_Term_Suffix = -vault\nmfa_serial = arn:aws:iam::123456789012:mfa/vaulted\n');
  const keys = (section: string, index: number) =>
    `[${section}]\naws_access_key_id = ${keyId(index)}\naws_secret_access_key = manyProfilesTestSecret${index}\n`;
  const credentials = plain.map((name, index) => keys(`${name}-long-term`, index));
  credentials.push(keys('my team-long-term', 90001), keys('vaulted-vault', 90002));
  box.writeConfig(config.join('\n'));
  box.writeCredentials(credentials.join('\n'));
}

async function cli(box: ReturnType<typeof sandbox>, args: string[]): Promise<string> {
  const result = await box.runCli(args);
  expect(result.code, describeRun(result)).toBe(0);
  return result.stdout;
}

/** Copies the logged-in session's file for other profiles, as their logins would have written it. */
function copySession(box: ReturnType<typeof sandbox>, from: string, to: string): void {
  const folder = join(box.cacheHome, 'aws-mfa', 'sessions');
  const session = JSON.parse(readFileSync(join(folder, `${from}.json`), 'utf8'));
  session.definition.profile = to;
  box.writeFile(join(folder, `${to}.json`), `${JSON.stringify(session)}\n`);
}

/** Runs a command twice: first read of the files (checked and recorded), then the record's quick reading. */
async function twice(box: ReturnType<typeof sandbox>, args: string[]): Promise<string> {
  const record = join(box.cacheHome, 'aws-mfa', 'validated-aws-files.json');
  const first = await cli(box, args);
  expect(Object.keys(JSON.parse(readFileSync(record, 'utf8')).files)).toEqual([box.credentialsPath, box.configPath]);
  expect(await cli(box, args)).toBe(first);
  return first;
}

describe('thousands of profiles', () => {
  let box: ReturnType<typeof sandbox>;
  beforeEach(async () => {
    box = sandbox();
    writeFiles(box);
    expect(statSync(box.configPath).size).toBeGreaterThan(64 * 1024);
    await cli(box, ['login', '-p', 'p-0100', '--code', '123456']);
    for (const profile of withSessions.slice(1)) copySession(box, 'p-0100', profile);
    // Files changed in the last two seconds are not recorded: the second read must use the record.
    await sleep(2100);
  });

  it('list: every profile once, sorted, with its keys, serial, role and root, and the sessions of those that have one', async () => {
    const listed = JSON.parse(await twice(box, ['list', '--json'])) as Record<string, unknown>[];
    expect(listed.map((listing) => listing.profile)).toEqual(names);
    const of = (profile: string) => listed.find((listing) => listing.profile === profile);
    expect(of('p-0007')).toEqual({
      profile: 'p-0007',
      keySource: 'file',
      accessKeyId: 'AKIA…MPLE',
      mfaSerial: 'arn:aws:iam::123456789012:mfa/p-0007',
      totp: false,
      sessionExpiration: null,
      sessionValid: false,
      roleArn: null,
      root: null,
    });
    expect(of('r-0011')).toMatchObject({ keySource: 'role', roleArn: roleArn('r-0011'), root: 'p-1488', accessKeyId: null });
    expect(of('my team')).toMatchObject({ keySource: 'file', mfaSerial: 'arn:aws:iam::123456789012:mfa/team' });
    expect(of('vaulted')).toMatchObject({ keySource: 'file', mfaSerial: 'arn:aws:iam::123456789012:mfa/vaulted' });
    expect(listed.filter((listing) => listing.sessionValid).map((listing) => listing.profile)).toEqual(withSessions);

    const table = (await twice(box, ['list'])).trimEnd().split('\n');
    expect(table).toHaveLength(names.length + 1);
    expect(table[0]).toMatch(/^PROFILE +KEYS +KEY ID +MFA DEVICE +TOTP +SESSION +ROLE$/);
    expect(table.find((line) => line.startsWith('r-0011 '))).toMatch(
      /^r-0011 +from p-1488 +- +- +no +- +arn:aws:iam::123456789012:role\/r-0011$/,
    );
  });

  it('__complete profiles: every name once, sorted, the suffixed section read as its profile', async () => {
    expect(await twice(box, ['__complete', 'profiles'])).toBe(names.map((name) => `${name}\n`).join(''));
  });

  it('doctor: the profile asked for, its role chain and its root, among thousands', async () => {
    const result = await box.runCli(['doctor', '-p', 'r-0011', '--json']);
    const lines = JSON.parse(result.stdout) as { check: string; status: string; detail: string }[];
    const status = (check: string) => lines.find((line) => line.check === check)?.status;
    expect(result.code, describeRun(result)).toBe(0);
    expect([status('files'), status('profile'), status('role chain'), status('long-term keys'), status('MFA serial')]).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    const detail = (check: string) => lines.find((line) => line.check === check)?.detail;
    expect(detail('role chain')).toBe('r-0011 -> p-1488: the root p-1488 signs the first AssumeRole');
    expect(detail('MFA serial')).toBe('arn:aws:iam::123456789012:mfa/p-1488 (configured for p-1488)');
    const again = await box.runCli(['doctor', '-p', 'r-0011', '--json']);
    expect(again.stdout).toBe(result.stdout);
  });
});
