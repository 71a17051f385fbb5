import { PROMPT_NAMES } from '../prompt/mfa-prompt.js';

/**
 * What a value may be, for shell completion: one of a fixed set of words, or a profile name (read
 * from the files and the keychain when Tab is pressed).
 */
export type ValueSet = readonly string[] | 'profile';

/** One option: `--long`, an optional `-s` short form, and a value placeholder when it takes a value. */
export interface OptionSpec {
  readonly long: string;
  readonly short?: string;
  readonly value?: string;
  readonly values?: ValueSet;
  readonly description: string;
}

/** The one operand a command may take: `<name>` (required), `[name]` (optional) or `<name...>` (one or more). */
export interface OperandSpec {
  readonly name: string;
  readonly required: boolean;
  readonly variadic?: boolean;
  readonly values?: ValueSet;
  readonly description: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  readonly operand?: OperandSpec;
  /** Left out of help and completion: an internal sub-call of the completion scripts. */
  readonly hidden?: boolean;
}

export const PROGRAM_NAME = 'aws-mfa';
export const PROGRAM_DESCRIPTION = 'MFA-protected AWS API sessions for the AWS CLI, SDKs and shells';

export const VERSION_OPTION: OptionSpec = { long: 'version', description: 'output the version number' };
export const HELP_OPTION: OptionSpec = { long: 'help', short: 'h', description: 'display help for command' };

/** Accepted before and after the command name. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  VERSION_OPTION,
  { long: 'profile', short: 'p', value: 'name', values: 'profile', description: 'AWS profile (default: $AWS_PROFILE or "default")' },
  { long: 'debug', description: 'print details on stderr (never a secret)' },
  HELP_OPTION,
];

const SESSION_OPTIONS = [
  { long: 'mfa-serial', value: 'serial', description: 'MFA device ARN or hardware serial' },
  { long: 'code', value: 'code', description: 'the current 6-digit MFA code' },
  { long: 'duration', value: 'duration', description: 'session length, 15m..36h (e.g. 8h, 1h30m, 900)' },
  { long: 'force', description: 'get a new session even when the cached one is still valid' },
  {
    long: 'prompt',
    value: 'how',
    values: PROMPT_NAMES,
    description: 'how to ask for the MFA code: auto (the terminal, else a dialog), terminal or dialog',
  },
  { long: 'save', description: 'save an MFA device found with iam:ListMFADevices as mfa_serial in the config' },
] as const satisfies readonly OptionSpec[];

const PROFILE_NAME = { name: 'name', required: true, values: 'profile', description: 'profile name' } as const satisfies OperandSpec;

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;

/** The hidden sub-call that completion scripts run for words they cannot know in advance. */
export const COMPLETE_COMMAND_NAME = '__complete';

export const COMMANDS = [
  {
    name: 'login',
    description: 'get or reuse a session and write it to [NAME] of the credentials file',
    options: SESSION_OPTIONS,
  },
  {
    name: 'credential-process',
    description: 'print the session as credential_process JSON (cached while valid)',
    options: SESSION_OPTIONS,
  },
  {
    name: 'env',
    description: 'print shell lines that export the session: eval "$(aws-mfa env)"',
    options: [
      ...SESSION_OPTIONS,
      {
        long: 'shell',
        value: 'shell',
        values: ['sh', 'fish', 'powershell'],
        description: 'syntax of the lines: sh (default), fish or powershell',
      },
    ],
  },
  {
    name: 'exec',
    description: 'run a command with the session in its environment: aws-mfa exec -- CMD ARGS',
    options: [
      ...SESSION_OPTIONS,
      { long: 'server', description: 'serve the session to the command from 127.0.0.1, renewed as needed, instead of its environment' },
    ],
    operand: { name: 'command', required: true, variadic: true, description: 'the command and its arguments, after --' },
  },
  {
    name: 'add',
    description: 'store long-term keys (and an MFA serial, a TOTP seed) in the OS keychain',
    options: [
      { long: 'env', description: 'read the keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY' },
      { long: 'import', description: 'move the keys of [NAME-long-term] (or [NAME]) from the credentials file' },
      { long: 'mfa-serial', value: 'serial', description: 'MFA device ARN or hardware serial to store with the keys' },
      { long: 'totp', description: 'also store the TOTP seed: asked for on a terminal, else one line of stdin' },
    ],
    operand: PROFILE_NAME,
  },
  {
    name: 'remove',
    description: 'delete a keychain item and its cached session',
    options: [{ long: 'force', description: 'do not ask for confirmation' }],
    operand: PROFILE_NAME,
  },
  {
    name: 'list',
    description: 'profiles from the keychain and the files, with their MFA device and session; no secret',
    options: [{ long: 'json', description: 'print JSON' }],
  },
  {
    name: 'clear',
    description: "drop cached sessions (all, or one profile's)",
    options: [],
    operand: { ...PROFILE_NAME, required: false },
  },
  {
    name: 'code',
    description: 'print the current TOTP code from the stored seed (for the console sign-in)',
    options: [],
    operand: PROFILE_NAME,
  },
  {
    name: 'configure',
    description: 'add credential_process = aws-mfa credential-process --profile NAME to the config file',
    options: [{ long: 'as', value: 'profile', description: 'write the line into this profile instead (required for a role profile)' }],
    operand: PROFILE_NAME,
  },
  {
    name: 'policy',
    description: 'print the IAM policy that enforces MFA on the API',
    options: [
      { long: 'max-age', value: 'duration', description: 'deny sessions whose MFA is older than this, 15m..36h (default: 8h)' },
      { long: 'self-service', description: 'let users without MFA enrol a device and change their password' },
      {
        long: 'partition',
        value: 'partition',
        values: ['aws', 'aws-cn', 'aws-us-gov'],
        description: 'aws (default), aws-cn or aws-us-gov',
      },
    ],
  },
  {
    name: 'audit',
    description: 'find IAM users without MFA in the credential report (exit 3 when any is found)',
    options: [
      ...SESSION_OPTIONS,
      { long: 'report', value: 'file', description: 'read the report from FILE (CSV, base64, or `aws iam get-credential-report` JSON)' },
      { long: 'format', value: 'format', values: ['table', 'json', 'csv'], description: 'table (default), json or csv' },
      { long: 'organization', description: 'audit every ACTIVE account of the AWS Organization' },
      {
        long: 'role',
        value: 'name',
        description: 'with --organization: the role to assume in each account (default: OrganizationAccountAccessRole)',
      },
      { long: 'concurrency', value: 'n', description: 'with --organization: accounts audited at once, 1..64 (default: 8)' },
    ],
  },
  {
    name: 'enroll',
    description: 'create and enable a virtual MFA device, and store its seed with the profile',
    options: [
      ...SESSION_OPTIONS,
      { long: 'user', value: 'user', description: 'the IAM user to enrol (default: the calling user)' },
      { long: 'device-name', value: 'name', description: 'the virtual MFA device name (default: the user name)' },
      { long: 'no-qr', description: 'do not draw the QR code' },
      { long: 'no-store', description: 'do not store the seed: show it once (for enrolling someone else)' },
    ],
  },
  {
    name: 'rotate',
    description: 'replace the long-term access key with a new one, safely',
    options: SESSION_OPTIONS,
  },
  {
    name: 'console',
    description: "open the AWS console in the browser with the profile's role session (or print its sign-in URL)",
    options: [
      ...SESSION_OPTIONS,
      { long: 'url', description: 'print the sign-in URL on stdout instead of opening the browser' },
      { long: 'destination', value: 'url', description: 'the console page to open (default: the console home of the region)' },
    ],
  },
  {
    name: 'doctor',
    description: "check the profile's whole set-up and say what to fix (exit 1 when something needed is wrong)",
    options: [
      { long: 'online', description: 'also check the long-term key with sts:GetCallerIdentity' },
      { long: 'json', description: 'print a JSON array of {check, status, detail, fix}' },
    ],
  },
  {
    name: 'completion',
    description: 'print the shell completion script: see docs/commands/completion.md to install it',
    options: [],
    operand: { name: 'shell', required: true, values: COMPLETION_SHELLS, description: 'bash, zsh, fish or powershell' },
  },
  {
    name: COMPLETE_COMMAND_NAME,
    description: 'print the words a completion script offers: profiles',
    options: [],
    operand: { name: 'kind', required: true, values: ['profiles'], description: 'what to list' },
    hidden: true,
  },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof COMMANDS)[number]['name'];

/** `help [command]`: not a CommandName, since parsing answers it and no command runs. */
export const HELP_COMMAND = {
  name: 'help',
  description: 'display help for command',
  options: [],
  operand: {
    name: 'command',
    required: false,
    values: COMMANDS.filter(isListed).map((command) => command.name),
    description: 'the command to show help for',
  },
} as const satisfies CommandSpec;

/** The commands that help and completion show: every command but the hidden ones, and `help`. */
export function listedCommands(): readonly CommandSpec[] {
  return [...COMMANDS, HELP_COMMAND].filter(isListed);
}

function isListed(command: CommandSpec): boolean {
  return command.hidden !== true;
}

/** How help and error messages name an option: `-p, --profile <name>`, `--force`. */
export function optionFlags(option: OptionSpec): string {
  const long = `--${option.long}${option.value ? ` <${option.value}>` : ''}`;
  return option.short ? `-${option.short}, ${long}` : long;
}

/** As commander does, `--no-qr` is the negation of `qr`: the key `qr` is true unless `--no-qr` is given. */
export function isNegation(option: OptionSpec): boolean {
  return option.long.startsWith('no-');
}

/** The key of an option in the options a command receives: `mfa-serial` → `mfaSerial`, `no-qr` → `qr`. */
export function optionKey(option: OptionSpec): string {
  const name = isNegation(option) ? option.long.slice('no-'.length) : option.long;
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
