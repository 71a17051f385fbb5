/**
 * The compiled code bin/aws-mfa keeps between runs (src/start-up/), end to end: after a session
 * command, V8's code of the bundle in aws-mfa's own cache folder, private, and only there; the next
 * run uses it as it is; code of another bundle or code V8 refuses is replaced, never run; where the
 * folder is not certainly the user's own, nothing is written and the answer is the same.
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { snapshotTree } from './harness/files.js';
import { useMoto } from './harness/moto.js';
import { repoRoot } from './harness/paths.js';
import { type Sandbox, useSandbox } from './harness/sandbox.js';
import { describeRun, longTermSection, mfaSerial } from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(() => moto.reset());

const runningAsRoot = process.getuid?.() === 0;
const codeFileName = `aws-mfa-${process.version}-${process.arch}.v8`;

/**
 * A profile with a cached session, got with a code: the cache folder exists from then on (the run
 * that makes it keeps no compiled code: the folder for it is looked for before the command runs).
 */
async function sandboxWithSession(): Promise<Sandbox> {
  const box = sandbox();
  box.writeCredentials(longTermSection('prod'));
  box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);
  const first = await box.runCli(['credential-process', '-p', 'prod', '--code', '123456']);
  expect(first.code, describeRun(first)).toBe(0);
  return box;
}

/** Then a cached answer, which keeps the compiled code. */
async function sandboxWithCompiledCode(): Promise<Sandbox> {
  const box = await sandboxWithSession();
  await expectCachedAnswer(box);
  expect(existsSync(codeFile(box))).toBe(true);
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

/** The first line of a code file for the bundle as it is now (src/start-up/code-cache-file.ts). */
function headerForThisBundle(): string {
  const stats = statSync(join(repoRoot, 'dist', 'aws-mfa.cjs'), { bigint: true });
  return `aws-mfa code cache ${[stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs].join(':')}\n`;
}

function codeFile(box: Sandbox): string {
  return join(box.compiledCodeFolder, codeFileName);
}

describe('the compiled code kept between runs', () => {
  it('is written after a session command, in the cache folder only: 0700 folders, 0600 files', async () => {
    const box = await sandboxWithSession();
    const before = box.snapshot();

    await expectCachedAnswer(box);

    expect(box.snapshot()).toEqual(before);
    expect(filesUnder(box.compiledCodeFolder)).toContain(codeFileName);
    expect(readFileSync(codeFile(box)).subarray(0, headerForThisBundle().length).toString()).toBe(headerForThisBundle());
    const entries = Object.values(snapshotTree(box.compiledCodeFolder)).map((entry) => entry.split(' ').slice(0, 2).join(' '));
    expect(entries).toContain('file 600');
    expect(entries.filter((entry) => entry !== 'file 600' && entry !== 'folder 700')).toEqual([]);
  });

  it('is used as it is by the next run', async () => {
    const box = await sandboxWithCompiledCode();
    const written = statSync(codeFile(box), { bigint: true });

    await expectCachedAnswer(box);

    const after = statSync(codeFile(box), { bigint: true });
    expect([after.ino, after.mtimeNs]).toEqual([written.ino, written.mtimeNs]);
  });

  it.each([[['--version']], [['list']], [['credential-process', '-p', 'missing']]])('is not written by %j', async (argv) => {
    const box = sandbox();
    box.writeConfig('[profile prod]\nregion = us-east-1\n');
    mkdirSync(join(box.cacheHome, 'aws-mfa'), { recursive: true, mode: 0o700 });

    await box.runCli(argv);

    expect(existsSync(codeFile(box))).toBe(false);
  });

  it.each([
    ['of another build of the bundle', () => Buffer.from('aws-mfa code cache 1:2:3:4:5\nnot V8 code')],
    ['that V8 refuses', () => Buffer.concat([Buffer.from(headerForThisBundle()), Buffer.alloc(4096, 7)])],
  ])('%s is replaced, and the answer is right', async (_case, contents) => {
    const box = await sandboxWithCompiledCode();
    writeFileSync(codeFile(box), contents(), { mode: 0o600 });

    await expectCachedAnswer(box);

    const replaced = readFileSync(codeFile(box));
    expect(replaced.subarray(0, headerForThisBundle().length).toString()).toBe(headerForThisBundle());
    expect(replaced.equals(contents())).toBe(false);
  });

  it('is not read or written through a symbolic link in its place', async () => {
    const box = await sandboxWithCompiledCode();
    const elsewhere = join(box.home, 'elsewhere.v8');
    writeFileSync(elsewhere, 'aws-mfa code cache 1:2:3:4:5\n', { mode: 0o600 });
    rmSync(codeFile(box));
    symlinkSync(elsewhere, codeFile(box));

    await expectCachedAnswer(box);

    expect(readFileSync(elsewhere, 'utf8')).toBe('aws-mfa code cache 1:2:3:4:5\n');
  });

  it('makes no cache folder where there is none yet', async () => {
    const box = sandbox();

    const result = await box.runCli(['--version']);

    expect(result.code, describeRun(result)).toBe(0);
    expect(existsSync(box.cacheHome)).toBe(false);
  });

  it('is not written through a symbolic link in place of its folder', async () => {
    const box = await sandboxWithSession();
    const elsewhere = join(box.home, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, box.compiledCodeFolder);

    await expectCachedAnswer(box);

    expect(filesUnder(elsewhere)).toEqual([]);
  });

  it('is not written into a folder that others may write to', async () => {
    const box = await sandboxWithSession();
    mkdirSync(box.compiledCodeFolder, { mode: 0o700 });
    chmodSync(box.compiledCodeFolder, 0o777);

    await expectCachedAnswer(box);

    expect(filesUnder(box.compiledCodeFolder)).toEqual([]);
  });

  it.runIf(runningAsRoot)('is not written into a folder of another user', async () => {
    const box = await sandboxWithSession();
    mkdirSync(box.compiledCodeFolder, { mode: 0o700 });
    chownSync(box.compiledCodeFolder, 1001, 1001);

    await expectCachedAnswer(box);

    expect(filesUnder(box.compiledCodeFolder)).toEqual([]);
  });

  it('is neither read nor written with --debug, whose stack traces need the plain load', async () => {
    const box = await sandboxWithCompiledCode();
    writeFileSync(codeFile(box), 'aws-mfa code cache 1:2:3:4:5\n', { mode: 0o600 });

    const result = await box.runCli(['credential-process', '-p', 'prod', '--debug']);

    expect(result.code, describeRun(result)).toBe(0);
    expect(readFileSync(codeFile(box), 'utf8')).toBe('aws-mfa code cache 1:2:3:4:5\n');
  });
});
