/**
 * rotate against moto: the user ends with the new key only, the new key is stored where the old
 * one was (the keychain item, or [NAME-long-term] byte for byte), and the next login signs with it.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { fileMode } from './harness/files.js';
import { clearKeychain, keychainItem } from './harness/keychain-tools.js';
import { useKeyring } from './harness/keyring.js';
import { type IamUserWithKey, useMoto, xmlValue } from './harness/moto.js';
import type { RunResult } from './harness/process.js';
import { expectRefusal } from './harness/refusals.js';
import { type CommandOptions, type Sandbox, useSandbox } from './harness/sandbox.js';
import { describeRun, mfaSerial, motoSession, sessionTokenCalls } from './harness/session-fixtures.js';

const moto = useMoto();
const keyring = useKeyring();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(async () => {
  await moto.reset();
  await clearKeychain(keyring());
});

function cli(box: Sandbox, args: readonly string[], options: CommandOptions = {}): Promise<RunResult> {
  return box.runCli(args, { ...options, env: { ...keyring().env, ...options.env } });
}

/** The access key ids moto holds for the user. */
async function accessKeyIds(userName: string): Promise<string[]> {
  const xml = await moto.iam('ListAccessKeys', { UserName: userName });
  return [...xml.matchAll(/<AccessKeyId>([^<]+)<\/AccessKeyId>/g)].map((match) => match[1] ?? '');
}

/** Rotates with the MFA session (moto takes any code), then checks that a new session is signed with the new key. */
async function rotateAndLogIn(box: Sandbox, alice: IamUserWithKey): Promise<string> {
  await moto.clearRecording();
  const rotate = await cli(box, ['rotate', '-p', 'prod', '--code', '123456']);

  expect(rotate.code, describeRun(rotate)).toBe(0);
  expect(rotate.stdout).toBe('');
  expect(rotate.stderr).toContain('sessions issued before stay valid until they expire');
  const requests = await moto.recordedRequests();
  const [newKeyId = ''] = await accessKeyIds('alice');
  expect(await accessKeyIds('alice')).toEqual([newKeyId]);
  expect(newKeyId).not.toBe(alice.accessKeyId);
  expect(requests.map((request) => [request.action, request.accessKeyId])).toEqual([
    ['GetCallerIdentity', alice.accessKeyId],
    ['GetSessionToken', alice.accessKeyId],
    ['ListAccessKeys', motoSession.accessKeyId],
    ['CreateAccessKey', motoSession.accessKeyId],
    ['GetCallerIdentity', newKeyId],
    ['DeleteAccessKey', motoSession.accessKeyId],
  ]);
  expect(requests[5]?.body.get('AccessKeyId')).toBe(alice.accessKeyId);

  await moto.clearRecording();
  const login = await cli(box, ['login', '-p', 'prod', '--force', '--code', '654321']);
  expect(login.code, describeRun(login)).toBe(0);
  const [call] = await sessionTokenCalls(moto);
  expect(call?.accessKeyId).toBe(newKeyId);
  return newKeyId;
}

describe('rotate', () => {
  it('replaces the key in the keychain item, keeping its serial; the next login signs with the new key', async () => {
    const box = sandbox();
    const alice = await moto.createUserWithKey('alice');
    const env = { AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey };
    expect((await cli(box, ['add', 'prod', '--env', '--mfa-serial', mfaSerial], { env })).code).toBe(0);

    const newKeyId = await rotateAndLogIn(box, alice);

    expect(await keychainItem(keyring(), 'prod')).toEqual({
      version: 1,
      accessKeyId: newKeyId,
      secretAccessKey: expect.stringMatching(/^[A-Za-z0-9/+]{40}$/),
      mfaSerial,
    });
  });

  it('replaces the key in [prod-long-term], keeping every other byte of the credentials file', async () => {
    const box = sandbox();
    const alice = await moto.createUserWithKey('alice');
    const before = [
      '# written by hand',
      '[default]',
      'region = us-east-1',
      '',
      '; prod, for aws-mfa',
      '[prod-long-term]',
      `aws_access_key_id = ${alice.accessKeyId}`,
      `aws_secret_access_key = ${alice.secretAccessKey}`,
      `aws_mfa_device = ${mfaSerial}`,
      '',
      '[other]',
      'aws_access_key_id = AKIAOTHER00000000001',
      'aws_secret_access_key = other-secret',
      '',
    ].join('\n');
    box.writeFile(box.credentialsPath, before, 0o644);

    const newKeyId = await rotateAndLogIn(box, alice);

    const after = readFileSync(box.credentialsPath, 'utf8');
    const newSecret = /\[prod-long-term\]\naws_access_key_id = \S+\naws_secret_access_key = (\S+)\n/.exec(after)?.[1] ?? '';
    const expected = before
      .replace(`aws_access_key_id = ${alice.accessKeyId}`, `aws_access_key_id = ${newKeyId}`)
      .replace(`aws_secret_access_key = ${alice.secretAccessKey}`, `aws_secret_access_key = ${newSecret}`);
    // login wrote [prod] after the rotation: everything up to it is the rotated file.
    expect(after.startsWith(expected)).toBe(true);
    expect(newSecret).toMatch(/^[A-Za-z0-9/+]{40}$/);
    expect(fileMode(box.credentialsPath)).toBe(0o600);
    expect(await keychainItem(keyring(), 'prod')).toBeUndefined();
  });

  it('refuses a user who already has two keys, naming the other one, and changes nothing', async () => {
    const box = sandbox();
    const alice = await moto.createUserWithKey('alice');
    const other = xmlValue(await moto.iam('CreateAccessKey', { UserName: 'alice' }), 'AccessKeyId');
    const env = { AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey };
    expect((await cli(box, ['add', 'prod', '--env', '--mfa-serial', mfaSerial], { env })).code).toBe(0);
    const itemBefore = await keychainItem(keyring(), 'prod');

    const result = await cli(box, ['rotate', '-p', 'prod', '--code', '123456']);

    expectRefusal(expect, result, {
      exit: 1,
      words: ['cannot rotate the access key of prod', 'alice already has 2 access keys', other, `--access-key-id ${other}`],
    });
    expect((await accessKeyIds('alice')).sort()).toEqual([alice.accessKeyId, other].sort());
    expect(await keychainItem(keyring(), 'prod')).toEqual(itemBefore);
  });
});
