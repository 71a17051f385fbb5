import fs from 'node:fs';
import path from 'node:path';
import { holdsLongTermKeys } from '../config/credentials-section.js';
import { editIniFile } from '../config/edit-ini-file.js';
import { setSectionKeys } from '../config/ini-file.js';
import { type ProfileSettings, profileSettingsFrom, readAwsFiles } from '../config/profile-settings.js';
import { validateProfileName } from '../config/validate.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';

export interface ConfigureDependencies {
  readonly io: Io;
  /** This program's own path, used when `aws-mfa` is not on the PATH. */
  readonly programPath: string;
}

export interface ConfigureInput {
  /** The profile whose sessions aws-mfa serves. */
  readonly name: string;
  /** The config profile that gets the credential_process line (default: NAME itself). */
  readonly as?: string | undefined;
}

/**
 * `configure NAME [--as OTHER]`: `credential_process = aws-mfa credential-process --profile NAME`
 * in the config profile NAME, or OTHER. A role profile needs OTHER: botocore prefers role_arn to
 * credential_process in one profile.
 */
export async function configureCommand(input: ConfigureInput, deps: ConfigureDependencies): Promise<number> {
  const profile = validateProfileName(input.name);
  const target = input.as === undefined ? profile : validateProfileName(input.as);
  const files = await readAwsFiles(deps.io.env);
  const served = profileSettingsFrom(files, profile, {}, deps.io.env);
  if (target === profile && isRoleProfile(served)) {
    throw new UsageError(
      `will not configure ${profile}`,
      `[${served.configSectionName}] has role_arn, which the AWS tools prefer to credential_process in one profile`,
      { hint: `write the line into a profile of its own: \`aws-mfa configure ${profile} --as ${profile}-mfa\`` },
    );
  }
  const settings = target === profile ? served : profileSettingsFrom(files, target, {}, deps.io.env);
  if (target !== profile) refuseRoleTarget(settings);
  refuseKeysInCredentialsSection(settings);
  const credentialProcess = `${commandName(deps)} credential-process --profile ${quoteArgument(profile)}`;
  if (settings.credentialProcess === credentialProcess) {
    deps.io.writeStderr(`aws-mfa: [${settings.configSectionName}] in ${settings.configFile.path} is already set up\n`);
    return 0;
  }
  await editIniFile(settings.configFile.path, {
    mode: 0o600,
    keepMode: true,
    debug: deps.io.debug,
    edit: (current) => setSectionKeys(current.text ?? '', settings.configSectionName, [['credential_process', credentialProcess]]),
  });
  const replaced = settings.credentialProcess === undefined ? '' : ' (replacing its previous credential_process)';
  const from = target === profile ? '' : ` of ${profile}`;
  deps.io.writeStderr(
    `aws-mfa: AWS tools using profile ${target} now get the sessions${from} from aws-mfa${replaced}: set in [${settings.configSectionName}] of ${settings.configFile.path}\n`,
  );
  return 0;
}

function isRoleProfile(settings: ProfileSettings): boolean {
  return settings.configFile.sections.get(settings.configSectionName)?.has('role_arn') ?? false;
}

/** The line would be ignored there: botocore assumes the role instead. */
function refuseRoleTarget(settings: ProfileSettings): void {
  if (!isRoleProfile(settings)) return;
  throw new UsageError(
    `will not configure ${settings.profile}`,
    `[${settings.configSectionName}] has role_arn, which the AWS tools would use instead of credential_process`,
    { hint: 'name a profile of its own with --as' },
  );
}

/** The AWS CLI and SDKs read keys in `[NAME]` of the credentials file before credential_process. */
function refuseKeysInCredentialsSection(settings: ProfileSettings): void {
  const section = settings.credentialsFile.sections.get(settings.profile);
  if (!section?.get('aws_access_key_id')) return;
  const where = `[${settings.profile}] in ${settings.credentialsFile.path}`;
  const hint = holdsLongTermKeys(section)
    ? `move its long-term keys into the keychain with \`aws-mfa add ${settings.profile} --import\``
    : `delete ${where}: it holds a session written by \`aws-mfa login\`, and credential-process keeps its own`;
  throw new UsageError(
    `will not configure ${settings.profile}`,
    `${where} holds keys, which AWS tools would use instead of credential_process`,
    {
      hint,
    },
  );
}

/** `aws-mfa` when the PATH finds it (it survives upgrades and moves), else this program's absolute path. */
function commandName(deps: ConfigureDependencies): string {
  return isOnPath('aws-mfa', deps.io) ? 'aws-mfa' : quoteArgument(path.resolve(deps.programPath));
}

function isOnPath(command: string, io: Io): boolean {
  const extensions = io.platform === 'win32' ? (io.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const folder of (io.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const extension of extensions) {
      try {
        fs.accessSync(path.join(folder, command + extension), io.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
        return true;
      } catch {
        // not in this folder
      }
    }
  }
  return false;
}

/**
 * Quoted for botocore, which splits credential_process with shlex on POSIX and with the Windows
 * rules elsewhere. In double quotes both keep a backslash literal unless it precedes a quote (or
 * the closing one): only those are doubled, and quotes escaped.
 */
export function quoteArgument(argument: string): string {
  if (/^[\w@%+=:,./-]+$/.test(argument)) return argument;
  return `"${argument.replace(/(\\*)("|$)/g, (_match, backslashes: string, quote: string) => `${backslashes}${backslashes}${quote ? '\\"' : ''}`)}"`;
}
