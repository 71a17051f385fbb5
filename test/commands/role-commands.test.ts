import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssumeRoleRequest, GetSessionTokenRequest } from '../../src/aws/sts.js';
import { clearCommand } from '../../src/commands/clear.js';
import { configureCommand } from '../../src/commands/configure.js';
import { credentialProcessCommand } from '../../src/commands/credential-process.js';
import { envCommand } from '../../src/commands/env.js';
import { loginCommand } from '../../src/commands/login.js';
import { UsageError } from '../../src/core/errors.js';
import type { SessionDependencies } from '../../src/providers/dependencies.js';
import { profileCredentials } from '../../src/providers/session-for-profile.js';
import { createFakeIo, type FakeIo } from '../fakes/fake-io.js';
import { fakeSessionDependencies } from '../fakes/session-dependencies.js';

// The session commands on role profiles, called directly with (input, deps) and fake STS calls.

const NOW = new Date('2026-11-22T08:00:00Z');
const ROOT_KEY = 'AKIAROOTKEY0EXAMPLE1';
const CONFIG = [
  '[profile root]',
  'mfa_serial = arn:aws:iam::123456789012:mfa/alice',
  '[profile admin]',
  'role_arn = arn:aws:iam::111111111111:role/admin',
  'source_profile = root',
  'region = eu-west-1',
  '',
].join('\n');

let home: string;
let calls: string[];

function session(key: string, seconds: number) {
  return {
    credentials: {
      accessKeyId: key,
      secretAccessKey: `${key}-secret`,
      sessionToken: `${key}-token`,
      expiration: new Date(NOW.getTime() + seconds * 1000),
    },
    serverDate: NOW,
  };
}

function dependencies(io: FakeIo): SessionDependencies {
  return fakeSessionDependencies(
    io,
    home,
    async (request: GetSessionTokenRequest) => {
      calls.push(`GetSessionToken ${request.keys.accessKeyId} ${request.tokenCode}`);
      return session('ASIAMFASESSION000001', request.durationSeconds);
    },
    {
      assumeRole: async (request: AssumeRoleRequest) => {
        calls.push(`AssumeRole ${request.roleArn} as ${request.roleSessionName} signed by ${request.credentials.accessKeyId}`);
        return session('ASIAROLESESSION00001', request.durationSeconds ?? 3600);
      },
      getCallerIdentity: async (request) => {
        calls.push(`GetCallerIdentity signed by ${request.credentials.accessKeyId}`);
        return { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice', userId: 'AIDAEXAMPLE' };
      },
    },
  );
}

function fakeIo(): FakeIo {
  return createFakeIo({
    now: NOW,
    env: { HOME: home, AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'), AWS_CONFIG_FILE: path.join(home, 'config') },
  });
}

beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'aws-mfa-role-commands-'));
  calls = [];
  await fs.writeFile(
    path.join(home, 'credentials'),
    `[root-long-term]\naws_access_key_id = ${ROOT_KEY}\naws_secret_access_key = rootSecretEXAMPLE\n`,
  );
  await fs.writeFile(path.join(home, 'config'), CONFIG);
});
afterEach(() => fs.rm(home, { recursive: true, force: true }));

describe('credential-process and env on a role profile', () => {
  it('print the role session, assumed with the MFA session under the IAM user name, then serve it from the cache', async () => {
    const io = fakeIo();
    const deps = dependencies(io);

    await credentialProcessCommand({ profile: 'admin', code: '123456' }, deps);
    await envCommand({ profile: 'admin' }, deps);

    expect(calls).toEqual([
      `GetSessionToken ${ROOT_KEY} 123456`,
      'GetCallerIdentity signed by ASIAMFASESSION000001',
      'AssumeRole arn:aws:iam::111111111111:role/admin as alice signed by ASIAMFASESSION000001',
    ]);
    expect(JSON.parse(io.stdout[0] ?? '')).toMatchObject({
      Version: 1,
      AccessKeyId: 'ASIAROLESESSION00001',
      Expiration: '2026-11-22T09:00:00Z',
    });
    expect(io.stdout[1]).toContain("export AWS_ACCESS_KEY_ID='ASIAROLESESSION00001'");
    expect(io.stdout[1]).toContain("export AWS_REGION='eu-west-1'");
  });
});

describe('login on a role profile', () => {
  it('writes the root MFA session into [root] and says the AWS tools assume the role from it', async () => {
    const io = fakeIo();

    expect(await loginCommand({ profile: 'admin', code: '123456' }, dependencies(io))).toBe(0);

    expect(calls).toEqual([`GetSessionToken ${ROOT_KEY} 123456`]);
    expect(await fs.readFile(path.join(home, 'credentials'), 'utf8')).toContain('[root]\naws_access_key_id = ASIAMFASESSION000001\n');
    expect(io.stderr.join('')).toContain('admin is a role assumed from root');
  });
});

describe('configure on a role profile', () => {
  it('refuses without --as, writing nothing, and writes into the --as profile', async () => {
    const io = fakeIo();
    const deps = { io, programPath: '/opt/aws-mfa' };

    await expect(configureCommand({ name: 'admin' }, deps)).rejects.toThrow(UsageError);
    expect(await fs.readFile(path.join(home, 'config'), 'utf8')).toBe(CONFIG);
    await configureCommand({ name: 'admin', as: 'admin-mfa' }, deps);

    expect(await fs.readFile(path.join(home, 'config'), 'utf8')).toBe(
      `${CONFIG}\n[profile admin-mfa]\ncredential_process = /opt/aws-mfa credential-process --profile admin\n`,
    );
  });

  it('refuses an --as profile that has role_arn itself', async () => {
    await expect(configureCommand({ name: 'root', as: 'admin' }, { io: fakeIo(), programPath: '/opt/aws-mfa' })).rejects.toThrow(
      /has role_arn/,
    );
  });
});

describe('clear of a root', () => {
  it('drops the sessions of the roles assumed from it too', async () => {
    const io = fakeIo();
    const deps = dependencies(io);
    await credentialProcessCommand({ profile: 'admin', code: '123456' }, deps);

    await clearCommand({ name: 'root' }, deps);

    expect(await deps.cache.readAll()).toEqual([]);
  });
});

describe('profileCredentials, the provider the credential server and console take', () => {
  it('says whether the profile is a role, its region and partition, and serves the role session from one chain', async () => {
    const io = fakeIo();
    const admin = await profileCredentials({ profile: 'admin', code: '123456' }, dependencies(io));
    const root = await profileCredentials({ profile: 'root' }, dependencies(io));

    const [first, second] = await Promise.all([admin.provide(), admin.provide()]);

    expect({ isRole: admin.isRole, region: admin.region, partition: admin.partition }).toEqual({
      isRole: true,
      region: 'eu-west-1',
      partition: 'aws',
    });
    expect({ isRole: root.isRole, partition: root.partition }).toEqual({ isRole: false, partition: undefined });
    expect(first.accessKeyId).toBe('ASIAROLESESSION00001');
    expect(second).toEqual(first);
    expect(calls.filter((call) => call.startsWith('AssumeRole'))).toHaveLength(1);
  });
});
