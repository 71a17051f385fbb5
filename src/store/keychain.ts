import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AwsMfaError } from '../core/errors.js';
import type { Env } from '../core/io.js';

/** The service name of every aws-mfa keychain item; the account tells the items apart (profile-keychain.ts). */
export const KEYCHAIN_SERVICE = 'aws-mfa';

/** Accounts of profile items (profile-keychain.ts); other kinds of items start with `[`, which no profile name can. */
export function isProfileAccount(account: string): boolean {
  return !account.startsWith('[');
}

/** The OS keychain, reduced to the items of KEYCHAIN_SERVICE. Every failure is an AwsMfaError. */
export interface Keychain {
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** False when there was no such item. */
  delete(account: string): Promise<boolean>;
  entries(): Promise<Array<{ account: string; secret: string }>>;
}

type Keytar = typeof import('keytar');
type Credential = { account: string; password: string };

const LONG_TERM_FALLBACK = 'keep keys in [NAME-long-term] of the credentials file';
const SECRET_SERVICE_HINT = 'run inside a desktop session or `dbus-run-session`, with a Secret Service such as gnome-keyring unlocked';
const UNLOCK_HINT = 'unlock the default keyring (the login keyring, e.g. in Seahorse) and try again';

/**
 * The keychain of this platform, through keytar. keytar is loaded here, not at startup: commands
 * that need no keychain never pay for it, nor fail when it is missing.
 */
export async function openKeychain(platform: NodeJS.Platform, env: Env = process.env): Promise<Keychain> {
  const keytar = await loadKeytar(platform);
  const noSessionBus = usesLibsecret(platform) && !sessionBusFindable(env);
  const translated = async <T>(operation: () => Promise<T>): Promise<T> => {
    if (noSessionBus) throw noSessionBusFailure(platform);
    try {
      return await operation();
    } catch (error) {
      throw keychainFailure(platform, error);
    }
  };
  return {
    get: async (account) => (await translated(() => keytar.getPassword(KEYCHAIN_SERVICE, account))) ?? undefined,
    set: (account, secret) => translated(() => keytar.setPassword(KEYCHAIN_SERVICE, account, secret)),
    delete: (account) => translated(() => keytar.deletePassword(KEYCHAIN_SERVICE, account)),
    entries: async () => {
      const found = await translated(() =>
        usesLibsecret(platform) ? findCredentialsInChild(platform) : keytar.findCredentials(KEYCHAIN_SERVICE),
      );
      return found.map(({ account, password }) => ({ account, secret: password }));
    },
  };
}

/** What a failed keychain operation tells the user: one line, never a secret (keytar's messages hold none). */
export function keychainFailure(platform: NodeJS.Platform, error: unknown): AwsMfaError {
  if (error instanceof AwsMfaError) return error;
  const message = firstLine(error);
  const name = keychainName(platform);
  if (/Cannot autolaunch D-Bus|dbus-launch/.test(message)) return noSessionBusFailure(platform);
  if (/^Could not connect:|^Address element/.test(message)) {
    const why = `the D-Bus session in DBUS_SESSION_BUS_ADDRESS, which ${name} needs, is unusable: ${message}`;
    return new AwsMfaError('keychain unavailable', why, { hint: SECRET_SERVICE_HINT });
  }
  if (message.includes('org.freedesktop.secrets was not provided by any .service files')) {
    return new AwsMfaError('keychain unavailable', `nothing on the D-Bus session provides ${name} (org.freedesktop.secrets)`, {
      hint: `start one, e.g. \`gnome-keyring-daemon --start --components=secrets\`, or ${LONG_TERM_FALLBACK}`,
    });
  }
  if (message.includes('Cannot create an item in a locked collection')) {
    return new AwsMfaError('keychain refused to store the item', `${name} is locked (or its unlock prompt was cancelled)`, {
      hint: UNLOCK_HINT,
    });
  }
  if (/Object does not exist at path .\/org\/freedesktop\/secrets\/collection\//.test(message)) {
    return new AwsMfaError('keychain refused to store the item', `${name} has no default keyring and could not create one`, {
      hint: 'create a default keyring (e.g. in Seahorse), unlock it and try again',
    });
  }
  return new AwsMfaError('keychain unavailable', `${name} failed: ${message}`);
}

function noSessionBusFailure(platform: NodeJS.Platform): AwsMfaError {
  return new AwsMfaError('keychain unavailable', `no D-Bus session, which ${keychainName(platform)} needs`, { hint: SECRET_SERVICE_HINT });
}

/**
 * GLib (under libsecret) finds the session bus in DBUS_SESSION_BUS_ADDRESS, else at
 * $XDG_RUNTIME_DIR/bus, else by autolaunch on X11 ($DISPLAY): a dbus-launch, a bus and a keyring
 * daemon that keep running after aws-mfa (and the display, over SSH with X forwarding) is gone.
 * So the keychain is reached only on a bus that is already there, and the rest is answered here,
 * before GLib is asked: no autolaunch, and nothing written (GLib creates the user's cache folder,
 * its stand-in for XDG_RUNTIME_DIR, when that is unset).
 */
function sessionBusFindable(env: Env): boolean {
  if (env.DBUS_SESSION_BUS_ADDRESS) return true;
  return env.XDG_RUNTIME_DIR !== undefined && isSocket(join(env.XDG_RUNTIME_DIR, 'bus'));
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

async function loadKeytar(platform: NodeJS.Platform): Promise<Keytar> {
  try {
    return (await import('keytar')).default;
  } catch (error) {
    throw keytarLoadFailure(platform, error);
  }
}

function keytarLoadFailure(platform: NodeJS.Platform, error: unknown): AwsMfaError {
  const name = keychainName(platform);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = firstLine(error);
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    const reinstall = usesLibsecret(platform) ? 'reinstall aws-mfa with libsecret (libsecret-1-dev) present' : 'reinstall aws-mfa';
    return new AwsMfaError('keychain unavailable', `keytar, which aws-mfa uses to reach ${name}, is not installed or was not built`, {
      hint: `${reinstall}, or ${LONG_TERM_FALLBACK}`,
    });
  }
  if (/libsecret-\d+\.so/.test(message)) {
    return new AwsMfaError('keychain unavailable', `libsecret, which keytar needs to reach ${name}, is missing: ${message}`, {
      hint: 'install libsecret-1-0 (Debian, Ubuntu) or libsecret (Fedora, Arch)',
    });
  }
  return new AwsMfaError('keychain unavailable', `keytar, which aws-mfa uses to reach ${name}, failed to load: ${message}`, {
    hint: `reinstall aws-mfa (\`npm rebuild keytar\`), or ${LONG_TERM_FALLBACK}`,
  });
}

function keychainName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'the macOS Keychain';
  if (platform === 'win32') return 'the Windows Credential Manager';
  return 'the Secret Service (GNOME Keyring, KWallet, KeePassXC)';
}

/** keytar reaches the Secret Service through libsecret everywhere but on macOS and Windows. */
function usesLibsecret(platform: NodeJS.Platform): boolean {
  return platform !== 'darwin' && platform !== 'win32';
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? '';
}

/** Runs in a child node: the keytar module's path and the service name are its arguments. */
const FIND_CREDENTIALS_SCRIPT = `require(process.argv[1]).findCredentials(process.argv[2]).then(
  (found) => process.stdout.write(JSON.stringify({ found })),
  (error) => process.stdout.write(JSON.stringify({ error: String(error && error.message) })),
);`;

/**
 * keytar's findCredentials on libsecret passes NULL to strdup, killing the whole process, for an
 * item it cannot read: any item of a locked keyring (also after a cancelled unlock prompt), or an
 * item without an account attribute. So a child process reads them, and its crash becomes an error.
 */
async function findCredentialsInChild(platform: NodeJS.Platform): Promise<Credential[]> {
  const keytarPath = createRequire(import.meta.url).resolve('keytar');
  const { stdout, stderr, code, signal } = await runNode(FIND_CREDENTIALS_SCRIPT, [keytarPath, KEYCHAIN_SERVICE]);
  if (signal === 'SIGSEGV') throw unreadableItems(platform);
  const reply = parseReply(stdout);
  if (reply?.error !== undefined) throw new Error(reply.error);
  if (reply?.found === undefined) throw new Error(`the process that reads the items exited with ${code ?? signal}: ${stderr.trim()}`);
  return reply.found;
}

function unreadableItems(platform: NodeJS.Platform): AwsMfaError {
  return new AwsMfaError(
    'keychain refused to list the items',
    `${keychainName(platform)} is locked, or an item of ${KEYCHAIN_SERVICE} has no account`,
    {
      hint: `${UNLOCK_HINT}; \`secret-tool search --all service ${KEYCHAIN_SERVICE}\` shows the items`,
    },
  );
}

function parseReply(stdout: string): { found?: Credential[]; error?: string } | undefined {
  try {
    return JSON.parse(stdout) as { found?: Credential[]; error?: string };
  } catch {
    return undefined;
  }
}

function runNode(
  script: string,
  args: string[],
): Promise<{ stdout: string; stderr: string; code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['-e', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolveRun({ stdout, stderr, code, signal }));
  });
}
