import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/errors.js';
import { keychainFailure } from '../../src/store/keychain.js';
import { useKeyring } from '../e2e/harness/keyring.js';
import { builtModule, repoRoot } from '../e2e/harness/paths.js';
import { runProcess } from '../e2e/harness/process.js';

type Operation = ['get' | 'delete', string] | ['set', string, string] | ['entries'];
type Outcome = { value?: unknown; error?: { line: string; exitCode: number } };

const SECRET_SERVICE = 'the Secret Service (GNOME Keyring, KWallet, KeePassXC)';
const SESSION_HINT = 'run inside a desktop session or `dbus-run-session`, with a Secret Service such as gnome-keyring unlocked';
const UNLOCK_HINT = 'unlock the default keyring (the login keyring, e.g. in Seahorse) and try again';
/** The attribute that keytar's searches match (libsecret adds it for keytar's schema). */
const GENERIC_SCHEMA = { 'xdg:schema': 'org.freedesktop.Secret.Generic' };
const builtKeychain = builtModule('store', 'keychain.js');
const childScript = join(repoRoot, 'test', 'store', 'keychain-child.mjs');

const keyring = useKeyring();
const lockedKeyring = useKeyring();
const foreignKeyring = useKeyring();
const keyringWithoutCollection = useKeyring('no-collection');
const busWithoutSecretService = useKeyring('none');

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'aws-mfa-keychain-test-'));
  mkdirSync(join(folder, 'runtime'), { mode: 0o700 });
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs the operations in a child node with only these variables (and no desktop session). */
async function inChild(env: Record<string, string>, operations: Operation[], modulePath = builtKeychain): Promise<Outcome[]> {
  const childEnv = { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8', HOME: folder, XDG_RUNTIME_DIR: join(folder, 'runtime'), ...env };
  const result = await runProcess(process.execPath, [childScript, modulePath, JSON.stringify(operations)], { env: childEnv, cwd: folder });
  if (result.code !== 0) throw new Error(`the keychain child failed (${result.code ?? result.signal}): ${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout) as Outcome[];
}

function errorLines(outcomes: Outcome[]): string[] {
  return outcomes.map((outcome) => outcome.error?.line ?? `no error: ${JSON.stringify(outcome)}`);
}

describe('the keytar keychain on a Secret Service', () => {
  it('sets, gets, lists and deletes an item', async () => {
    const secret = '{"version":1,"accessKeyId":"AKIAKEYCHAINTEST0001","secretAccessKey":"s3cr3t/with+ünïcode"}';

    const outcomes = await inChild(keyring().env, [
      ['get', 'round-trip'],
      ['set', 'round-trip', secret],
      ['get', 'round-trip'],
      ['entries'],
      ['delete', 'round-trip'],
      ['get', 'round-trip'],
      ['delete', 'round-trip'],
    ]);

    expect(outcomes).toEqual([
      { value: undefined },
      { value: undefined },
      { value: secret },
      { value: expect.arrayContaining([{ account: 'round-trip', secret }]) },
      { value: true },
      { value: undefined },
      { value: false },
    ]);
  });

  it('finds the bus at $XDG_RUNTIME_DIR/bus when DBUS_SESSION_BUS_ADDRESS is not set (a systemd user bus)', async () => {
    const socketPath = /^unix:path=([^,]+)/.exec(keyring().env.DBUS_SESSION_BUS_ADDRESS ?? '')?.[1];
    if (socketPath === undefined) throw new Error(`not a unix:path address: ${keyring().env.DBUS_SESSION_BUS_ADDRESS}`);
    const runtime = mkdtempSync(join(folder, 'runtime-with-bus-'));
    symlinkSync(socketPath, join(runtime, 'bus'));

    const outcomes = await inChild({ XDG_RUNTIME_DIR: runtime }, [
      ['set', 'user-bus', 'found'],
      ['get', 'user-bus'],
      ['delete', 'user-bus'],
    ]);

    expect(outcomes).toEqual([{ value: undefined }, { value: 'found' }, { value: true }]);
  });

  it('replaces an item that is set again', async () => {
    const outcomes = await inChild(keyring().env, [
      ['set', 'replaced', 'first'],
      ['set', 'replaced', 'second'],
      ['get', 'replaced'],
      ['delete', 'replaced'],
    ]);

    expect(outcomes.map((outcome) => outcome.value)).toEqual([undefined, undefined, 'second', true]);
  });

  it('stores items that another client (secret-tool) reads', async () => {
    await inChild(keyring().env, [['set', 'cross-check', 'visible-secret']]);

    expect(await keyring().lookup('cross-check')).toBe('visible-secret');
    await inChild(keyring().env, [['delete', 'cross-check']]);
    expect(await keyring().lookup('cross-check')).toBeUndefined();
  });

  it("reads items that another client (secret-tool) stored under keytar's schema", async () => {
    await keyring().store('other', 'stored-by-secret-tool', { ...GENERIC_SCHEMA, service: 'aws-mfa', account: 'other' });

    const [got, entries] = await inChild(keyring().env, [['get', 'other'], ['entries'], ['delete', 'other']]);

    expect(got).toEqual({ value: 'stored-by-secret-tool' });
    expect(entries?.value).toContainEqual({ account: 'other', secret: 'stored-by-secret-tool' });
  });

  // gnome-keyring writes an item without a schema to its keyring file as a generic secret, and gives it
  // keytar's schema when it reads that file back, which it does whenever it notices the file changed
  // (its own writes included, on a timing nobody controls: this test was flaky in the login collection).
  // The session collection is kept in memory only: there the item keeps no schema, however often the
  // files are read back.
  it('does not see items that another client stored without that schema', async () => {
    await keyring().store('schemaless', 'stored-by-secret-tool', undefined, 'session');
    keyring().rereadFiles();

    const [got] = await inChild(keyring().env, [['get', 'schemaless']]);

    expect(got).toEqual({ value: undefined });
    expect(await keyring().lookup('schemaless')).toBe('stored-by-secret-tool');
  });

  it('sees only items of the service aws-mfa', async () => {
    await keyring().store('not-ours', 'elsewhere', { service: 'another-tool', account: 'not-ours' });

    const [, got, entries] = await inChild(keyring().env, [['set', 'ours', 'here'], ['get', 'not-ours'], ['entries'], ['delete', 'ours']]);

    expect(got).toEqual({ value: undefined });
    // Items left by the tests above may be listed too: only the other service's must not be.
    expect(entries?.value).toContainEqual({ account: 'ours', secret: 'here' });
    expect(entries?.value).not.toContainEqual(expect.objectContaining({ account: 'not-ours' }));
  });
});

describe('a keychain that cannot be reached', () => {
  const everyOperation: Operation[] = [['get', 'p'], ['set', 'p', 'never-shown-secret'], ['delete', 'p'], ['entries']];

  it('without a D-Bus session: says to run in a desktop session or dbus-run-session', async () => {
    const outcomes = await inChild({}, everyOperation);

    const line = `aws-mfa: keychain unavailable: no D-Bus session, which ${SECRET_SERVICE} needs (${SESSION_HINT})`;
    expect(errorLines(outcomes)).toEqual([line, line, line, line]);
    expect(outcomes.map((outcome) => outcome.error?.exitCode)).toEqual([1, 1, 1, 1]);
  });

  it('with a display but no bus: says so, without autolaunching one (test/e2e/dialog-prompt.test.ts shows nothing is left running)', async () => {
    const outcomes = await inChild({ DISPLAY: ':0' }, everyOperation);

    const line = `aws-mfa: keychain unavailable: no D-Bus session, which ${SECRET_SERVICE} needs (${SESSION_HINT})`;
    expect(errorLines(outcomes)).toEqual([line, line, line, line]);
  });

  it('with DBUS_SESSION_BUS_ADDRESS of a bus that is gone', async () => {
    const [outcome] = await inChild({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(folder, 'gone')}` }, [['get', 'p']]);

    expect(outcome?.error?.line).toBe(
      `aws-mfa: keychain unavailable: the D-Bus session in DBUS_SESSION_BUS_ADDRESS, which ${SECRET_SERVICE} needs, is unusable: ` +
        `Could not connect: No such file or directory (${SESSION_HINT})`,
    );
  });

  it('on a bus where nothing provides the Secret Service', async () => {
    const outcomes = await inChild(busWithoutSecretService().env, everyOperation);

    const line =
      `aws-mfa: keychain unavailable: nothing on the D-Bus session provides ${SECRET_SERVICE} (org.freedesktop.secrets) ` +
      '(start one, e.g. `gnome-keyring-daemon --start --components=secrets`, or keep keys in [NAME-long-term] of the credentials file)';
    expect(errorLines(outcomes)).toEqual([line, line, line, line]);
  });

  it('with no default keyring: finds nothing, refuses to store', async () => {
    const [got, set] = await inChild(keyringWithoutCollection().env, [
      ['get', 'p'],
      ['set', 'p', 'never-shown-secret'],
    ]);

    expect(got).toEqual({ value: undefined });
    expect(set?.error?.line).toBe(
      `aws-mfa: keychain refused to store the item: ${SECRET_SERVICE} has no default keyring and could not create one ` +
        '(create a default keyring (e.g. in Seahorse), unlock it and try again)',
    );
  });
});

describe('a locked keyring (as after a cancelled unlock prompt)', () => {
  beforeAll(async () => {
    await lockedKeyring().store('locked-item', 'locked-secret', { ...GENERIC_SCHEMA, service: 'aws-mfa', account: 'locked-item' });
    await lockedKeyring().lock();
  });

  it('hides its items from get and delete, as libsecret does', async () => {
    const outcomes = await inChild(lockedKeyring().env, [
      ['get', 'locked-item'],
      ['delete', 'locked-item'],
    ]);

    expect(outcomes).toEqual([{ value: undefined }, { value: false }]);
  });

  it('refuses to store, and says to unlock it', async () => {
    const [set] = await inChild(lockedKeyring().env, [['set', 'locked-item', 'never-shown-secret']]);

    expect(set?.error).toEqual({
      line: `aws-mfa: keychain refused to store the item: ${SECRET_SERVICE} is locked (or its unlock prompt was cancelled) (${UNLOCK_HINT})`,
      exitCode: ExitCode.failed,
    });
  });

  it('lists no items, with an error instead of the crash of keytar', async () => {
    const [entries] = await inChild(lockedKeyring().env, [['entries']]);

    expect(entries?.error?.line).toBe(
      `aws-mfa: keychain refused to list the items: ${SECRET_SERVICE} is locked, or an item of aws-mfa has no account ` +
        `(${UNLOCK_HINT}; \`secret-tool search --all service aws-mfa\` shows the items)`,
    );
    expect(entries?.error?.line).not.toContain('locked-secret');
  });
});

describe('an item of service aws-mfa without an account, stored by another client', () => {
  it('makes entries fail with an error, not a crash', async () => {
    await foreignKeyring().store('ignored', 'no-account-secret', { ...GENERIC_SCHEMA, service: 'aws-mfa' });

    const [entries, got] = await inChild(foreignKeyring().env, [['entries'], ['get', 'ignored']]);

    expect(entries?.error?.line).toMatch(/^aws-mfa: keychain refused to list the items: .* has no account/);
    expect(got).toEqual({ value: undefined });
  });
});

describe('keytar that cannot load', () => {
  it('is not installed: says to reinstall with libsecret, or use the credentials file', async () => {
    const copy = join(folder, 'no-keytar');
    cpSync(builtModule(), join(copy, 'modules'), { recursive: true });

    const [outcome] = await inChild({}, [['get', 'p']], join(copy, 'modules', 'store', 'keychain.js'));

    expect(outcome?.error?.line).toBe(
      `aws-mfa: keychain unavailable: keytar, which aws-mfa uses to reach ${SECRET_SERVICE}, is not installed or was not built ` +
        '(reinstall aws-mfa with libsecret (libsecret-1-dev) present, or keep keys in [NAME-long-term] of the credentials file)',
    );
  });

  it('misses libsecret at run time: says which package to install', async () => {
    const copy = join(folder, 'no-libsecret');
    cpSync(builtModule(), join(copy, 'modules'), { recursive: true });
    cpSync(join(repoRoot, 'node_modules', 'keytar'), join(copy, 'node_modules', 'keytar'), { recursive: true });
    hideLibsecret(join(copy, 'node_modules', 'keytar', 'build', 'Release', 'keytar.node'));

    const [outcome] = await inChild({}, [['get', 'p']], join(copy, 'modules', 'store', 'keychain.js'));

    expect(outcome?.error?.line).toBe(
      `aws-mfa: keychain unavailable: libsecret, which keytar needs to reach ${SECRET_SERVICE}, is missing: ` +
        'libsecret-9.so.0: cannot open shared object file: No such file or directory ' +
        '(install libsecret-1-0 (Debian, Ubuntu) or libsecret (Fedora, Arch))',
    );
  });
});

describe('keychainFailure', () => {
  it('names the keychain of each platform, with the library message as the fallback', () => {
    const failure = new Error('User interaction is not allowed.');

    expect(keychainFailure('darwin', failure).toLine()).toBe(
      'aws-mfa: keychain unavailable: the macOS Keychain failed: User interaction is not allowed.',
    );
    expect(keychainFailure('win32', failure).toLine()).toBe(
      'aws-mfa: keychain unavailable: the Windows Credential Manager failed: User interaction is not allowed.',
    );
    expect(keychainFailure('linux', failure).toLine()).toBe(
      `aws-mfa: keychain unavailable: ${SECRET_SERVICE} failed: User interaction is not allowed.`,
    );
  });

  it('keeps one line of a multi-line message', () => {
    expect(keychainFailure('linux', new Error('first\nsecond')).toLine()).not.toContain('second');
  });
});

/** Makes the copy of keytar.node depend on a library that does not exist, as when libsecret-1-0 is not installed. */
function hideLibsecret(binaryPath: string): void {
  const binary = readFileSync(binaryPath);
  const name = Buffer.from('libsecret-1.so.0');
  const at = binary.indexOf(name);
  if (at < 0) throw new Error(`${binaryPath} does not name libsecret-1.so.0`);
  Buffer.from('libsecret-9.so.0').copy(binary, at);
  writeFileSync(binaryPath, binary);
}
