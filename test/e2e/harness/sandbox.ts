import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { COMPILED_CODE_FOLDER } from '../../../src/start-up/compiled-code-folder.js';
import { withoutAwsSettings } from './environment.js';
import { snapshotTree } from './files.js';
import type { MotoServer } from './moto.js';
import { cliPath, nodeBinDir } from './paths.js';
import { type RunResult, runProcess } from './process.js';
import { type PtyResult, runInPty, type Terminal } from './pty.js';
import { pythonBinDir, pythonPath } from './python.js';

export interface SandboxOptions {
  /** AWS_ENDPOINT_URL for every spawned process: the moto server's url. */
  endpointUrl?: string;
  /** Sets AWS_REGION (the SDK's) and AWS_DEFAULT_REGION (the only one AWS CLI v1 reads). */
  region?: string;
}

/** Variables to add to or, with undefined, remove from the sandbox's environment. */
export type EnvOverrides = Record<string, string | undefined>;

export interface CommandOptions {
  env?: EnvOverrides;
  /** Default: the sandbox's HOME. */
  cwd?: string;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string;
  timeoutMs?: number;
}

/** A throwaway HOME, and the environment a user's shell would have in it. */
export class Sandbox {
  readonly home: string;
  readonly credentialsPath: string;
  readonly configPath: string;
  /** XDG_CACHE_HOME, so the session cache is `${cacheHome}/aws-mfa`. */
  readonly cacheHome: string;
  readonly #options: SandboxOptions;

  constructor(options: SandboxOptions = {}) {
    this.#options = options;
    this.home = mkdtempSync(join(tmpdir(), 'aws-mfa-home-'));
    this.credentialsPath = join(this.home, '.aws', 'credentials');
    this.configPath = join(this.home, '.aws', 'config');
    this.cacheHome = join(this.home, '.cache');
  }

  writeCredentials(text: string): void {
    this.writeFile(this.credentialsPath, text, 0o600);
  }

  writeConfig(text: string): void {
    this.writeFile(this.configPath, text, 0o644);
  }

  /** Writes a file (path absolute or relative to HOME), creating its folder; returns its path. */
  writeFile(path: string, text: string, mode = 0o600): string {
    const absolute = isAbsolute(path) ? path : join(this.home, path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, text, { mode });
    return absolute;
  }

  /**
   * The environment for spawned processes: none of the caller's AWS_* or proxy variables;
   * HOME and XDG folders inside the sandbox; PATH starting with the repo's bin/ (`aws-mfa`), the
   * folder of the Node that runs the tests (bin/aws-mfa runs `env node`: the CLI runs on the same
   * Node as the tests, also under the AWS CLI's credential_process) and the Python that has the
   * AWS CLI v1 (`aws`).
   */
  env(overrides: EnvOverrides = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...withoutAwsSettings(process.env),
      HOME: this.home,
      XDG_CACHE_HOME: this.cacheHome,
      XDG_CONFIG_HOME: join(this.home, '.config'),
      XDG_DATA_HOME: join(this.home, '.local', 'share'),
      PATH: [dirname(cliPath), nodeBinDir, pythonBinDir(), process.env.PATH].join(delimiter),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...this.#awsSettings(),
      ...overrides,
    };
    return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
  }

  /** Runs bin/aws-mfa with no terminal (opening /dev/tty fails with ENXIO). */
  runCli(args: readonly string[], options: CommandOptions = {}): Promise<RunResult> {
    return this.#run(cliPath, args, options);
  }

  /** Runs the real AWS CLI v1 (`python -m awscli`) with no terminal. */
  runAws(args: readonly string[], options: CommandOptions = {}): Promise<RunResult> {
    return this.#run(pythonPath(), ['-m', 'awscli', ...args], options);
  }

  /** Runs Python code (boto3, configparser) with no terminal. */
  runPython(code: string, options: CommandOptions = {}): Promise<RunResult> {
    return this.#run(pythonPath(), ['-c', code], options);
  }

  /** Runs argv on a real terminal in the sandbox: see runInPty(). */
  runInPty(
    argv: readonly string[],
    interact: (terminal: Terminal) => Promise<void>,
    options: { env?: EnvOverrides; exitTimeoutMs?: number } = {},
  ): Promise<PtyResult> {
    return runInPty(argv, { env: this.env(options.env), cwd: this.home, exitTimeoutMs: options.exitTimeoutMs }, interact);
  }

  /**
   * Every file under HOME with its mode and hash: equal snapshots mean nothing was written. The
   * compiled code is left out: any run may add to it (src/start-up/; its own tests check what it
   * holds).
   */
  snapshot(): Record<string, string> {
    const compiledCode = relative(this.home, this.compiledCodeFolder);
    return Object.fromEntries(
      Object.entries(snapshotTree(this.home)).filter(([entry]) => entry !== compiledCode && !entry.startsWith(`${compiledCode}${sep}`)),
    );
  }

  /** Where aws-mfa keeps compiled code: in its cache folder. */
  get compiledCodeFolder(): string {
    return join(this.cacheHome, 'aws-mfa', COMPILED_CODE_FOLDER);
  }

  remove(): void {
    rmSync(this.home, { recursive: true, force: true });
  }

  #awsSettings(): EnvOverrides {
    const { endpointUrl, region } = this.#options;
    return { AWS_ENDPOINT_URL: endpointUrl, AWS_REGION: region, AWS_DEFAULT_REGION: region };
  }

  #run(command: string, args: readonly string[], options: CommandOptions): Promise<RunResult> {
    return runProcess(command, args, {
      env: this.env(options.env),
      cwd: options.cwd ?? this.home,
      stdin: options.stdin,
      timeoutMs: options.timeoutMs,
    });
  }
}

/** A fresh Sandbox for each test, pointed at moto (call inside a describe or at file level). */
export function useSandbox(moto: MotoServer, options: Omit<SandboxOptions, 'endpointUrl'> = {}): () => Sandbox {
  let current: Sandbox | undefined;
  beforeEach(() => {
    current = new Sandbox({ ...options, endpointUrl: moto.url });
  });
  afterEach(() => {
    current?.remove();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('no sandbox outside a test: useSandbox() creates one per test');
    return current;
  };
}
