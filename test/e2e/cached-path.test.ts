import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useMoto } from './harness/moto.js';
import { bundleSources, repoRoot } from './harness/paths.js';
import { type Sandbox, useSandbox } from './harness/sandbox.js';
import { longTermSection, mfaSerial, sessionTokenCalls } from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(() => moto.reset());

/** Packages that only a new session needs: loading any of them on the cached path costs time. */
const AWS_AND_PROMPT_PACKAGES = ['@aws-sdk/', '@smithy/', '@inquirer/', 'http-proxy-agent', 'https-proxy-agent', 'otplib', 'keytar'];
const SESSION_LOCK_PACKAGE = 'proper-lockfile';
/** Fails (urlopen raises on any status but 2xx) unless the server answers both requests. */
const FETCH_TWICE_FROM_SERVER = [
  'import os, urllib.request',
  "request = urllib.request.Request(os.environ['AWS_CONTAINER_CREDENTIALS_FULL_URI'], headers={'Authorization': os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN']})",
  'for _ in range(2): urllib.request.urlopen(request).read()',
].join('\n');
/** Node's modules that a cached answer has no use for: streams, fs.promises, sockets, terminals, crypto, child processes. */
const UNNEEDED_BUILTINS =
  /^NativeModule (stream|internal\/streams\/|internal\/fs\/(promises|streams)|internal\/readline\/|net|tty|crypto|child_process|http)/;
/** bin/aws-mfa loads it, and it loads the bundle (src/start-up/start-cli.ts). */
const START_UP_FILE = 'dist/start-up.cjs';

describe('the cached path', () => {
  it.each([
    [['credential-process'], [...AWS_AND_PROMPT_PACKAGES, SESSION_LOCK_PACKAGE]],
    [['env'], [...AWS_AND_PROMPT_PACKAGES, SESSION_LOCK_PACKAGE]],
    [
      ['exec', '--', 'true'],
      [...AWS_AND_PROMPT_PACKAGES, SESSION_LOCK_PACKAGE],
    ],
    // the server's requests too: the child (Python, which NODE_OPTIONS does not touch) fetches twice
    [
      ['exec', '--server', '--', 'python3', '-c', FETCH_TWICE_FROM_SERVER],
      [...AWS_AND_PROMPT_PACKAGES, SESSION_LOCK_PACKAGE],
    ],
    // login writes the credentials file, under that file's lock
    [['login'], AWS_AND_PROMPT_PACKAGES],
  ])('of %j loads none of %j', async (command, unwanted) => {
    const box = await sandboxWithSession();

    const loaded = sourcesIn(await filesLoadedBy(box, command));

    expect(await sessionTokenCalls(moto)).toHaveLength(1);
    expect(loaded).toContain('src/main.ts');
    expect(loaded.filter((source) => unwanted.some((name) => source.includes(`node_modules/${name}`)))).toEqual([]);
  });

  it.each([[['credential-process']], [['env']]])('of %j loads one file of the bundle: its entry', async (command) => {
    const box = await sandboxWithSession();

    const loaded = await filesLoadedBy(box, command);

    expect(loaded.filter((file) => file.startsWith('dist/'))).toEqual(['dist/aws-mfa.cjs']);
  });

  it.each([[['credential-process']], [['env']]])('of %j loads none of the Node modules it has no use for', async (command) => {
    const box = await sandboxWithSession();

    const { builtins } = await recordedRun(box, command);

    expect(builtins.filter((name) => UNNEEDED_BUILTINS.test(name))).toEqual([]);
  });

  it(`loads ${START_UP_FILE} first, then the bundle as one module`, async () => {
    const box = await sandboxWithSession();

    const { files } = await recordedRun(box, ['credential-process']);

    expect(files.filter((file) => file.startsWith('dist/'))).toEqual([START_UP_FILE, 'dist/aws-mfa.cjs']);
  });

  it.each([[['credential-process']], [['env']]])(
    'of a role profile, %j, loads only the bundle entry and none of the AWS, prompt or lock packages',
    async (command) => {
      const box = sandbox();
      box.writeCredentials(longTermSection('root'));
      box.writeConfig(
        `[profile root]\nmfa_serial = ${mfaSerial}\n[profile prod]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = root\n`,
      );
      expect((await box.runCli(['credential-process', '-p', 'prod', '--code', '123456'])).code).toBe(0);
      await moto.clearRecording();

      const loaded = await filesLoadedBy(box, command);

      expect(await moto.recordedRequests()).toEqual([]);
      expect(loaded.filter((file) => file.startsWith('dist/'))).toEqual(['dist/aws-mfa.cjs']);
      const unwanted = [...AWS_AND_PROMPT_PACKAGES, SESSION_LOCK_PACKAGE];
      expect(sourcesIn(loaded).filter((source) => unwanted.some((name) => source.includes(`node_modules/${name}`)))).toEqual([]);
    },
  );

  it('of a new session does load them (the checks above can fail)', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);

    const { files, builtins } = await recordedRun(box, ['credential-process', '--code', '123456']);

    expect(files.filter((file) => file.startsWith('dist/') && file !== START_UP_FILE).length).toBeGreaterThan(1);
    expect(sourcesIn(files).some((source) => source.includes('node_modules/@aws-sdk/client-sts/'))).toBe(true);
    expect(builtins.filter((name) => UNNEEDED_BUILTINS.test(name))).not.toEqual([]);
  });
});

async function sandboxWithSession(): Promise<Sandbox> {
  const box = sandbox();
  box.writeCredentials(longTermSection('prod'));
  box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);
  expect((await box.runCli(['credential-process', '-p', 'prod', '--code', '123456'])).code).toBe(0);
  return box;
}

/**
 * Runs `aws-mfa -p prod COMMAND…` and gives every file Node loaded for it (relative to the
 * repository) but the start-up file, which loads before the bundle and is tested on its own.
 */
async function filesLoadedBy(box: Sandbox, command: string[]): Promise<string[]> {
  return (await recordedRun(box, command)).files.filter((file) => file !== START_UP_FILE);
}

/** Runs `aws-mfa -p prod COMMAND…`: every file Node loaded for it, and every module of Node's own (`NativeModule stream`). */
async function recordedRun(box: Sandbox, command: string[]): Promise<{ files: string[]; builtins: string[] }> {
  const modulesLog = join(box.home, 'modules.log');
  const hook = join(repoRoot, 'test', 'e2e', 'harness', 'record-modules.cjs');
  const run = await box.runCli(['-p', 'prod', ...command], {
    env: { NODE_OPTIONS: `--require=${hook}`, RECORD_MODULES_TO: modulesLog },
  });
  expect(run.code, run.stderr).toBe(0);
  const lines = (file: string) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
  return { files: lines(modulesLog).map((file) => relative(repoRoot, file)), builtins: lines(`${modulesLog}.builtins`) };
}

/** The sources (src/… and node_modules/…) of loaded files: those inside each file of dist/, and the others as they are. */
function sourcesIn(files: readonly string[]): string[] {
  const sourcesByFile = JSON.parse(readFileSync(bundleSources, 'utf8')) as Record<string, string[]>;
  return files.flatMap((file) => sourcesByFile[file] ?? [file]);
}
