import fs from 'node:fs';
import path from 'node:path';
import { type CommandName, type Invocation, parseInvocation } from './cli/arguments.js';
import { stdoutWriter } from './cli/standard-output.js';
import type { ConsoleDependencies } from './commands/console.js';
// The commands with a cached path are imported statically: it then reads one bundle chunk, not a
// chain of them. Every other command, and everything a new session needs, is loaded on demand.
import { credentialProcessCommand } from './commands/credential-process.js';
import type { DoctorDependencies } from './commands/doctor.js';
import { envCommand } from './commands/env.js';
import { execCommand } from './commands/exec.js';
import { cacheDirectory } from './config/paths.js';
import { lazyBuiltin } from './core/builtin.js';
import { AwsMfaError, ExitCode } from './core/errors.js';
import type { Io, Terminal } from './core/io.js';
import { systemMfaPrompts } from './prompt/system-mfa-prompts.js';
import type { SessionDependencies } from './providers/dependencies.js';
import type { SessionOptions } from './providers/session-for-profile.js';
import { PrivateFiles } from './store/private-files.js';
import type { ProfileKeychain } from './store/profile-keychain.js';
import { SessionCache } from './store/session-cache.js';

/** Set by the bundler (rollup.config.mjs) from package.json. */
declare const AWS_MFA_VERSION: string;

const MAX_STDIN_LINE_BYTES = 64 * 1024;

/**
 * The only place that builds real dependencies, runs a command and turns errors into exit codes.
 * `onCommand` learns which command runs (src/start-up/start-cli.ts keeps compiled code after some).
 */
export async function main(argv: readonly string[], onCommand: (command: CommandName) => void = () => {}): Promise<number> {
  const endOfOptions = argv.indexOf('--');
  const debugEnabled = (endOfOptions === -1 ? argv : argv.slice(0, endOfOptions)).includes('--debug');
  const io = createProcessIo(debugEnabled);
  try {
    const invocation = parseInvocation(argv, AWS_MFA_VERSION, {
      writeOut: (text) => io.writeStdout(text),
      writeErr: (text) => io.writeStderr(text),
    });
    if (invocation.kind === 'exit') return invocation.exitCode;
    onCommand(invocation.command);
    return await runCommand(invocation, io);
  } catch (error) {
    return reportError(error, io, debugEnabled);
  }
}

async function runCommand(invocation: Extract<Invocation, { kind: 'run' }>, io: Io): Promise<number> {
  const options = invocation.options;
  const name = invocation.operands[0] ?? '';
  const deps = sessionDependencies(io);
  switch (invocation.command) {
    case 'login':
      return (await import('./commands/login.js')).loginCommand(options, deps);
    case 'credential-process':
      return credentialProcessCommand(options, deps);
    case 'env':
      return envCommand(options, deps);
    case 'exec':
      return execCommand({ ...options, command: invocation.operands }, deps);
    case 'add':
      return (await import('./commands/add.js')).addCommand({ ...options, name }, deps);
    case 'remove':
      return (await import('./commands/remove.js')).removeCommand({ ...options, name }, deps);
    case 'list':
      return (await import('./commands/list.js')).listCommand(options, deps);
    case 'clear':
      return (await import('./commands/clear.js')).clearCommand({ name: invocation.operands[0] }, deps);
    case 'code':
      return (await import('./commands/code.js')).codeCommand({ name }, deps);
    case 'configure':
      return (await import('./commands/configure.js')).configureCommand(
        { ...options, name },
        { io, programPath: process.argv[1] ?? 'aws-mfa' },
      );
    case 'policy':
      return (await import('./commands/policy.js')).policyCommand(options, { io });
    case 'audit':
      return (await import('./commands/audit.js')).auditCommand(options, deps);
    case 'enroll':
      return (await import('./commands/enroll.js')).enrollCommand(options, deps);
    case 'rotate':
      return (await import('./commands/rotate.js')).rotateCommand(options, deps);
    case 'console':
      return (await import('./commands/console.js')).consoleCommand(options, await consoleDependencies(options, deps));
    case 'doctor':
      return (await import('./commands/doctor.js')).doctorCommand(options, await doctorDependencies(deps));
    case 'completion':
      return (await import('./commands/completion.js')).completionCommand(name, io);
    case '__complete': {
      const { inventoryKeychain } = await import('./store/keychain-inventory.js');
      return (await import('./commands/complete.js')).completeCommand(name, io, () => inventoryKeychain(io.platform, io.env));
    }
  }
}

/**
 * The real dependencies of every command. The keychain, the AWS SDK and its clients are imported
 * only when called, so the cached path loads none of them.
 */
function sessionDependencies(io: Io): SessionDependencies {
  const cacheFolder = cacheDirectory(io.env, io.platform);
  return {
    io,
    cache: new SessionCache(cacheFolder),
    cacheDirectory: cacheFolder,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    openProfileKeychain: profileKeychainOpener(io),
    getSessionToken: async (request) => (await import('./aws/sts.js')).getSessionToken(request),
    assumeRole: async (request) => (await import('./aws/sts.js')).assumeRole(request),
    getCallerIdentity: async (request) => (await import('./aws/sts.js')).getCallerIdentity(request),
    listMfaDevices: async (request) => (await import('./aws/iam.js')).listMfaDevices(request),
    mfaPrompts: systemMfaPrompts(io),
  };
}

async function consoleDependencies(options: SessionOptions, deps: SessionDependencies): Promise<ConsoleDependencies> {
  const { io } = deps;
  const [{ profileCredentials }, { getSigninToken }, browser] = await Promise.all([
    import('./providers/session-for-profile.js'),
    import('./console/federation.js'),
    import('./console/open-in-browser.js'),
  ]);
  return {
    io,
    consoleProfile: async () => {
      const profile = await profileCredentials(options, deps);
      return {
        profile: profile.chain.named.profile,
        roleArn: profile.chain.hops.at(-1)?.roleArn,
        region: profile.region,
        caBundle: profile.chain.named.sts.caBundle,
        credentials: profile.provide,
      };
    },
    getSigninToken,
    openInBrowser: async (signinUrl) => {
      const cache = new PrivateFiles(deps.cacheDirectory);
      const page = await browser.writeSigninPage(cache, path.join(deps.cacheDirectory, 'signin'), signinUrl, io.now());
      await browser.runBrowser(await browser.browserCommand(page, io.env, io.platform));
    },
  };
}

/** The real dependencies of doctor; keytar and the STS client load only for --online. */
async function doctorDependencies(deps: SessionDependencies): Promise<DoctorDependencies> {
  const { io } = deps;
  const [{ inventoryKeychain }, { fetchServerDate }, { resolveKeySource }] = await Promise.all([
    import('./store/keychain-inventory.js'),
    import('./doctor/sts-date.js'),
    import('./providers/key-source.js'),
  ]);
  return {
    io,
    colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    inventoryKeychain: () => inventoryKeychain(io.platform, io.env),
    readCachedSession: (profile) => deps.cache.read(profile),
    fetchServerDate: (url, caBundle) => fetchServerDate(url, io.env, caBundle),
    readLongTermKeys: async (settings) => (await resolveKeySource(settings, deps.openProfileKeychain, io.debug)).keys,
    getCallerIdentity: async (keys, settings) =>
      (await import('./aws/sts.js')).getCallerIdentity({ credentials: keys, target: settings.sts, env: io.env, debug: io.debug }),
  };
}

/** Opens the keychain once, on first use. */
function profileKeychainOpener(io: Io): () => Promise<ProfileKeychain> {
  let opened: Promise<ProfileKeychain> | undefined;
  return () => {
    opened ??= (async () => {
      const [{ openKeychain }, { ProfileKeychain }] = await Promise.all([
        import('./store/keychain.js'),
        import('./store/profile-keychain.js'),
      ]);
      return new ProfileKeychain(await openKeychain(io.platform, io.env));
    })();
    return opened;
  };
}

function reportError(error: unknown, io: Io, debugEnabled: boolean): number {
  if (debugEnabled && error instanceof Error && error.stack) io.debug(error.stack);
  if (error instanceof AwsMfaError) {
    io.writeStderr(`${error.toLine()}\n`);
    return error.exitCode;
  }
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  io.writeStderr(`aws-mfa: unexpected error: ${why.split('\n')[0]} (run with --debug for details)\n`);
  return ExitCode.failed;
}

function createProcessIo(debugEnabled: boolean): Io {
  return {
    env: process.env,
    platform: process.platform,
    // A Windows console wants process.stdout, which writes UTF-16 to it: raw UTF-8 bytes would show as another code page.
    writeStdout: process.platform === 'win32' ? (text) => void process.stdout.write(text) : stdoutWriter(),
    writeStderr: (text) => void process.stderr.write(text),
    notice: (text) => {
      if (!writeToTerminal(text)) process.stderr.write(text);
    },
    debug: debugEnabled ? (text) => void process.stderr.write(`aws-mfa[debug]: ${text}\n`) : () => {},
    now: () => new Date(),
    // Asked of the descriptor, not of process.stdin: creating that stream makes a piped stdin
    // non-blocking, and a child of exec that shares it would then read nothing (EAGAIN). It also
    // costs about 3 ms, which the cached path never needs to pay.
    get stdinIsTerminal() {
      return lazyBuiltin('node:tty').isatty(0);
    },
    get stderrIsTerminal() {
      return Boolean(process.stderr.isTTY);
    },
    readStdin,
    openTerminal,
  };
}

async function readStdin(extent: 'all' | 'first line' = 'all'): Promise<string> {
  const chunks: Buffer[] = [];
  let byteCount = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    byteCount += chunk.length;
    if (extent === 'first line' && (chunk.includes(0x0a) || byteCount > MAX_STDIN_LINE_BYTES)) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function terminalPaths(): { input: string; output: string } {
  return process.platform === 'win32' ? { input: 'CONIN$', output: 'CONOUT$' } : { input: '/dev/tty', output: '/dev/tty' };
}

function writeToTerminal(text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(terminalPaths().output, 'w');
  } catch {
    return false;
  }
  try {
    fs.writeSync(fd, text);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

/** The controlling terminal (CONIN$/CONOUT$ on Windows); throws ENXIO-like errors when there is none. */
function openTerminal(): Terminal {
  const paths = terminalPaths();
  const inputFd = fs.openSync(paths.input, 'r');
  let outputFd: number;
  try {
    outputFd = fs.openSync(paths.output, 'w');
  } catch (error) {
    fs.closeSync(inputFd);
    throw error;
  }
  const tty = lazyBuiltin('node:tty');
  const input = new tty.ReadStream(inputFd);
  const output = new tty.WriteStream(outputFd);
  return {
    input,
    output,
    close: () => {
      input.destroy();
      output.destroy();
    },
  };
}
