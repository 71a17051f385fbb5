import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';
import { killGroup, type RunResult, runProcess } from './process.js';

/**
 * - `unlocked`: gnome-keyring with an unlocked login collection, the default for new items;
 * - `no-collection`: gnome-keyring that has no collection yet (and no prompter to create one);
 * - `none`: a D-Bus session where nothing provides the Secret Service.
 */
export type SecretServiceState = 'unlocked' | 'no-collection' | 'none';

/** A private Secret Service, reachable from the processes given its env. */
export interface Keyring {
  /** DBUS_SESSION_BUS_ADDRESS of the private bus: add it to a spawned process's environment. */
  readonly env: Record<string, string>;
  /** The secret of the item (service aws-mfa, account), read by secret-tool; undefined when none. */
  lookup(account: string): Promise<string | undefined>;
  /**
   * Stores an item (service aws-mfa, account) with secret-tool, as another client would: in the
   * default (login) collection, or in `session`, the collection kept in memory only.
   */
  store(account: string, secret: string, attributes?: Record<string, string>, collection?: 'session'): Promise<void>;
  /** Makes gnome-keyring read its keyring files again, as it does on its own when it notices that they changed. */
  rereadFiles(): void;
  /** Locks the login collection, as a screen lock or a timeout does; nothing can prompt to unlock it. */
  lock(): Promise<void>;
}

const REQUIRED_TOOLS = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon', 'secret-tool'];
const INSTALL_HINT =
  'install gnome-keyring dbus libsecret-tools (apt-get install -y --no-install-recommends gnome-keyring dbus libsecret-tools)';
const COLLECTION_PATH = '/org/freedesktop/secrets/collection/login';
const KEYRING_PASSWORD = 'aws-mfa-test-keyring';
const startTimeoutMs = 15_000;
const stopTimeoutMs = 5_000;
const toolTimeoutMs = 15_000;
const pollIntervalMs = 50;
const keptOutputChars = 4_000;

/**
 * A dbus-daemon and a gnome-keyring-daemon of its own, in a temporary folder. The bus activates no
 * services, so nothing reaches the real HOME or a desktop prompter; both daemons run in their own
 * process groups, killed by stop().
 */
export class PrivateKeyring implements Keyring {
  readonly #state: SecretServiceState;
  readonly #daemons: Daemon[] = [];
  #folder: string | undefined;
  #busAddress: string | undefined;

  constructor(state: SecretServiceState = 'unlocked') {
    this.#state = state;
  }

  get env(): Record<string, string> {
    if (this.#busAddress === undefined) throw new Error('the keyring is not running: call start() (or useKeyring()) first');
    return { DBUS_SESSION_BUS_ADDRESS: this.#busAddress };
  }

  async start(): Promise<void> {
    requireTools();
    this.#folder = mkdtempSync(join(tmpdir(), 'aws-mfa-keyring-'));
    mkdirSync(join(this.#folder, 'runtime'), { mode: 0o700 });
    try {
      await this.#startBus(this.#folder);
      if (this.#state !== 'none') await this.#startSecretService(this.#folder);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    // The keyring first: it would notice the bus going away, and log about it.
    for (const daemon of this.#daemons.reverse()) await daemon.stop();
    this.#daemons.length = 0;
    this.#busAddress = undefined;
    if (this.#folder !== undefined) rmSync(this.#folder, { recursive: true, force: true });
    this.#folder = undefined;
  }

  async lookup(account: string): Promise<string | undefined> {
    const result = await this.#tool('secret-tool', ['lookup', 'service', 'aws-mfa', 'account', account]);
    if (result.code === 0) return result.stdout;
    if (result.code === 1 && result.stderr === '') return undefined;
    throw toolFailure('secret-tool lookup', result);
  }

  async store(
    account: string,
    secret: string,
    attributes: Record<string, string> = { service: 'aws-mfa', account },
    collection?: 'session',
  ): Promise<void> {
    const pairs = Object.entries(attributes).flat();
    const where = collection === undefined ? [] : [`--collection=${collection}`];
    const result = await this.#tool('secret-tool', ['store', `--label=aws-mfa test ${account}`, ...where, ...pairs], secret);
    if (result.code !== 0) throw toolFailure('secret-tool store', result);
  }

  rereadFiles(): void {
    if (this.#folder === undefined) throw new Error('the keyring is not running: call start() (or useKeyring()) first');
    // Before a request, gnome-keyring looks for a folder whose modification time changed, then in it
    // for files whose modification time changed, and loads those.
    const keyrings = join(this.#folder, 'home', '.local', 'share', 'keyrings');
    const later = new Date(Date.now() + 10_000);
    for (const name of readdirSync(keyrings)) utimesSync(join(keyrings, name), later, later);
    utimesSync(keyrings, later, later);
  }

  async lock(): Promise<void> {
    // `secret-tool lock` crashes in libsecret 0.20.5: call the Secret Service's Lock directly.
    const result = await this.#dbusSend('org.freedesktop.Secret.Service.Lock', `array:objpath:${COLLECTION_PATH}`);
    if (result.code !== 0) throw toolFailure('dbus-send Lock', result);
  }

  async #startBus(folder: string): Promise<void> {
    const configPath = join(folder, 'bus.conf');
    writeFileSync(configPath, busConfig(folder));
    const bus = new Daemon('dbus-daemon', ['--config-file', configPath, '--nofork', '--print-address=1'], {
      env: this.#privateEnv(folder),
    });
    this.#daemons.push(bus);
    this.#busAddress = (await bus.firstLine(startTimeoutMs)).trim();
  }

  async #startSecretService(folder: string): Promise<void> {
    const unlock = this.#state === 'unlocked';
    const args = [...(unlock ? ['--unlock'] : []), '--components=secrets', '--foreground'];
    // With --unlock, the password on stdin creates the login collection without a prompt.
    const keyring = new Daemon('gnome-keyring-daemon', args, {
      env: this.#privateEnv(folder),
      stdin: unlock ? KEYRING_PASSWORD : undefined,
    });
    this.#daemons.push(keyring);
    await this.#waitForSecretService(keyring, unlock ? COLLECTION_PATH : '/');
  }

  /** Ready when the default alias names the expected collection (`/` for none). */
  async #waitForSecretService(keyring: Daemon, defaultCollection: string): Promise<void> {
    const deadline = Date.now() + startTimeoutMs;
    let last: RunResult | undefined;
    while (Date.now() < deadline) {
      keyring.throwIfExited();
      last = await this.#dbusSend('org.freedesktop.Secret.Service.ReadAlias', 'string:default');
      if (last.code === 0 && last.stdout.includes(`object path "${defaultCollection}"`)) return;
      await sleep(pollIntervalMs);
    }
    throw new Error(
      `gnome-keyring-daemon did not offer the collection ${defaultCollection} within ${startTimeoutMs} ms\n` +
        `last ReadAlias: ${last?.stdout}${last?.stderr}\ngnome-keyring-daemon: ${keyring.output}`,
    );
  }

  #dbusSend(method: string, ...args: string[]): Promise<RunResult> {
    const target = ['--session', '--print-reply', '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets'];
    return this.#tool('dbus-send', [...target, method, ...args]);
  }

  #tool(command: string, args: string[], stdin?: string): Promise<RunResult> {
    if (this.#folder === undefined) throw new Error('the keyring is not running: call start() (or useKeyring()) first');
    return runProcess(command, args, {
      env: this.#privateEnv(this.#folder),
      cwd: this.#folder,
      stdin,
      timeoutMs: toolTimeoutMs,
    });
  }

  /** A bare environment: no DISPLAY, no desktop session; HOME and XDG folders in the temporary folder. */
  #privateEnv(folder: string): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      HOME: join(folder, 'home'),
      XDG_CONFIG_HOME: join(folder, 'home', '.config'),
      XDG_CACHE_HOME: join(folder, 'home', '.cache'),
      XDG_DATA_HOME: join(folder, 'home', '.local', 'share'),
      XDG_RUNTIME_DIR: join(folder, 'runtime'),
      ...(this.#busAddress === undefined ? {} : { DBUS_SESSION_BUS_ADDRESS: this.#busAddress }),
    };
  }
}

/** A private Secret Service for the test file: started in beforeAll, stopped in afterAll. */
export function useKeyring(state: SecretServiceState = 'unlocked'): () => Keyring {
  const keyring = new PrivateKeyring(state);
  beforeAll(() => keyring.start());
  afterAll(() => keyring.stop());
  return () => keyring;
}

/** A long-running child in its own process group, with the end of its output kept for errors. */
class Daemon {
  readonly #command: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #ended = false;
  #output = '';

  constructor(command: string, args: string[], options: { env: NodeJS.ProcessEnv; stdin?: string | undefined }) {
    this.#command = command;
    this.#child = spawn(command, args, {
      env: options.env,
      detached: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    this.#exited = new Promise((resolveExit) => {
      const end = () => {
        this.#ended = true;
        resolveExit();
      };
      this.#child.once('close', end);
      this.#child.once('error', (error) => {
        this.#keep(`\n${error.message}`);
        end();
      });
    });
    this.#child.stdin?.on('error', () => undefined).end(options.stdin);
    this.#child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.#keep(chunk));
  }

  get output(): string {
    return this.#output;
  }

  /** The first line the daemon prints on stdout (dbus-daemon's address). */
  firstLine(timeoutMs: number): Promise<string> {
    return new Promise((resolveLine, reject) => {
      let stdout = '';
      const timer = setTimeout(
        () => reject(new Error(`${this.#command} printed no line within ${timeoutMs} ms: ${this.#output}`)),
        timeoutMs,
      );
      this.#child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (!stdout.includes('\n')) return;
        clearTimeout(timer);
        resolveLine(stdout.slice(0, stdout.indexOf('\n')));
      });
      void this.#exited.then(() => {
        clearTimeout(timer);
        reject(this.#exitedEarly());
      });
    });
  }

  throwIfExited(): void {
    if (this.#ended) throw this.#exitedEarly();
  }

  #exitedEarly(): Error {
    return new Error(`${this.#command} exited (${this.#child.exitCode ?? this.#child.signalCode}) before it was ready: ${this.#output}`);
  }

  async stop(): Promise<void> {
    if (this.#child.pid === undefined || this.#ended) return;
    killGroup(this.#child.pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(this.#child.pid, 'SIGKILL'), stopTimeoutMs);
    await this.#exited;
    clearTimeout(timer);
  }

  #keep(chunk: string): void {
    this.#output = (this.#output + chunk).slice(-keptOutputChars);
  }
}

/** A session bus that listens in folder and activates nothing: no .service files, so no desktop services. */
function busConfig(folder: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

function requireTools(): void {
  const missing = REQUIRED_TOOLS.filter((tool) => !onPath(tool));
  if (missing.length > 0) throw new Error(`the keychain tests need ${missing.join(', ')}, not found on PATH: ${INSTALL_HINT}`);
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((folder) => {
    try {
      accessSync(join(folder, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function toolFailure(what: string, result: RunResult): Error {
  return new Error(`${what} failed (${result.code ?? result.signal}): ${result.stdout}${result.stderr}`);
}
