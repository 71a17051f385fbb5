/**
 * Node's compile cache (src/compile-cache.ts), end to end: on Node 22+ bin/aws-mfa keeps the
 * bundle's compiled code in aws-mfa's own cache folder, private, and only there; where that folder
 * is not certainly the user's own, nothing is written and the answer is the same. Node 20 has no
 * compile cache: nothing is written at all.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import nodeModule from 'node:module';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { snapshotTree } from './harness/files.js';
import { useMoto } from './harness/moto.js';
import { type Sandbox, useSandbox } from './harness/sandbox.js';
import { describeRun, longTermSection, mfaSerial } from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(() => moto.reset());

const nodeHasCompileCache = 'enableCompileCache' in nodeModule;
const runningAsRoot = process.getuid?.() === 0;

/** A profile with a cached session, got with a code: the cache folder exists from then on. */
async function sandboxWithSession(): Promise<Sandbox> {
  const box = sandbox();
  box.writeCredentials(longTermSection('prod'));
  box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);
  const first = await box.runCli(['credential-process', '-p', 'prod', '--code', '123456']);
  expect(first.code, describeRun(first)).toBe(0);
  return box;
}

async function expectCachedAnswer(box: Sandbox): Promise<void> {
  const result = await box.runCli(['credential-process', '-p', 'prod']);
  expect(result.code, describeRun(result)).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ Version: 1 });
  expect(await moto.countCalls('GetSessionToken')).toBe(1);
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' });
}

describe("Node's compile cache", () => {
  it.runIf(nodeHasCompileCache)('is kept in the cache folder: 0700 folders, 0600 files, nothing anywhere else', async () => {
    const box = await sandboxWithSession();
    const before = box.snapshot();

    await expectCachedAnswer(box);

    expect(box.snapshot()).toEqual(before);
    const entries = Object.entries(snapshotTree(box.compileCacheFolder)).map(([, entry]) => entry.split(' ').slice(0, 2).join(' '));
    expect(entries.some((entry) => entry === 'file 600')).toBe(true);
    expect(entries.filter((entry) => entry !== 'file 600' && entry !== 'folder 700')).toEqual([]);
  });

  it.runIf(!nodeHasCompileCache)('is not written on a Node without one', async () => {
    const box = await sandboxWithSession();

    await expectCachedAnswer(box);

    expect(existsSync(box.compileCacheFolder)).toBe(false);
  });

  it('makes no cache folder where there is none yet', async () => {
    const box = sandbox();

    const result = await box.runCli(['--version']);

    expect(result.code, describeRun(result)).toBe(0);
    expect(existsSync(box.cacheHome)).toBe(false);
  });

  it('does not write through a symbolic link in its place', async () => {
    const box = await sandboxWithSession();
    const elsewhere = join(box.home, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, box.compileCacheFolder);

    await expectCachedAnswer(box);

    expect(filesUnder(elsewhere)).toEqual([]);
  });

  it('does not write into a folder that others may write to', async () => {
    const box = await sandboxWithSession();
    mkdirSync(box.compileCacheFolder, { mode: 0o700 });
    chmodSync(box.compileCacheFolder, 0o777);

    await expectCachedAnswer(box);

    expect(filesUnder(box.compileCacheFolder)).toEqual([]);
  });

  it.runIf(runningAsRoot)('does not write into a folder of another user', async () => {
    const box = await sandboxWithSession();
    mkdirSync(box.compileCacheFolder, { mode: 0o700 });
    chownSync(box.compileCacheFolder, 1001, 1001);

    await expectCachedAnswer(box);

    expect(filesUnder(box.compileCacheFolder)).toEqual([]);
  });
});
