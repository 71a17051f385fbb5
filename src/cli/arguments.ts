import { Command, CommanderError } from 'commander';
import { ExitCode, UsageError } from './errors.js';

export type CommandName =
  | 'login'
  | 'credential-process'
  | 'env'
  | 'exec'
  | 'add'
  | 'remove'
  | 'list'
  | 'clear'
  | 'code'
  | 'configure'
  | 'policy'
  | 'audit'
  | 'enroll'
  | 'rotate';

/** What argv asks for: a command with its options and operands, or an exit after help/version. */
export type Invocation =
  | {
      readonly kind: 'run';
      readonly command: CommandName;
      readonly options: Readonly<Record<string, unknown>>;
      readonly operands: readonly string[];
    }
  | { readonly kind: 'exit'; readonly exitCode: number };

export interface HelpOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/** Parses argv (without node and script) with the whole argument table; usage errors throw UsageError. */
export function parseInvocation(argv: readonly string[], version: string, output: HelpOutput): Invocation {
  let invocation: Invocation | undefined;
  const record =
    (command: CommandName) =>
    (...actionArgs: unknown[]) => {
      const commandObject = actionArgs[actionArgs.length - 1] as Command;
      invocation = { kind: 'run', command, options: commandObject.optsWithGlobals(), operands: commandObject.args };
    };
  const program = buildProgram(version, record);
  applyOutput(program, output);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        // Help shown because no command was given (or `help` for an unknown one) is bad usage.
        return { kind: 'exit', exitCode: error.exitCode === 0 ? 0 : ExitCode.usage };
      }
      throw usageErrorFrom(error);
    }
    throw error;
  }
  if (!invocation) throw new UsageError('bad usage', 'no command given', { hint: 'see aws-mfa --help' });
  return invocation;
}

/** Commander's message as one line; its `(Did you mean …?)` on a second line becomes the hint. */
function usageErrorFrom(error: CommanderError): UsageError {
  const [why = '', ...rest] = error.message.replace(/^error: /, '').split('\n');
  const suggestion = /\(Did you mean (.+)\?\)/.exec(rest.join(' '))?.[1];
  const hint = suggestion ? `did you mean ${suggestion}? see aws-mfa --help` : 'see aws-mfa --help';
  return new UsageError('bad usage', why.trim(), { hint });
}

function buildProgram(version: string, record: (command: CommandName) => (...args: unknown[]) => void): Command {
  const program = new Command('aws-mfa')
    .description('MFA-protected AWS API sessions for the AWS CLI, SDKs and shells')
    .version(version, '--version')
    .option('-p, --profile <name>', 'AWS profile (default: $AWS_PROFILE or "default")')
    .option('--debug', 'print details on stderr (never a secret)')
    .showHelpAfterError(false);

  withSessionOptions(program.command('login'))
    .description('get or reuse a session and write it to [NAME] of the credentials file')
    .action(record('login'));
  withSessionOptions(program.command('credential-process'))
    .description('print the session as credential_process JSON (cached while valid)')
    .action(record('credential-process'));
  withSessionOptions(program.command('env'))
    .description('print shell lines that export the session: eval "$(aws-mfa env)"')
    .option('--shell <shell>', 'syntax of the lines: sh (default), fish or powershell')
    .action(record('env'));
  withSessionOptions(program.command('exec'))
    .description('run a command with the session in its environment: aws-mfa exec -- CMD ARGS')
    .argument('<command...>', 'the command and its arguments, after --')
    .action(record('exec'));

  program
    .command('add')
    .description('store long-term keys (and an MFA serial, a TOTP seed) in the OS keychain')
    .argument('<name>', 'profile name')
    .option('--env', 'read the keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY')
    .option('--import', 'move the keys of [NAME-long-term] (or [NAME]) from the credentials file')
    .option('--mfa-serial <serial>', 'MFA device ARN or hardware serial to store with the keys')
    .option('--totp', 'also store the TOTP seed: asked for on a terminal, else one line of stdin')
    .action(record('add'));
  program
    .command('remove')
    .description('delete a keychain item and its cached session')
    .argument('<name>', 'profile name')
    .option('--force', 'do not ask for confirmation')
    .action(record('remove'));
  program
    .command('list')
    .description('profiles from the keychain and the files, with their MFA device and session; no secret')
    .option('--json', 'print JSON')
    .action(record('list'));
  program
    .command('clear')
    .description("drop cached sessions (all, or one profile's)")
    .argument('[name]', 'profile name')
    .action(record('clear'));
  program
    .command('code')
    .description('print the current TOTP code from the stored seed (for the console sign-in)')
    .argument('<name>', 'profile name')
    .action(record('code'));
  program
    .command('configure')
    .description('add credential_process = aws-mfa credential-process --profile NAME to the config file')
    .argument('<name>', 'profile name')
    .action(record('configure'));

  program
    .command('policy')
    .description('print the IAM policy that enforces MFA on the API')
    .option('--max-age <duration>', 'deny sessions whose MFA is older than this, 15m..36h (default: 8h)')
    .option('--self-service', 'let users without MFA enrol a device and change their password')
    .option('--partition <partition>', 'aws (default), aws-cn or aws-us-gov')
    .action(record('policy'));
  withSessionOptions(program.command('audit'))
    .description('find IAM users without MFA in the credential report (exit 3 when any is found)')
    .option('--report <file>', 'read the report from FILE (CSV, base64, or `aws iam get-credential-report` JSON)')
    .option('--format <format>', 'table (default), json or csv')
    .action(record('audit'));
  withSessionOptions(program.command('enroll'))
    .description('create and enable a virtual MFA device, and store its seed with the profile')
    .option('--user <user>', 'the IAM user to enrol (default: the calling user)')
    .option('--device-name <name>', 'the virtual MFA device name (default: the user name)')
    .option('--no-qr', 'do not draw the QR code')
    .option('--no-store', 'do not store the seed: show it once (for enrolling someone else)')
    .action(record('enroll'));
  withSessionOptions(program.command('rotate'))
    .description('replace the long-term access key with a new one, safely')
    .action(record('rotate'));
  return program;
}

function withSessionOptions(command: Command): Command {
  return command
    .option('--mfa-serial <serial>', 'MFA device ARN or hardware serial')
    .option('--code <code>', 'the current 6-digit MFA code')
    .option('--duration <duration>', 'session length, 15m..36h (e.g. 8h, 1h30m, 900)')
    .option('--force', 'get a new session even when the cached one is still valid')
    .option('--save', 'save an MFA device found with iam:ListMFADevices as mfa_serial in the config');
}

function applyOutput(command: Command, output: HelpOutput): void {
  command.exitOverride().configureOutput({
    writeOut: (text) => output.writeOut(text),
    writeErr: (text) => output.writeErr(text),
    outputError: () => {},
  });
  for (const subcommand of command.commands) applyOutput(subcommand, output);
}
