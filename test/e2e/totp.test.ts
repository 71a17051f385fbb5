/**
 * Where the MFA code comes from, end to end: a TOTP seed stored in the keychain (checked against
 * oathtool, an independent RFC 6238 implementation; never the same 30 s step twice per device),
 * mfa_process, and --code. moto is STS unless a test needs AWS's refusal of a wrong code, which
 * a fake STS sends with AWS's own error document.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorReply, FakeSts } from '../aws/fake-aws.js';
import { fileBytes } from './harness/files.js';
import { clearKeychain, filesContaining } from './harness/keychain-tools.js';
import { useKeyring } from './harness/keyring.js';
import { useMoto } from './harness/moto.js';
import type { RunResult } from './harness/process.js';
import { expectNoSecrets, expectRefusal } from './harness/refusals.js';
import { type CommandOptions, Sandbox, useSandbox } from './harness/sandbox.js';
import {
  describeRun,
  longTermKeys,
  longTermSection,
  mfaSerial,
  motoSession,
  type RunWindow,
  sectionOf,
  sessionTokenCalls,
  timed,
} from './harness/session-fixtures.js';
import { oathtoolCode, randomSeed, STEP_SECONDS, stepAt, stepOfCode } from './harness/totp-tools.js';

const moto = useMoto();
const keyring = useKeyring();
const region = 'us-east-1';
const sandbox = useSandbox(moto, { region });

beforeEach(async () => {
  await moto.reset();
  await clearKeychain(keyring());
});

const prodKeys = { accessKeyId: 'AKIATOTPPRODKEY00001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiTOTPPROD0001' } as const;
const stageKeys = { accessKeyId: 'AKIATOTPSTAGEKEY0001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiTOTPSTAGE001' } as const;
const stepWaitNotice = /the MFA code for this 30 s step was already used; waiting \d+s for the next one/;

function cli(box: Sandbox, args: readonly string[], options: CommandOptions = {}): Promise<RunResult> {
  return box.runCli(args, { ...options, env: { ...keyring().env, ...options.env } });
}

/** `add NAME --env --totp --mfa-serial SERIAL` with the seed on stdin. */
async function addWithSeed(
  box: Sandbox,
  profile: string,
  keys: { accessKeyId: string; secretAccessKey: string },
  seed: string,
): Promise<void> {
  const env = { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };
  const result = await cli(box, ['add', profile, '--env', '--totp', '--mfa-serial', mfaSerial], { env, stdin: `${seed}\n` });
  expect(result.code, describeRun(result)).toBe(0);
}

/**
 * Waits, at most `secondsNeeded`, until the current time step has that long left, so that runs
 * started now fall into one step: what the step guard does then is certain, not a race with the clock.
 */
async function startOfRoomyStep(secondsNeeded: number): Promise<void> {
  const msLeft = (stepAt(Date.now()) + 1) * STEP_SECONDS * 1000 - Date.now();
  if (msLeft < secondsNeeded * 1000) await sleep(msLeft + 50);
}

describe('a stored TOTP seed', () => {
  it('code prints the seed’s current code, as oathtool computes it', async () => {
    const box = sandbox();
    const seed = randomSeed();
    await addWithSeed(box, 'prod', prodKeys, seed);

    const [result, window] = await timed(() => cli(box, ['code', 'prod']));

    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toMatch(/^\d{6}\n$/);
    expect(stepOfCode(seed, result.stdout.trim(), window), `${result.stdout} is not the seed's code for now`).toBeDefined();
    expect(result.stderr).toMatch(/^aws-mfa: valid for \d+ s more\n$/);
    expect(result.stderr + result.stdout).not.toContain(seed);
    // The record of used steps names the device by a hash: the seed is in no file.
    expect(filesContaining(box.home, [seed])).toEqual([]);
  });

  it('code refuses a profile without a stored seed, or without an item (exit 2)', async () => {
    const box = sandbox();
    const env = { AWS_ACCESS_KEY_ID: prodKeys.accessKeyId, AWS_SECRET_ACCESS_KEY: prodKeys.secretAccessKey };
    expect((await cli(box, ['add', 'prod', '--env'], { env })).code).toBe(0);

    expectRefusal(expect, await cli(box, ['code', 'prod']), { exit: 2, words: ['no TOTP seed for prod', 'add prod --totp'] });
    expectRefusal(expect, await cli(box, ['code', 'nosuch']), { exit: 2, words: ['no TOTP seed for nosuch', 'no item'] });
  });

  it('never sends one time step twice: a second login waits for the next step, and so does code after a login', {
    timeout: 120_000,
  }, async () => {
    // Two devices (seeds) in two HOMEs, run side by side, so that the two step waits overlap.
    const first = sandbox();
    const second = new Sandbox({ endpointUrl: moto.url, region });
    try {
      const prodSeed = randomSeed();
      const stageSeed = randomSeed();
      await addWithSeed(first, 'prod', prodKeys, prodSeed);
      await addWithSeed(second, 'stage', stageKeys, stageSeed);
      await startOfRoomyStep(15);

      const twoLogins = async () => {
        const one = await timed(() => cli(first, ['login', '--force', '-p', 'prod']));
        const two = await timed(() => cli(first, ['login', '--force', '-p', 'prod']));
        return [one, two] as const;
      };
      const loginThenCode = async () => {
        const login = await timed(() => cli(second, ['login', '--force', '-p', 'stage']));
        const code = await timed(() => cli(second, ['code', 'stage']));
        return [login, code] as const;
      };
      const [[[login1, window1], [login2, window2]], [[stageLogin, stageWindow], [code, codeWindow]]] = await Promise.all([
        twoLogins(),
        loginThenCode(),
      ]);

      for (const run of [login1, login2, stageLogin, code]) {
        expect(run.code, describeRun(run)).toBe(0);
        expectNoSecrets(expect, run.stdout + run.stderr, [prodSeed, stageSeed, prodKeys.secretAccessKey, stageKeys.secretAccessKey]);
      }
      const calls = await sessionTokenCalls(moto);
      const prodCodes = calls.filter((call) => call.accessKeyId === prodKeys.accessKeyId).map((call) => call.body.get('TokenCode'));
      const stageCodes = calls.filter((call) => call.accessKeyId === stageKeys.accessKeyId).map((call) => call.body.get('TokenCode'));
      expect(prodCodes).toHaveLength(2);
      expect(stageCodes).toHaveLength(1);

      // Two logins in quick succession: two different codes, the second one of a later step, after a notice.
      expect(prodCodes[0]).not.toBe(prodCodes[1]);
      const step1 = stepOfCode(prodSeed, prodCodes[0], window1);
      const step2 = stepOfCode(prodSeed, prodCodes[1], window2);
      expect(step1, 'the first login sent the seed’s code for now').toBeDefined();
      expect(step2, 'the second login sent the seed’s code for now').toBeDefined();
      expect(step2).toBeGreaterThan(step1 ?? Number.POSITIVE_INFINITY);
      expect(login1.stderr).not.toMatch(stepWaitNotice);
      // No terminal: the notice goes to stderr.
      expect(login2.stderr).toMatch(stepWaitNotice);

      // code right after a login: a code of a later step than the login's, after the same notice.
      const loginStep = stepOfCode(stageSeed, stageCodes[0], stageWindow);
      const codeStep = stepOfCode(stageSeed, code.stdout.trim(), codeWindow);
      expect(loginStep).toBeDefined();
      expect(codeStep).toBeDefined();
      expect(codeStep).toBeGreaterThan(loginStep ?? Number.POSITIVE_INFINITY);
      expect(code.stdout).toBe(`${oathtoolCode(stageSeed, codeStep ?? 0)}\n`);
      expect(code.stderr).toMatch(stepWaitNotice);
    } finally {
      second.remove();
    }
  });
});

describe('a wrong code computed from the seed', () => {
  let sts: FakeSts;
  beforeAll(async () => {
    sts = await FakeSts.start();
  });
  afterAll(async () => {
    await sts.close();
  });

  const wrongCode = (serverDate: Date) => ({
    ...errorReply(403, 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. '),
    headers: { Date: serverDate.toUTCString() },
  });

  async function loginAgainstFakeSts(serverDate: Date): Promise<{ result: RunResult; seed: string; window: RunWindow; box: Sandbox }> {
    const box = sandbox();
    const seed = randomSeed();
    await addWithSeed(box, 'prod', prodKeys, seed);
    box.writeCredentials('# nothing else\n');
    sts.requests.length = 0;
    sts.reply = wrongCode(serverDate);
    const before = fileBytes(box.credentialsPath);
    const [result, window] = await timed(() => cli(box, ['login', '-p', 'prod'], { env: { AWS_ENDPOINT_URL_STS: sts.url } }));
    expect(sts.requests).toHaveLength(1);
    expect(stepOfCode(seed, sts.requests[0]?.params.get('TokenCode'), window), 'the code sent was the seed’s').toBeDefined();
    expect(fileBytes(box.credentialsPath)).toEqual(before);
    return { result, seed, window, box };
  }

  it('with AWS’s clock far from this one: exit 1, and the hint says to sync the clock', async () => {
    const { result, seed } = await loginAgainstFakeSts(new Date(Date.now() - 10 * 60 * 1000));

    const line = expectRefusal(expect, result, { exit: 1, words: ['GetSessionToken failed', 'rejected the MFA code', 'stored TOTP seed'] });
    expect(line).toMatch(/clock is (59\d|60\d) s ahead of AWS['’]s: sync it/);
    expectNoSecrets(expect, line, [seed, prodKeys.secretAccessKey, sts.requests[0]?.params.get('TokenCode') ?? '']);
  });

  it('with the clocks in agreement: exit 1, and the hint says the seed may be another device’s', async () => {
    const { result, seed } = await loginAgainstFakeSts(new Date());

    const line = expectRefusal(expect, result, { exit: 1, words: ['GetSessionToken failed', 'rejected the MFA code', 'stored TOTP seed'] });
    expect(line).toContain('the clocks agree: the seed may belong to another device');
    expect(line).toContain('aws-mfa add prod --totp');
    expectNoSecrets(expect, line, [seed, prodKeys.secretAccessKey, sts.requests[0]?.params.get('TokenCode') ?? '']);
  });

  it('is sent once even when AWS’s Date makes the SDK correct its clock; a refused request time is still retried', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);
    const farServerDate = { Date: new Date(Date.now() - 10 * 60 * 1000).toUTCString() };
    const env = { AWS_ENDPOINT_URL_STS: sts.url };

    sts.requests.length = 0;
    sts.reply = wrongCode(new Date(Date.now() - 10 * 60 * 1000));
    const refused = await cli(box, ['login', '-p', 'prod', '--code', '123456'], { env });
    expectRefusal(expect, refused, { exit: 1, words: ['rejected the MFA code'] });
    expect(sts.requests, 'a wrong code is never sent again').toHaveLength(1);

    sts.requests.length = 0;
    sts.reply = {
      ...errorReply(
        403,
        'SignatureDoesNotMatch',
        'Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z (20260101T001000Z - 5 min.)',
      ),
      headers: farServerDate,
    };
    const skewed = await cli(box, ['login', '-p', 'prod', '--code', '123456'], { env });
    expectRefusal(expect, skewed, { exit: 1, words: ['AWS refused the request time', 'ahead of'] });
    expect(sts.requests.length, 'the SDK retries with its corrected clock').toBeGreaterThan(1);
  });
});

describe('mfa_process', () => {
  it('gives the code when there is no seed', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\nmfa_process = printf 123456\n`);

    const result = await cli(box, ['login', '-p', 'prod']);

    expect(result.code, describeRun(result)).toBe(0);
    const calls = await sessionTokenCalls(moto);
    expect(calls.map((call) => [call.accessKeyId, call.body.get('TokenCode')])).toEqual([[longTermKeys.accessKeyId, '123456']]);
    expect(sectionOf(readFileSync(box.credentialsPath, 'utf8'), 'prod')).toMatchObject({ aws_access_key_id: motoSession.accessKeyId });
  });

  it('failing: exit 1, one line that does not repeat what it printed; nothing sent, nothing written', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    const failing = `[profile prod]\nmfa_serial = ${mfaSerial}\nmfa_process = printf 654321; exit 3\n`;
    const garbled = `[profile prod]\nmfa_serial = ${mfaSerial}\nmfa_process = echo token-not-a-code-987654x\n`;

    box.writeConfig(failing);
    const before = box.snapshot();
    const failed = await cli(box, ['login', '-p', 'prod']);
    const failedLine = expectRefusal(expect, failed, { exit: 1, words: ['mfa_process failed', 'exited with status 3'] });
    expect(failedLine).not.toContain('654321');

    box.writeConfig(garbled);
    const garbledRun = await cli(box, ['login', '-p', 'prod']);
    const garbledLine = expectRefusal(expect, garbledRun, { exit: 1, words: ['mfa_process failed', 'printed no 6-digit code'] });
    expect(garbledLine).not.toMatch(/token-not-a-code|987654/);

    expect(await sessionTokenCalls(moto)).toEqual([]);
    expect(fileBytes(box.credentialsPath)).toEqual(Buffer.from(longTermSection('prod')));
    expect(Object.keys(box.snapshot()).filter((path) => !(path in before) && !path.startsWith('.cache'))).toEqual([]);
  });

  it('comes after --code and the stored seed', async () => {
    const box = sandbox();
    const seed = randomSeed();
    await addWithSeed(box, 'prod', prodKeys, seed);
    box.writeConfig('[profile prod]\nmfa_process = printf 123456\n');

    const withFlag = await cli(box, ['credential-process', '-p', 'prod', '--code', '987654']);
    const [withSeed, window] = await timed(() => cli(box, ['credential-process', '--force', '-p', 'prod']));

    expect(withFlag.code, describeRun(withFlag)).toBe(0);
    expect(withSeed.code, describeRun(withSeed)).toBe(0);
    const codes = (await sessionTokenCalls(moto)).map((call) => call.body.get('TokenCode'));
    expect(codes[0]).toBe('987654');
    expect(codes[1]).not.toBe('123456');
    expect(stepOfCode(seed, codes[1], window)).toBeDefined();
  });
});
