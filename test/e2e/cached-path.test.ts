import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useMoto } from './harness/moto.js';
import { bundleSources, repoRoot } from './harness/paths.js';
import { useSandbox } from './harness/sandbox.js';
import { longTermSection, mfaSerial, sessionTokenCalls } from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

beforeEach(() => moto.reset());

/** Packages that only a new session needs: loading any of them on the cached path costs time. */
const AWS_AND_PROMPT_PACKAGES = ['@aws-sdk/', '@smithy/', '@inquirer/', 'http-proxy-agent', 'https-proxy-agent', 'otplib', 'keytar'];
const SESSION_LOCK_PACKAGE = 'proper-lockfile';

describe('the cached path', () => {
  it.each([
    [['credential-process'], [...AWS_AND_PROMPT_PACKAGES, SESSION_LOCK_PACKAGE]],
    [['env'], [...AWS_AND_PROMPT_PACKAGES, SESSION_LOCK_PACKAGE]],
    [
      ['exec', '--', 'true'],
      [...AWS_AND_PROMPT_PACKAGES, SESSION_LOCK_PACKAGE],
    ],
    // login writes the credentials file, under that file's lock
    [['login'], AWS_AND_PROMPT_PACKAGES],
  ])('of %j loads none of %j', async (command, unwanted) => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);
    expect((await box.runCli(['credential-process', '-p', 'prod', '--code', '123456'])).code).toBe(0);
    const modulesLog = join(box.home, 'modules.log');
    const hook = join(repoRoot, 'test', 'e2e', 'harness', 'record-modules.mjs');

    const cached = await box.runCli(['-p', 'prod', ...command], {
      env: { NODE_OPTIONS: `--import=${hook}`, RECORD_MODULES_TO: modulesLog },
    });

    expect(cached.code, cached.stderr).toBe(0);
    expect(await sessionTokenCalls(moto)).toHaveLength(1);
    const loaded = sourcesLoaded(readFileSync(modulesLog, 'utf8'));
    expect(loaded).toContain('src/main.ts');
    expect(loaded.filter((source) => unwanted.some((name) => source.includes(`node_modules/${name}`)))).toEqual([]);
  });

  it('of a new session does load them (the check above can fail)', async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);
    const modulesLog = join(box.home, 'modules.log');
    const hook = join(repoRoot, 'test', 'e2e', 'harness', 'record-modules.mjs');

    const fresh = await box.runCli(['credential-process', '-p', 'prod', '--code', '123456'], {
      env: { NODE_OPTIONS: `--import=${hook}`, RECORD_MODULES_TO: modulesLog },
    });

    expect(fresh.code, fresh.stderr).toBe(0);
    expect(sourcesLoaded(readFileSync(modulesLog, 'utf8')).some((source) => source.includes('node_modules/@aws-sdk/client-sts/'))).toBe(
      true,
    );
  });
});

/** The sources (src/… and node_modules/…) a run loaded: those inside each file of dist/, and files loaded from elsewhere. */
function sourcesLoaded(moduleLog: string): string[] {
  const sourcesByFile = JSON.parse(readFileSync(bundleSources, 'utf8')) as Record<string, string[]>;
  return moduleLog
    .split('\n')
    .filter((file) => file !== '')
    .map((file) => relative(repoRoot, file))
    .flatMap((file) => sourcesByFile[file] ?? [file]);
}
