import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GetSessionTokenRequest } from '../../src/aws/sts.js';
import { loadProfileSettings, type ProfileSettings } from '../../src/config/profile-settings.js';
import type { SessionDependencies } from '../../src/providers/dependencies.js';
import { createFakeIo, createFakeTerminal, type FakeIo } from '../fakes/fake-io.js';
import { fakeSessionDependencies, resolveSession } from '../fakes/session-dependencies.js';

const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const NOW = new Date('2026-11-22T08:00:00Z');

let home: string;
let calls: GetSessionTokenRequest[];

async function fakeGetSessionToken(request: GetSessionTokenRequest) {
  calls.push(request);
  const n = calls.length;
  return {
    credentials: {
      accessKeyId: `ASIAFAKE${n}`,
      secretAccessKey: `secret${n}`,
      sessionToken: `token${n}`,
      expiration: new Date(NOW.getTime() + request.durationSeconds * 1000),
    },
    serverDate: NOW,
  };
}

async function settingsWith(longTermKeyId = 'AKIAOLDKEY0000000001', extraConfig = ''): Promise<ProfileSettings> {
  await fs.writeFile(
    path.join(home, 'credentials'),
    `[prod-long-term]\naws_access_key_id = ${longTermKeyId}\naws_secret_access_key = longtermsecret\n`,
  );
  await fs.writeFile(path.join(home, 'config'), `[profile prod]\nmfa_serial = ${SERIAL}\n${extraConfig}`);
  return loadProfileSettings('prod', {}, env());
}

function testDependencies(io: FakeIo, overrides: Partial<SessionDependencies> = {}): SessionDependencies {
  return fakeSessionDependencies(io, home, fakeGetSessionToken, overrides);
}

function env() {
  return { HOME: home, AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'), AWS_CONFIG_FILE: path.join(home, 'config') };
}

beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'aws-mfa-resolve-'));
  calls = [];
});
afterEach(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

describe('resolveSession', () => {
  it('calls STS once with the code, then reuses the cached session with no call', async () => {
    const io = createFakeIo({ env: env(), now: NOW });
    const deps = testDependencies(io);
    const settings = await settingsWith();

    const first = await resolveSession({ settings, force: false, codeFlag: '123456' }, deps);
    const second = await resolveSession({ settings, force: false, codeFlag: undefined }, deps);

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      serialNumber: SERIAL,
      tokenCode: '123456',
      durationSeconds: 28800,
      keys: { accessKeyId: 'AKIAOLDKEY0000000001' },
    });
    expect(first.reused).toBe(false);
    expect(second).toEqual({ credentials: first.credentials, reused: true });
  });

  it('refreshes when no more than the refresh margin is left, and not a second before', async () => {
    const io = createFakeIo({ env: env(), now: NOW });
    const deps = testDependencies(io);
    const settings = await settingsWith();
    await resolveSession({ settings, force: false, codeFlag: '123456' }, deps);

    io.setNow(new Date(NOW.getTime() + (8 * 3600 - 15 * 60 - 1) * 1000));
    await resolveSession({ settings, force: false, codeFlag: '111111' }, deps);
    expect(calls).toHaveLength(1);

    io.setNow(new Date(NOW.getTime() + (8 * 3600 - 15 * 60) * 1000));
    await resolveSession({ settings, force: false, codeFlag: '222222' }, deps);
    expect(calls.map((call) => call.tokenCode)).toEqual(['123456', '222222']);
  });

  it('honours a configured refresh margin', async () => {
    const io = createFakeIo({ env: env(), now: NOW });
    const deps = testDependencies(io);
    const settings = await settingsWith(undefined, 'aws_mfa_refresh_margin = 1h\n');
    await resolveSession({ settings, force: false, codeFlag: '123456' }, deps);
    io.setNow(new Date(NOW.getTime() + 7 * 3600 * 1000));
    await resolveSession({ settings, force: false, codeFlag: '222222' }, deps);
    expect(calls).toHaveLength(2);
  });

  it('--force always gets a new session', async () => {
    const io = createFakeIo({ env: env(), now: NOW });
    const deps = testDependencies(io);
    const settings = await settingsWith();
    await resolveSession({ settings, force: false, codeFlag: '123456' }, deps);
    const forced = await resolveSession({ settings, force: true, codeFlag: '654321' }, deps);
    expect(calls).toHaveLength(2);
    expect(forced.reused).toBe(false);
  });

  it('a changed key id in [NAME-long-term] invalidates the cached session', async () => {
    const io = createFakeIo({ env: env(), now: NOW });
    const deps = testDependencies(io);
    await resolveSession({ settings: await settingsWith('AKIAOLDKEY0000000001'), force: false, codeFlag: '123456' }, deps);
    await resolveSession({ settings: await settingsWith('AKIANEWKEY0000000002'), force: false, codeFlag: '222222' }, deps);
    expect(calls.map((call) => call.keys.accessKeyId)).toEqual(['AKIAOLDKEY0000000001', 'AKIANEWKEY0000000002']);
  });

  it('another MFA serial does not reuse the session', async () => {
    const io = createFakeIo({ env: env(), now: NOW });
    const deps = testDependencies(io);
    const settings = await settingsWith();
    await resolveSession({ settings, force: false, codeFlag: '123456' }, deps);
    await resolveSession(
      { settings: { ...settings, mfaSerial: 'arn:aws:iam::123456789012:mfa/other' }, force: false, codeFlag: '222222' },
      deps,
    );
    expect(calls).toHaveLength(2);
  });

  it('prompts on the terminal when no code is given', async () => {
    const terminal = createFakeTerminal();
    const io = createFakeIo({ env: env(), now: NOW, terminal: () => terminal });
    const deps = testDependencies(io);
    const settings = await settingsWith();
    const pending = resolveSession({ settings, force: false, codeFlag: undefined }, deps);
    await waitFor(() => terminal.written().includes('MFA code for prod'));
    terminal.type('987654\r');
    await pending;
    expect(calls[0]?.tokenCode).toBe('987654');
    expect(io.stdout).toEqual([]);
  });

  it('with no terminal and no code, fails with a clear error and calls nothing', async () => {
    const io = createFakeIo({ env: env(), now: NOW });
    const deps = testDependencies(io);
    const settings = await settingsWith();
    await expect(resolveSession({ settings, force: false, codeFlag: undefined }, deps)).rejects.toThrow(
      'cannot ask for the MFA code: no terminal to prompt on',
    );
    expect(calls).toHaveLength(0);
  });

  it('says so when a short session is asked for', async () => {
    const io = createFakeIo({ env: env(), now: NOW });
    const deps = testDependencies(io);
    const settings = await settingsWith(undefined, 'aws_mfa_duration = 20m\n');
    await resolveSession({ settings, force: false, codeFlag: '123456' }, deps);
    expect(io.stderr.join('')).toContain('a 20m session is refreshed 15m before it ends');
  });

  it('a cache file of another shape counts as a miss', async () => {
    const io = createFakeIo({ env: env(), now: NOW });
    const deps = testDependencies(io);
    const settings = await settingsWith();
    await resolveSession({ settings, force: false, codeFlag: '123456' }, deps);
    const [file = 'missing'] = await fs.readdir(path.join(home, 'cache', 'sessions'));
    await fs.writeFile(path.join(home, 'cache', 'sessions', file), '{"version":1,"torn');
    await resolveSession({ settings, force: false, codeFlag: '222222' }, deps);
    expect(calls).toHaveLength(2);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe('resolveSession with a shorter session than asked for', () => {
  it('trusts the Expiration STS returns (root keys get 1 h whatever was asked)', async () => {
    const io = createFakeIo({ env: env(), now: NOW });
    const oneHourFromNow = new Date(NOW.getTime() + 3600 * 1000);
    const rootLike = async (request: GetSessionTokenRequest) => {
      const { credentials } = await fakeGetSessionToken(request);
      return { credentials: { ...credentials, expiration: oneHourFromNow }, serverDate: NOW };
    };
    const deps = testDependencies(io, { getSessionToken: rootLike });
    const settings = await settingsWith();

    const first = await resolveSession({ settings, force: false, codeFlag: '123456' }, deps);
    expect(first.credentials.expiration).toEqual(oneHourFromNow);
    expect(calls[0]?.durationSeconds).toBe(8 * 3600);

    io.setNow(new Date(NOW.getTime() + 45 * 60 * 1000 + 1000));
    await resolveSession({ settings, force: false, codeFlag: '222222' }, deps);
    expect(calls.map((call) => call.tokenCode)).toEqual(['123456', '222222']);
  });
});
