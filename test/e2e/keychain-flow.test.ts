/**
 * Long-term keys in the OS keychain, end to end: bin/aws-mfa against a private, unlocked
 * gnome-keyring on a private D-Bus (read back with secret-tool), moto as STS, and the real AWS CLI
 * as the consumer. Covers add (--env, --totp, --import), configure, list, remove, clear, and what
 * still works without a keychain.
 */
import { existsSync, readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { fileBytes, fileMode } from './harness/files.js';
import { cachedSessionFiles, cachedSessionPath, clearKeychain, filesContaining, keychainItem } from './harness/keychain-tools.js';
import { useKeyring } from './harness/keyring.js';
import { useMoto } from './harness/moto.js';
import type { RunResult } from './harness/process.js';
import { expectNoSecrets, expectRefusal } from './harness/refusals.js';
import { type CommandOptions, type Sandbox, useSandbox } from './harness/sandbox.js';
import {
  describeRun,
  longTermKeys,
  longTermSection,
  mfaSerial,
  motoAccount,
  motoSession,
  sectionOf,
  sessionTokenCalls,
  timed,
  withoutCacheFolders,
} from './harness/session-fixtures.js';
import { randomSeed, stepOfCode } from './harness/totp-tools.js';

const moto = useMoto();
const keyring = useKeyring();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(async () => {
  await moto.reset();
  await clearKeychain(keyring());
});

/** Keys that only ever reach aws-mfa through AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
const storedKeys = { accessKeyId: 'AKIAKEYCHAINTEST0001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiKEYCHAIN0001' } as const;
const newerKeys = { accessKeyId: 'AKIAKEYCHAINTEST0002', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiKEYCHAIN0002' } as const;
/** Long-term keys kept in the credentials file, shaped as AWS makes them (add validates what it imports). */
const fileKeys = { accessKeyId: 'AKIAFILEKEYSTEST0001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiFILEKEYS0001' } as const;
const otherSerial = 'arn:aws:iam::123456789012:mfa/bob';

function fileKeysSection(section: string): string {
  return `[${section}]\naws_access_key_id = ${fileKeys.accessKeyId}\naws_secret_access_key = ${fileKeys.secretAccessKey}\n`;
}

/** Runs bin/aws-mfa (no terminal) with the test keyring's D-Bus session in its environment. */
function cli(box: Sandbox, args: readonly string[], options: CommandOptions = {}): Promise<RunResult> {
  return box.runCli(args, { ...options, env: { ...keyring().env, ...options.env } });
}

/** `aws-mfa add NAME --env ...` with keys in the environment, and the seed (if any) on stdin. */
function addFromEnv(
  box: Sandbox,
  profile: string,
  keys: { accessKeyId: string; secretAccessKey: string },
  extraArgs: readonly string[] = [],
  stdin?: string,
): Promise<RunResult> {
  const env = { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };
  return cli(box, ['add', profile, '--env', ...extraArgs], { env, ...(stdin === undefined ? {} : { stdin }) });
}

async function expectOk(run: Promise<RunResult>): Promise<RunResult> {
  const result = await run;
  expect(result.code, describeRun(result)).toBe(0);
  return result;
}

describe('the story: add --env --totp, configure, then every AWS tool works with nothing to type', () => {
  it('stores the keys and seed in the keychain only, and the AWS CLI gets an MFA session from them', async () => {
    const box = sandbox();
    const seed = randomSeed();

    const added = await expectOk(addFromEnv(box, 'prod', storedKeys, ['--totp', '--mfa-serial', mfaSerial], `${seed}\n`));
    const configured = await expectOk(cli(box, ['configure', 'prod']));

    expect(readFileSync(box.configPath, 'utf8')).toBe('[profile prod]\ncredential_process = aws-mfa credential-process --profile prod\n');
    expect(await keyring().lookup('prod')).toBe(
      JSON.stringify({
        version: 1,
        accessKeyId: storedKeys.accessKeyId,
        secretAccessKey: storedKeys.secretAccessKey,
        mfaSerial,
        totpSeed: seed,
      }),
    );

    // The AWS CLI v1 runs credential_process with no terminal: the code comes from the seed.
    const [aws, window] = await timed(() => box.runAws(['sts', 'get-caller-identity', '--profile', 'prod'], { env: keyring().env }));
    expect(aws.code, describeRun(aws)).toBe(0);
    expect(JSON.parse(aws.stdout)).toMatchObject({ Account: motoAccount });
    const calls = await sessionTokenCalls(moto);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.accessKeyId).toBe(storedKeys.accessKeyId);
    expect(calls[0]?.body.get('SerialNumber')).toBe(mfaSerial);
    expect(calls[0]?.body.get('TokenCode')).toMatch(/^\d{6}$/);
    expect(stepOfCode(seed, calls[0]?.body.get('TokenCode'), window), 'TokenCode is the seed’s code for now').toBeDefined();
    const identityCalls = (await moto.recordedRequests()).filter((request) => request.action === 'GetCallerIdentity');
    expect(identityCalls.map((request) => request.accessKeyId)).toEqual([motoSession.accessKeyId]);

    // The next call reuses the cached session: no second code, no second STS call.
    const again = await box.runAws(['sts', 'get-caller-identity', '--profile', 'prod'], { env: keyring().env });
    expect(again.code, describeRun(again)).toBe(0);
    expect(await sessionTokenCalls(moto)).toHaveLength(1);

    // Neither the long-term secret nor the seed is anywhere under HOME (files, cache, TOTP state) or in any output.
    const secrets = [storedKeys.secretAccessKey, seed];
    expect(filesContaining(box.home, secrets)).toEqual([]);
    // The search does find what is there: the session's secret, in the cache.
    expect(filesContaining(box.home, [motoSession.secretAccessKey])).not.toEqual([]);
    for (const run of [added, configured, aws, again]) {
      for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
    }
    expect(added.stdout).toBe('');
    expect(added.stderr).toContain('AKIA…0001');
  });
});

describe('add', () => {
  it('--import moves [prod-long-term] into the keychain: keys out of the file, every other byte kept, the empty section removed', async () => {
    const box = sandbox();
    const prodBlock = fileKeysSection('prod-long-term');
    const original = [
      '# my credentials, edited by hand',
      '[default]',
      'aws_access_key_id = AKIADEFAULT000000001',
      'aws_secret_access_key = default-secret',
      '',
      "; prod's long-term keys",
      prodBlock,
      '[other]',
      'region = us-west-2',
      '',
    ].join('\n');
    box.writeCredentials(original);
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);

    const result = await expectOk(cli(box, ['add', 'prod', '--import']));

    expect(readFileSync(box.credentialsPath, 'utf8')).toBe(original.replace(`${prodBlock}\n`, ''));
    expect(fileMode(box.credentialsPath)).toBe(0o600);
    expect(await keychainItem(keyring(), 'prod')).toEqual({ version: 1, ...fileKeys });
    expect(result.stderr).toContain('[prod-long-term]');
    expectNoSecrets(expect, result.stdout + result.stderr, [fileKeys.secretAccessKey]);

    // The keys now come from the keychain.
    await expectOk(cli(box, ['login', '-p', 'prod', '--code', '123456']));
    const calls = await sessionTokenCalls(moto);
    expect(calls.map((call) => call.accessKeyId)).toEqual([fileKeys.accessKeyId]);
  });

  it('--import keeps [prod-long-term] when it holds other keys, such as aws_mfa_device', async () => {
    const box = sandbox();
    const original = `[prod-long-term]\r\naws_access_key_id = ${fileKeys.accessKeyId}\r\naws_mfa_device = ${otherSerial}\r\naws_secret_access_key = ${fileKeys.secretAccessKey}\r\n\r\n[other]\r\nregion = us-west-2\r\n`;
    box.writeCredentials(original);

    await expectOk(cli(box, ['add', 'prod', '--import']));

    expect(readFileSync(box.credentialsPath, 'utf8')).toBe(
      `[prod-long-term]\r\naws_mfa_device = ${otherSerial}\r\n\r\n[other]\r\nregion = us-west-2\r\n`,
    );
    expect(await keychainItem(keyring(), 'prod')).toEqual({ version: 1, ...fileKeys });

    // Keys from the keychain, the serial still from aws_mfa_device.
    await expectOk(cli(box, ['login', '-p', 'prod', '--code', '123456']));
    const [call] = await sessionTokenCalls(moto);
    expect(call?.accessKeyId).toBe(fileKeys.accessKeyId);
    expect(call?.body.get('SerialNumber')).toBe(otherSerial);
  });

  it('--import takes long-term keys kept in [prod] itself, and login can then write the session there', async () => {
    const box = sandbox();
    box.writeCredentials(`${fileKeysSection('prod')}\n[other]\nregion = us-west-2\n`);
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);

    await expectOk(cli(box, ['add', 'prod', '--import']));

    expect(readFileSync(box.credentialsPath, 'utf8')).toBe('[other]\nregion = us-west-2\n');
    expect(await keychainItem(keyring(), 'prod')).toEqual({ version: 1, ...fileKeys });

    await expectOk(cli(box, ['login', '-p', 'prod', '--code', '123456']));
    expect(sectionOf(readFileSync(box.credentialsPath, 'utf8'), 'prod')).toMatchObject({ aws_access_key_id: motoSession.accessKeyId });
    expect((await sessionTokenCalls(moto))[0]?.accessKeyId).toBe(fileKeys.accessKeyId);
  });

  it('refuses --import when the file has no keys for the profile (exit 2, nothing stored)', async () => {
    const box = sandbox();
    box.writeCredentials('[other-long-term]\naws_access_key_id = AKIAOTHER00000000001\naws_secret_access_key = other-secret\n');
    const before = box.snapshot();

    const result = await cli(box, ['add', 'prod', '--import']);

    expectRefusal(expect, result, { exit: 2, words: ['nothing to import for prod', '[prod-long-term]'] });
    expect(box.snapshot()).toEqual(before);
    expect(await keyring().lookup('prod')).toBeUndefined();
  });

  it('again: replaces the keys and keeps the stored serial and seed', async () => {
    const box = sandbox();
    const seed = randomSeed();
    await expectOk(addFromEnv(box, 'prod', storedKeys, ['--totp', '--mfa-serial', mfaSerial], `${seed}\n`));

    await expectOk(addFromEnv(box, 'prod', newerKeys));

    expect(await keychainItem(keyring(), 'prod')).toEqual({ version: 1, ...newerKeys, mfaSerial, totpSeed: seed });

    // A new serial replaces the stored one; the seed still stays.
    await expectOk(addFromEnv(box, 'prod', newerKeys, ['--mfa-serial', otherSerial]));
    expect(await keychainItem(keyring(), 'prod')).toEqual({ version: 1, ...newerKeys, mfaSerial: otherSerial, totpSeed: seed });
  });

  it('reads the seed as pasted (lower case, grouped, padded) and stores it canonical', async () => {
    const box = sandbox();
    const seed = randomSeed();
    const pasted = `${seed
      .toLowerCase()
      .replace(/(.{4})/g, '$1 ')
      .trim()}====\nignored second line\n`;

    const result = await expectOk(addFromEnv(box, 'prod', storedKeys, ['--totp'], pasted));

    expect(await keychainItem(keyring(), 'prod')).toEqual({ version: 1, ...storedKeys, totpSeed: seed });
    expect(result.stderr).toContain('TOTP seed');
    expect(result.stderr.toUpperCase()).not.toContain(seed.slice(0, 8));
  });

  it('drops the cached session: the next credential-process calls STS with the new keys', async () => {
    const box = sandbox();
    await expectOk(addFromEnv(box, 'prod', storedKeys, ['--mfa-serial', mfaSerial]));
    await expectOk(cli(box, ['credential-process', '-p', 'prod', '--code', '111111']));
    await expectOk(cli(box, ['credential-process', '-p', 'prod']));
    expect(await sessionTokenCalls(moto)).toHaveLength(1);
    expect(existsSync(cachedSessionPath(box.cacheHome, 'prod'))).toBe(true);

    await expectOk(addFromEnv(box, 'prod', newerKeys));

    expect(existsSync(cachedSessionPath(box.cacheHome, 'prod'))).toBe(false);
    // No cached session and no terminal: a code is needed again.
    const withoutCode = await cli(box, ['credential-process', '-p', 'prod']);
    expectRefusal(expect, withoutCode, { exit: 1, words: ['no terminal'] });
    await expectOk(cli(box, ['credential-process', '-p', 'prod', '--code', '222222']));
    const calls = await sessionTokenCalls(moto);
    expect(calls.map((call) => [call.accessKeyId, call.body.get('TokenCode')])).toEqual([
      [storedKeys.accessKeyId, '111111'],
      [newerKeys.accessKeyId, '222222'],
    ]);
  });

  it('refuses temporary (ASIA) keys and a bad seed with exit 2, storing nothing and echoing neither', async () => {
    const box = sandbox();
    const before = box.snapshot();

    const temporary = await addFromEnv(box, 'prod', { accessKeyId: 'ASIATEMPORARYKEY0001', secretAccessKey: storedKeys.secretAccessKey });
    expectRefusal(expect, temporary, { exit: 2, words: ['AWS_ACCESS_KEY_ID'] });
    expectNoSecrets(expect, temporary.stderr, [storedKeys.secretAccessKey]);

    const badSeed = 'NOT-A-SEED-1890!';
    const seedRefused = await addFromEnv(box, 'prod', storedKeys, ['--totp'], `${badSeed}\n`);
    expectRefusal(expect, seedRefused, { exit: 2, words: ['bad TOTP seed'] });
    expect(seedRefused.stderr).not.toContain('1890');

    expect(await keyring().lookup('prod')).toBeUndefined();
    expect(box.snapshot()).toEqual(before);
  });
});

describe('list', () => {
  it('shows keychain and file profiles with masked key ids, serial, TOTP and session expiry, as a table and as JSON', async () => {
    const box = sandbox();
    const seed = randomSeed();
    box.writeCredentials(longTermSection('dev'));
    box.writeConfig(`[profile dev]\nmfa_serial = ${otherSerial}\n`);
    await expectOk(addFromEnv(box, 'prod', storedKeys, ['--totp', '--mfa-serial', mfaSerial], `${seed}\n`));
    await expectOk(addFromEnv(box, 'stage', newerKeys));
    const session = JSON.parse((await expectOk(cli(box, ['credential-process', '-p', 'prod', '--code', '123456']))).stdout) as {
      Expiration: string;
    };

    const json = await expectOk(cli(box, ['list', '--json']));
    const table = await expectOk(cli(box, ['list']));

    const expiration = new Date(session.Expiration).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(JSON.parse(json.stdout)).toEqual([
      {
        profile: 'dev',
        keySource: 'file',
        accessKeyId: 'AKIA…0001',
        mfaSerial: otherSerial,
        totp: false,
        sessionExpiration: null,
        sessionValid: false,
        roleArn: null,
        root: null,
      },
      {
        profile: 'prod',
        keySource: 'keychain',
        accessKeyId: 'AKIA…0001',
        mfaSerial,
        totp: true,
        sessionExpiration: expiration,
        sessionValid: true,
        roleArn: null,
        root: null,
      },
      {
        profile: 'stage',
        keySource: 'keychain',
        accessKeyId: 'AKIA…0002',
        mfaSerial: null,
        totp: false,
        sessionExpiration: null,
        sessionValid: false,
        roleArn: null,
        root: null,
      },
    ]);
    const rows = table.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/ {2,}/));
    expect(rows).toEqual([
      ['PROFILE', 'KEYS', 'KEY ID', 'MFA DEVICE', 'TOTP', 'SESSION'],
      ['dev', 'file', 'AKIA…0001', otherSerial, 'no', '-'],
      ['prod', 'keychain', 'AKIA…0001', mfaSerial, 'yes', `until ${expiration}`],
      ['stage', 'keychain', 'AKIA…0002', '-', 'no', '-'],
    ]);
    for (const run of [json, table]) {
      expectNoSecrets(expect, run.stdout + run.stderr, [
        storedKeys.secretAccessKey,
        newerKeys.secretAccessKey,
        longTermKeys.secretAccessKey,
        seed,
        motoSession.secretAccessKey,
      ]);
      expect(run.stderr).toBe('');
    }
  });
});

describe('remove', () => {
  it('--force deletes the item and the cached session, and leaves the files and other items alone', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('other'));
    const credentialsBefore = fileBytes(box.credentialsPath);
    await expectOk(addFromEnv(box, 'prod', storedKeys, ['--mfa-serial', mfaSerial]));
    await expectOk(addFromEnv(box, 'stage', newerKeys));
    await expectOk(cli(box, ['credential-process', '-p', 'prod', '--code', '123456']));
    expect(existsSync(cachedSessionPath(box.cacheHome, 'prod'))).toBe(true);

    const result = await expectOk(cli(box, ['remove', 'prod', '--force']));

    expect(await keyring().lookup('prod')).toBeUndefined();
    expect(await keyring().lookup('stage')).toBeDefined();
    expect(existsSync(cachedSessionPath(box.cacheHome, 'prod'))).toBe(false);
    expect(fileBytes(box.credentialsPath)).toEqual(credentialsBefore);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('removed prod');
    // Gone for good: the profile has no keys any more.
    const after = await cli(box, ['credential-process', '-p', 'prod', '--code', '123456']);
    expectRefusal(expect, after, { exit: 2, words: ["unknown profile 'prod'"] });
  });

  it('without --force and without a terminal: exit 1, nothing removed', async () => {
    const box = sandbox();
    await expectOk(addFromEnv(box, 'prod', storedKeys, ['--mfa-serial', mfaSerial]));
    await expectOk(cli(box, ['credential-process', '-p', 'prod', '--code', '123456']));
    const before = box.snapshot();
    const item = await keyring().lookup('prod');

    const result = await cli(box, ['remove', 'prod']);

    expectRefusal(expect, result, { exit: 1, words: ['no terminal', '--force'] });
    expect(await keyring().lookup('prod')).toBe(item);
    expect(box.snapshot()).toEqual(before);
  });

  it('of a profile the keychain does not hold: exit 2', async () => {
    const box = sandbox();

    const result = await cli(box, ['remove', 'nosuch', '--force']);

    expectRefusal(expect, result, { exit: 2, words: ['cannot remove nosuch', 'no item'] });
  });
});

describe('clear', () => {
  it('clear NAME drops that profile’s session only; clear drops them all', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('dev'));
    box.writeConfig(`[profile dev]\nmfa_serial = ${otherSerial}\n`);
    await expectOk(addFromEnv(box, 'prod', storedKeys, ['--mfa-serial', mfaSerial]));
    await expectOk(cli(box, ['credential-process', '-p', 'prod', '--code', '123456']));
    await expectOk(cli(box, ['credential-process', '-p', 'dev', '--code', '123456']));
    expect(cachedSessionFiles(box.cacheHome)).toHaveLength(2);

    const one = await expectOk(cli(box, ['clear', 'prod']));

    expect(one.stderr).toBe('aws-mfa: dropped the cached session of prod\n');
    expect(existsSync(cachedSessionPath(box.cacheHome, 'prod'))).toBe(false);
    expect(existsSync(cachedSessionPath(box.cacheHome, 'dev'))).toBe(true);
    await moto.clearRecording();
    expectRefusal(expect, await cli(box, ['credential-process', '-p', 'prod']), { exit: 1, words: ['no terminal'] });
    await expectOk(cli(box, ['credential-process', '-p', 'dev']));
    expect(await sessionTokenCalls(moto)).toHaveLength(0);
    expect(await keyring().lookup('prod')).toBeDefined();

    const all = await expectOk(cli(box, ['clear']));

    expect(all.stderr).toBe('aws-mfa: dropped 1 cached session\n');
    expect(cachedSessionFiles(box.cacheHome)).toEqual([]);
    const again = await expectOk(cli(box, ['clear', 'prod']));
    expect(again.stderr).toBe('aws-mfa: no cached session for prod\n');
  });
});

describe('without a keychain (no D-Bus session)', () => {
  const noBus = { DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined, XDG_RUNTIME_DIR: undefined };

  it('keys in [prod-long-term] still work', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);

    const result = await box.runCli(['login', '-p', 'prod', '--code', '123456'], { env: noBus });

    expect(result.code, describeRun(result)).toBe(0);
    expect(sectionOf(readFileSync(box.credentialsPath, 'utf8'), 'prod')).toMatchObject({ aws_access_key_id: motoSession.accessKeyId });
    expect((await sessionTokenCalls(moto)).map((call) => call.accessKeyId)).toEqual([longTermKeys.accessKeyId]);
    expect(result.stderr).not.toContain('keychain');
  });

  it('add, code and remove fail with one line that says the keychain needs D-Bus; nothing is written', async () => {
    const box = sandbox();
    box.writeCredentials(fileKeysSection('prod-long-term'));
    // libsecret (GLib) may create an empty XDG_CACHE_HOME while failing: folders there do not count.
    const before = withoutCacheFolders(box.snapshot());
    const runs = {
      add: await box.runCli(['add', 'prod', '--env'], {
        env: { ...noBus, AWS_ACCESS_KEY_ID: storedKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: storedKeys.secretAccessKey },
      }),
      import: await box.runCli(['add', 'prod', '--import'], { env: noBus }),
      code: await box.runCli(['code', 'prod'], { env: noBus }),
      remove: await box.runCli(['remove', 'prod', '--force'], { env: noBus }),
    };

    for (const [name, result] of Object.entries(runs)) {
      const line = expectRefusal(expect, result, { exit: 1, words: ['keychain unavailable', 'D-Bus'] });
      expect(line, name).toMatch(/dbus-run-session|desktop session/);
      expectNoSecrets(expect, line, [storedKeys.secretAccessKey, fileKeys.secretAccessKey]);
    }
    expect(withoutCacheFolders(box.snapshot())).toEqual(before);
  });

  it('list still lists the file profiles and says on stderr that the keychain is unavailable (exit 0)', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));

    const result = await box.runCli(['list', '--json'], { env: noBus });

    expect(result.code, describeRun(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        profile: 'prod',
        keySource: 'file',
        accessKeyId: 'AKIA…0001',
        mfaSerial: null,
        totp: false,
        sessionExpiration: null,
        sessionValid: false,
        roleArn: null,
        root: null,
      },
    ]);
    expect(result.stderr).toMatch(/^aws-mfa: keychain unavailable: [^\n]*D-Bus[^\n]*listing the files only\n$/);
  });
});
