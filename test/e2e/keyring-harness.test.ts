import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PrivateKeyring, useKeyring } from './harness/keyring.js';

const keyring = useKeyring();
const lockedKeyring = useKeyring();
const withoutCollection = useKeyring('no-collection');
const withoutSecretService = useKeyring('none');

describe('an unlocked keyring', () => {
  it('stores and looks up items with secret-tool, on a private bus', async () => {
    await keyring().store('harness-a', 'secret-a');

    expect(await keyring().lookup('harness-a')).toBe('secret-a');
    expect(await keyring().lookup('harness-missing')).toBeUndefined();
    expect(keyring().env.DBUS_SESSION_BUS_ADDRESS).not.toBe(process.env.DBUS_SESSION_BUS_ADDRESS);
    expect(socketPath(keyring().env)).toMatch(/aws-mfa-keyring-/);
  });

  it('is a keyring of its own per instance', async () => {
    await keyring().store('harness-own', 'mine');

    expect(await lockedKeyring().lookup('harness-own')).toBeUndefined();
  });
});

describe('a locked keyring', () => {
  it('hides its items once locked, with no prompt', async () => {
    await lockedKeyring().store('harness-locked', 'hidden');

    await lockedKeyring().lock();

    expect(await lockedKeyring().lookup('harness-locked')).toBeUndefined();
    await expect(lockedKeyring().store('harness-new', 'refused')).rejects.toThrow(/locked collection/);
  });
});

describe('other Secret Service states', () => {
  it('offers no collection to store in', async () => {
    await expect(withoutCollection().store('harness-b', 'nowhere')).rejects.toThrow(/collection\/login/);
  });

  it('has no Secret Service at all', async () => {
    await expect(withoutSecretService().lookup('harness-c')).rejects.toThrow(/org\.freedesktop\.secrets/);
  });
});

describe('stop()', () => {
  it('ends both daemons and removes the temporary folder', async () => {
    const own = new PrivateKeyring();
    await own.start();
    const address = own.env.DBUS_SESSION_BUS_ADDRESS ?? '';
    const folder = dirname(socketPath(own.env));
    expect(processesUsing(folder, address)).toHaveLength(2);

    await own.stop();

    expect(existsSync(folder)).toBe(false);
    expect(processesUsing(folder, address)).toEqual([]);
  });

  it('says what to install when the daemons are missing', async () => {
    const emptyFolder = mkdtempSync(join(tmpdir(), 'aws-mfa-empty-path-'));
    const path = process.env.PATH;
    process.env.PATH = emptyFolder;
    try {
      await expect(new PrivateKeyring().start()).rejects.toThrow('install gnome-keyring dbus libsecret-tools');
    } finally {
      process.env.PATH = path;
      rmSync(emptyFolder, { recursive: true });
    }
  });
});

function socketPath(env: Record<string, string>): string {
  const path = /unix:path=([^,]+)/.exec(env.DBUS_SESSION_BUS_ADDRESS ?? '')?.[1];
  if (path === undefined) throw new Error(`not a unix:path address: ${env.DBUS_SESSION_BUS_ADDRESS}`);
  return path;
}

/** Pids whose command line names the folder (dbus-daemon's config) or whose environment has the address (gnome-keyring). */
function processesUsing(folder: string, address: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter(
      (pid) => procFile(pid, 'cmdline').includes(folder) || procFile(pid, 'environ').includes(`DBUS_SESSION_BUS_ADDRESS=${address}\0`),
    );
}

function procFile(pid: string, name: string): string {
  try {
    return readFileSync(join('/proc', pid, name), 'utf8');
  } catch {
    return '';
  }
}
