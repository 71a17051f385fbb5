import { execFile } from 'node:child_process';
import path from 'node:path';
import type { Env } from '../core/io.js';
import { KEYCHAIN_SERVICE } from './keychain.js';

/** One item of the service aws-mfa: its account (a profile name, or `[…` for other kinds) and whether it is locked away. */
export interface KeychainItemName {
  readonly account: string;
  readonly locked: boolean;
}

/** What the keychain shows without a secret and without a prompt: item names, or why it could not be asked. */
export type KeychainInventory =
  | { readonly reached: true; readonly items: readonly KeychainItemName[]; readonly defaultLocked: boolean }
  | { readonly reached: false; readonly why: string; readonly hint: string; readonly uninspectable?: true };

/** Runs a tool with arguments and an environment; resolves with its stdout, rejects when it fails. */
export type RunTool = (command: string, args: readonly string[], env: Env) => Promise<string>;

const TOOL_TIMEOUT_MS = 3_000;
/** More than anyone keeps; a bound on the child processes one look may start. */
const MAX_ITEMS = 500;
const SECRETS = 'org.freedesktop.secrets';
const SECRETS_PATH = '/org/freedesktop/secrets';
const NO_BUS_HINT = 'run inside a desktop session or `dbus-run-session`, with a Secret Service such as gnome-keyring unlocked';

/**
 * The names of aws-mfa's keychain items, read so that nothing can prompt and no secret is read:
 * on Linux the Secret Service's D-Bus API (SearchItems and item attributes, which a locked
 * collection shows too) through `gdbus`; on macOS `security dump-keychain` (attributes only);
 * on Windows nothing is read: keytar is the only way there, and it reads the secrets.
 */
export async function inventoryKeychain(platform: NodeJS.Platform, env: Env, run: RunTool = runTool): Promise<KeychainInventory> {
  if (platform === 'darwin') return inventoryMacKeychain(env, run);
  if (platform === 'win32') {
    return { reached: false, why: 'item names are not read on Windows', hint: 'see `aws-mfa list`', uninspectable: true };
  }
  return inventorySecretService(env, run);
}

async function inventorySecretService(env: Env, run: RunTool): Promise<KeychainInventory> {
  const busEnv = sessionBusEnv(env);
  if (busEnv === undefined) return { reached: false, why: 'no D-Bus session, which the Secret Service needs', hint: NO_BUS_HINT };
  const gdbus = (objectPath: string, method: string, ...args: string[]) =>
    run('gdbus', ['call', '--session', '--dest', SECRETS, '--object-path', objectPath, '--method', method, ...args], busEnv);
  let found: string;
  try {
    found = await gdbus(SECRETS_PATH, 'org.freedesktop.Secret.Service.SearchItems', `{'service': '${KEYCHAIN_SERVICE}'}`);
  } catch (error) {
    return { reached: false, ...describeBusFailure(error) };
  }
  const [unlocked = [], locked = []] = [...found.matchAll(/\[([^\]]*)\]/g)].map((match) => objectPaths(match[1] ?? ''));
  const paths = [...unlocked.map((item) => ({ item, locked: false })), ...locked.map((item) => ({ item, locked: true }))];
  const items = await Promise.all(
    paths.slice(0, MAX_ITEMS).map(async ({ item, locked: isLocked }) => {
      const attributes = await gdbus(item, 'org.freedesktop.DBus.Properties.Get', 'org.freedesktop.Secret.Item', 'Attributes').catch(
        () => '',
      );
      const account = /'account': '((?:[^'\\]|\\.)*)'/.exec(attributes)?.[1];
      return account === undefined ? [] : [{ account: unescapeGVariant(account), locked: isLocked }];
    }),
  );
  return { reached: true, items: items.flat(), defaultLocked: await isDefaultCollectionLocked(gdbus) };
}

async function isDefaultCollectionLocked(gdbus: (objectPath: string, method: string, ...args: string[]) => Promise<string>) {
  try {
    const alias = await gdbus(SECRETS_PATH, 'org.freedesktop.Secret.Service.ReadAlias', 'default');
    const collection = objectPaths(alias)[0];
    if (collection === undefined || collection === '/') return false;
    const locked = await gdbus(collection, 'org.freedesktop.DBus.Properties.Get', 'org.freedesktop.Secret.Collection', 'Locked');
    return locked.includes('true');
  } catch {
    return false;
  }
}

/**
 * The bus address GLib would find, without its last resort: autolaunching a bus on X11, which
 * starts a daemon that outlives the command.
 */
function sessionBusEnv(env: Env): Env | undefined {
  const { PATH, DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR } = env;
  if (DBUS_SESSION_BUS_ADDRESS) return { PATH, DBUS_SESSION_BUS_ADDRESS };
  if (XDG_RUNTIME_DIR) return { PATH, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(XDG_RUNTIME_DIR, 'bus')}` };
  return undefined;
}

function describeBusFailure(error: unknown): { why: string; hint: string } {
  const message = error instanceof Error ? error.message : String(error);
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    return { why: 'gdbus, which reads the item names without a prompt, is not installed', hint: 'install GLib’s tools (libglib2.0-bin)' };
  }
  if (message.includes('ServiceUnknown') || message.includes('not provided by any .service files')) {
    return {
      why: 'nothing on the D-Bus session provides the Secret Service (org.freedesktop.secrets)',
      hint: 'start one, e.g. `gnome-keyring-daemon --start --components=secrets`',
    };
  }
  return { why: `the D-Bus session is unusable: ${firstLine(message)}`, hint: NO_BUS_HINT };
}

async function inventoryMacKeychain(env: Env, run: RunTool): Promise<KeychainInventory> {
  let dump: string;
  try {
    dump = await run('security', ['dump-keychain'], { PATH: env.PATH, HOME: env.HOME });
  } catch (error) {
    return { reached: false, why: `security dump-keychain failed: ${firstLine(String(error))}`, hint: 'unlock the login keychain' };
  }
  return { reached: true, items: macKeychainItems(dump), defaultLocked: false };
}

/** Generic passwords of the service aws-mfa in `security dump-keychain`'s output (attributes only, no secret). */
export function macKeychainItems(dump: string): KeychainItemName[] {
  return dump
    .split(/^keychain: /m)
    .filter((entry) => /^class: "genp"$/m.test(entry) && attribute(entry, 'svce') === KEYCHAIN_SERVICE)
    .flatMap((entry) => {
      const account = attribute(entry, 'acct');
      return account === undefined ? [] : [{ account, locked: false }];
    });
}

function attribute(entry: string, name: string): string | undefined {
  return new RegExp(`^\\s*"${name}"<blob>="(.*)"$`, 'm').exec(entry)?.[1];
}

function objectPaths(text: string): string[] {
  return [...text.matchAll(/'(\/[^']*)'/g)].map((match) => match[1] ?? '');
}

/** GVariant text escapes quotes and backslashes in strings. */
function unescapeGVariant(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

function runTool(command: string, args: readonly string[], env: Env): Promise<string> {
  return new Promise((resolveRun, reject) => {
    execFile(command, args, { env: env as NodeJS.ProcessEnv, timeout: TOOL_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(new Error(stderr.trim() || error.message), { code: error.code }));
      else resolveRun(stdout);
    });
  });
}
