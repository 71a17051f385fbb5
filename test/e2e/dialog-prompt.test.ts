/**
 * "Prompts without a terminal" (PRODUCT.md, issue 12) for real: aws-mfa started with no
 * controlling terminal (a new session, stdin /dev/null), as an IDE starts credential_process, on a
 * bare Xvfb of its own; the zenity dialog it shows is found by its process id and answered with
 * xdotool, as a person would.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BackgroundCli } from './harness/background.js';
import { answerDialog, cancelDialog, processesWithEnv, waitForDialog, zenitiesOf } from './harness/dialogs.js';
import { cachedSessionFiles } from './harness/keychain-tools.js';
import { useMoto } from './harness/moto.js';
import { cliPath } from './harness/paths.js';
import { recordedChildren, writeRecorderScript } from './harness/recorders.js';
import { expectRefusal } from './harness/refusals.js';
import { type EnvOverrides, type Sandbox, useSandbox } from './harness/sandbox.js';
import { describeRun, longTermSection, mfaSerial, motoSession, sessionTokenCalls } from './harness/session-fixtures.js';
import { useXvfb } from './harness/xvfb.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });
const xvfb = useXvfb();

const CODE = '246810';
const NO_TERMINAL =
  'aws-mfa: cannot ask for the MFA code: no terminal to prompt on (pass --code, or run `aws-mfa login` in a terminal first)\n';

beforeEach(() => moto.reset());

/** Stand-ins for zenity and kdialog that record being started (and answer a code): no dialog must be. */
const recorders = mkdtempSync(join(tmpdir(), 'aws-mfa-dialog-recorders-'));
writeRecorderScript(recorders, 'zenity', '135790');
writeRecorderScript(recorders, 'kdialog', '135790');
afterAll(() => rmSync(recorders, { recursive: true, force: true }));

function setUpProdProfile(box: Sandbox, configLines = ''): void {
  box.writeCredentials(longTermSection('prod'));
  box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n${configLines}`);
}

/** The desktop an IDE started from: a display, and GTK's accessibility bus quieted. */
function desktop(extra: EnvOverrides = {}): EnvOverrides {
  return { DISPLAY: xvfb.display, NO_AT_BRIDGE: '1', ...extra };
}

/** credential-process in the background with no terminal, on the test's display. */
function credentialProcess(box: Sandbox, args: readonly string[] = [], env: EnvOverrides = {}): BackgroundCli {
  return new BackgroundCli(box, ['credential-process', '-p', 'prod', ...args], { env: desktop(env) });
}

function expectSessionJson(stdout: string): void {
  const session = JSON.parse(stdout) as Record<string, unknown>;
  expect(session).toMatchObject({ Version: 1, AccessKeyId: motoSession.accessKeyId });
}

describe('with no terminal and a display, the MFA code is asked in a zenity dialog', () => {
  it('shows the profile and the device, takes the typed code and gets the session with it', { timeout: 60_000 }, async () => {
    const box = sandbox();
    setUpProdProfile(box);

    const run = credentialProcess(box);
    const dialog = await waitForDialog(xvfb, { group: run.pid });
    await answerDialog(xvfb, dialog, CODE);
    const result = await run.result();

    expect(result.code, describeRun(result)).toBe(0);
    expectSessionJson(result.stdout);
    expect(result.stderr).toBe('');
    expect((await sessionTokenCalls(moto)).map((call) => call.body.get('TokenCode'))).toEqual([CODE]);
    expect(dialog.argv.slice(1)).toEqual([
      '--entry',
      '--hide-text',
      '--title',
      'aws-mfa: prod',
      '--text',
      `MFA code for prod (${mfaSerial}):`,
    ]);
    expect(zenitiesOf({ group: run.pid })).toEqual([]);
    expect(cachedSessionFiles(box.cacheHome)).toHaveLength(1);
  });

  it('asks again, with the reason, when the answer is not 6 digits', { timeout: 60_000 }, async () => {
    const box = sandbox();
    setUpProdProfile(box);

    const run = credentialProcess(box);
    const first = await waitForDialog(xvfb, { group: run.pid });
    await answerDialog(xvfb, first, '12ab56');
    const second = await waitForDialog(xvfb, { group: run.pid }, [first.pid]);
    expect(await sessionTokenCalls(moto)).toEqual([]);
    await answerDialog(xvfb, second, CODE);
    const result = await run.result();

    expect(result.code, describeRun(result)).toBe(0);
    expectSessionJson(result.stdout);
    expect(second.argv.at(-1)).toBe(`MFA code for prod (${mfaSerial}):\nEnter the 6 digits your MFA device shows`);
    expect((await sessionTokenCalls(moto)).map((call) => call.body.get('TokenCode'))).toEqual([CODE]);
    for (const dialog of [first, second]) expect(dialog.argv.join(' ')).not.toMatch(/12ab56|246810/);
  });

  it('Escape cancels: exit 130 with one line, no STS call, nothing cached', { timeout: 60_000 }, async () => {
    const box = sandbox();
    setUpProdProfile(box);

    const run = credentialProcess(box);
    await cancelDialog(xvfb, await waitForDialog(xvfb, { group: run.pid }));
    const result = await run.result();

    expectRefusal(expect, result, { exit: 130, words: [] });
    expect(result.stderr).toBe('aws-mfa: MFA code dialog: cancelled\n');
    expect(await sessionTokenCalls(moto)).toEqual([]);
    expect(cachedSessionFiles(box.cacheHome)).toEqual([]);
    expect(zenitiesOf({ group: run.pid })).toEqual([]);
  });

  it('the AWS CLI, started with no terminal, gets its credentials through the dialog', { timeout: 90_000 }, async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    box.writeConfig(
      `[profile prod]\nmfa_serial = ${mfaSerial}\n\n[profile app]\ncredential_process = aws-mfa credential-process -p prod\n`,
    );

    const run = new BackgroundCli(box, ['sts', 'get-caller-identity', '--profile', 'app'], { env: desktop(), command: 'aws' });
    await answerDialog(xvfb, await waitForDialog(xvfb, { group: run.pid }), CODE);
    const result = await run.result();

    expect(result.code, describeRun(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Account: '123456789012' });
    expect((await sessionTokenCalls(moto)).map((call) => call.body.get('TokenCode'))).toEqual([CODE]);
  });

  it('a second aws-mfa waiting for the first shows no dialog of its own, and both get the session', { timeout: 90_000 }, async () => {
    const box = sandbox();
    setUpProdProfile(box);

    const first = credentialProcess(box);
    const dialog = await waitForDialog(xvfb, { group: first.pid });
    const second = credentialProcess(box);
    await second.waitForStderr('aws-mfa: waiting for another aws-mfa to get a session for prod\n');
    expect(zenitiesOf({ group: second.pid })).toEqual([]);
    await answerDialog(xvfb, dialog, CODE);
    const results = [await first.result(), await second.result()];

    for (const result of results) expect(result.code, describeRun(result)).toBe(0);
    expect(results[1]?.stdout).toBe(results[0]?.stdout);
    expect(await sessionTokenCalls(moto)).toHaveLength(1);
  });
});

describe('on a terminal with a display', () => {
  it('auto asks on the terminal and starts no dialog', { timeout: 60_000 }, async () => {
    const box = sandbox();
    setUpProdProfile(box);

    const result = await box.runInPty(
      [cliPath, 'credential-process', '-p', 'prod'],
      async (terminal) => {
        await terminal.waitForText(`MFA code for prod (${mfaSerial}):`);
        await terminal.type(`${CODE}\r`);
      },
      { env: desktop({ PATH: [recorders, box.env().PATH].join(delimiter) }) },
    );

    expect(result.code, result.transcript).toBe(0);
    expectSessionJson(result.stdout);
    expect(recordedChildren(recorders, 'zenity')).toEqual([]);
    expect((await sessionTokenCalls(moto)).map((call) => call.body.get('TokenCode'))).toEqual([CODE]);
  });

  it('--prompt dialog shows the dialog, not a terminal prompt', { timeout: 60_000 }, async () => {
    const box = sandbox();
    setUpProdProfile(box);
    const marker = randomUUID();

    const result = await box.runInPty(
      [cliPath, 'credential-process', '-p', 'prod', '--prompt', 'dialog'],
      async () => answerDialog(xvfb, await waitForDialog(xvfb, { env: ['AWS_MFA_TEST_RUN', marker] }), CODE),
      { env: desktop({ AWS_MFA_TEST_RUN: marker }) },
    );

    expect(result.code, result.transcript).toBe(0);
    expectSessionJson(result.stdout);
    expect(result.transcript).not.toContain('MFA code for');
    expect((await sessionTokenCalls(moto)).map((call) => call.body.get('TokenCode'))).toEqual([CODE]);
  });
});

describe('when no dialog may or can be shown', () => {
  /** PATH with the recording stand-ins first: a dialog started would leave a record. */
  const withRecorders = (box: Sandbox): EnvOverrides => ({ PATH: [recorders, box.env().PATH].join(delimiter) });

  it.each([
    ['--prompt terminal', ['--prompt', 'terminal'], ''],
    ['aws_mfa_prompt = terminal', [], 'aws_mfa_prompt = terminal\n'],
  ])('%s with no terminal fails with the no-terminal line and starts no dialog', async (_, args, configLines) => {
    const box = sandbox();
    setUpProdProfile(box, configLines);

    const result = await credentialProcess(box, args, withRecorders(box)).result();

    expectRefusal(expect, result, { exit: 1, words: [] });
    expect(result.stderr).toBe(NO_TERMINAL);
    expect(recordedChildren(recorders, 'zenity')).toEqual([]);
    expect(recordedChildren(recorders, 'kdialog')).toEqual([]);
    expect(await sessionTokenCalls(moto)).toEqual([]);
  });

  it('with no terminal and no display, auto fails with the same line as ever', async () => {
    const box = sandbox();
    setUpProdProfile(box);

    const result = await box.runCli(['credential-process', '-p', 'prod'], { env: withRecorders(box) });

    expect(result.stderr, describeRun(result)).toBe(NO_TERMINAL);
    expect(result.code).toBe(1);
    expect(recordedChildren(recorders, 'zenity')).toEqual([]);
  });

  it('--prompt dialog with no display says so', async () => {
    const box = sandbox();
    setUpProdProfile(box);

    const result = await box.runCli(['credential-process', '-p', 'prod', '--prompt', 'dialog']);

    expectRefusal(expect, result, { exit: 1, words: [] });
    expect(result.stderr).toBe(
      'aws-mfa: cannot ask for the MFA code: no display (DISPLAY or WAYLAND_DISPLAY) to show a dialog on (pass --code, or run `aws-mfa login` in a terminal first)\n',
    );
  });

  it('with a display but neither zenity nor kdialog installed, says both are missing', async () => {
    const box = sandbox();
    setUpProdProfile(box);
    const nodeOnly = join(box.home, 'node-only');
    mkdirSync(nodeOnly);
    symlinkSync(process.execPath, join(nodeOnly, 'node'));

    const result = await box.runCli(['credential-process', '-p', 'prod'], {
      env: desktop({ PATH: [dirname(cliPath), nodeOnly].join(delimiter) }),
    });

    expectRefusal(expect, result, { exit: 1, words: [] });
    expect(result.stderr).toBe(
      'aws-mfa: cannot ask for the MFA code: no terminal to prompt on, and no dialog program (zenity or kdialog) is installed (install zenity or kdialog, or pass --code, or run `aws-mfa login` in a terminal first)\n',
    );
  });

  it.each([
    ['--prompt', ['--prompt', 'popup'], '', 'aws-mfa: bad prompt from --prompt: "popup" is not one of auto, terminal, dialog'],
    ['aws_mfa_prompt', [], 'aws_mfa_prompt = gui\n', 'is not one of auto, terminal, dialog'],
  ])('a bad %s is bad usage: exit 2, one line, no dialog', async (_, args, configLines, words) => {
    const box = sandbox();
    setUpProdProfile(box, configLines);

    const result = await credentialProcess(box, args, withRecorders(box)).result();

    expectRefusal(expect, result, { exit: 2, words: [words] });
    expect(recordedChildren(recorders, 'zenity')).toEqual([]);
  });
});

describe('the keychain lookup with a display and no D-Bus session', () => {
  /** Runs credential-process there; returns its result and what it left running (found by a variable only it had). */
  async function runWithoutBus(box: Sandbox) {
    const runtime = join(box.home, 'runtime');
    mkdirSync(runtime, { mode: 0o700 });
    const marker = randomUUID();
    const result = await box.runCli(['credential-process', '-p', 'prod', '--code', CODE], {
      env: desktop({ XDG_RUNTIME_DIR: runtime, AWS_MFA_TEST_RUN: marker }),
    });
    return { result, leftRunning: processesWithEnv('AWS_MFA_TEST_RUN', marker) };
  }

  it('keys in the file work, and nothing is left running (no autolaunched bus or keyring daemon)', async () => {
    const box = sandbox();
    setUpProdProfile(box);

    const { result, leftRunning } = await runWithoutBus(box);

    expect(leftRunning).toEqual([]);
    expect(result.code, describeRun(result)).toBe(0);
    expectSessionJson(result.stdout);
  });

  it('with no keys in the file, says the keychain needs a D-Bus session, and leaves nothing running', async () => {
    const box = sandbox();
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);

    const { result, leftRunning } = await runWithoutBus(box);

    expect(leftRunning).toEqual([]);
    expectRefusal(expect, result, { exit: 1, words: ['no long-term keys for profile prod', 'no D-Bus session'] });
  });
});
