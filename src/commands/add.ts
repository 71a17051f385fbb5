import { holdsLongTermKeys } from '../config/credentials-section.js';
import { editIniFile } from '../config/edit-ini-file.js';
import { removeSection, removeSectionKeys } from '../config/ini-file.js';
import { loadProfileSettings, type ProfileSettings } from '../config/profile-settings.js';
import { validateLongTermKeyId, validateMfaSerial, validateProfileName, validateSecretAccessKey } from '../config/validate.js';
import type { LongTermKeys } from '../core/credentials.js';
import { maskKeyId } from '../core/credentials.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { normalizeTotpSeed } from '../mfa/totp.js';
import { askOnTerminal } from '../prompt/ask-on-terminal.js';
import type { KeychainProfile, ProfileKeychain } from '../store/profile-keychain.js';
import type { SessionCache } from '../store/session-cache.js';

export interface AddOptions {
  /** The profile to store the keys for. */
  readonly name: string;
  /** Read the keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, as aws-vault does. */
  readonly env?: boolean | undefined;
  readonly mfaSerial?: string | undefined;
  /** Also store the TOTP seed: asked for on a terminal, else one line of stdin. */
  readonly totp?: boolean | undefined;
  /** Move the keys of `[NAME-long-term]` (or long-term keys in `[NAME]`) into the keychain. */
  readonly import?: boolean | undefined;
}

export interface AddDependencies {
  readonly io: Io;
  readonly openProfileKeychain: () => Promise<ProfileKeychain>;
  readonly cache: SessionCache;
}

const KEY_NAMES = ['aws_access_key_id', 'aws_secret_access_key'];
const NO_TERMINAL_HINT = 'pass --env with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set, or --import';

/** `add NAME`: long-term keys (and an MFA serial, a TOTP seed) into the OS keychain; never from argv. */
export async function addCommand(options: AddOptions, deps: AddDependencies): Promise<number> {
  const profile = validateProfileName(options.name);
  if (options.mfaSerial !== undefined) validateMfaSerial(options.mfaSerial, '--mfa-serial');
  if (options.env && options.import) throw new UsageError('bad usage', '--env and --import both say where the keys come from');
  const settings = await loadProfileSettings(profile, {}, deps.io.env);
  const fileSection = sectionWithKeysToImport(settings);
  const importing =
    options.import === true || (!options.env && fileSection !== undefined && (await confirmImport(settings, fileSection, deps.io)));
  if (options.import && fileSection === undefined) {
    throw new UsageError(
      `nothing to import for ${profile}`,
      `no keys in [${settings.longTermSectionName}] or [${profile}] of ${settings.credentialsFile.path}`,
    );
  }
  const keys = importing && fileSection ? fileKeys(settings, fileSection) : await keysFromUser(options, deps.io);
  const totpSeed = options.totp ? await readTotpSeed(deps.io) : undefined;

  const keychain = await deps.openProfileKeychain();
  const previous = await keychain.get(profile).catch(() => undefined);
  const mfaSerial = options.mfaSerial ?? previous?.mfaSerial;
  const seed = totpSeed ?? previous?.totpSeed;
  const item: KeychainProfile = { ...keys, ...(mfaSerial ? { mfaSerial } : {}), ...(seed ? { totpSeed: seed } : {}) };
  await keychain.put(profile, item);
  await deps.cache.delete(profile);
  if (importing && fileSection) await removeKeysFromFile(settings, fileSection, deps.io);

  const extras = [item.mfaSerial ? `MFA device ${item.mfaSerial}` : '', item.totpSeed ? 'its TOTP seed' : ''].filter(Boolean).join(' and ');
  deps.io.writeStderr(
    `aws-mfa: stored the keys of ${profile} (${maskKeyId(keys.accessKeyId)})${extras ? ` with ${extras}` : ''} in the keychain` +
      `${importing && fileSection ? `, and removed them from [${fileSection}] of ${settings.credentialsFile.path}` : ''}\n`,
  );
  return 0;
}

/** `[NAME-long-term]` with keys, else `[NAME]` holding long-term keys (no session token). */
function sectionWithKeysToImport(settings: ProfileSettings): string | undefined {
  if (settings.fileKeys) return settings.longTermSectionName;
  return holdsLongTermKeys(settings.credentialsFile.sections.get(settings.profile)) ? settings.profile : undefined;
}

function fileKeys(settings: ProfileSettings, section: string): LongTermKeys {
  const values = settings.credentialsFile.sections.get(section);
  const source = `[${section}] of ${settings.credentialsFile.path}`;
  return {
    accessKeyId: validateLongTermKeyId(values?.get('aws_access_key_id') ?? '', source),
    secretAccessKey: validateSecretAccessKey(values?.get('aws_secret_access_key') ?? '', source),
  };
}

async function confirmImport(settings: ProfileSettings, section: string, io: Io): Promise<boolean> {
  if (!io.stdinIsTerminal) return false;
  return askOnTerminal(
    io,
    'confirmation',
    ({ confirm }, context) =>
      confirm(
        {
          message: `Move the keys of [${section}] in ${settings.credentialsFile.path} into the keychain (and out of the file)?`,
          default: true,
        },
        context,
      ),
    NO_TERMINAL_HINT,
  );
}

async function keysFromUser(options: AddOptions, io: Io): Promise<LongTermKeys> {
  if (options.env) {
    return {
      accessKeyId: validateLongTermKeyId(io.env.AWS_ACCESS_KEY_ID ?? '', 'AWS_ACCESS_KEY_ID'),
      secretAccessKey: validateSecretAccessKey(io.env.AWS_SECRET_ACCESS_KEY ?? '', 'AWS_SECRET_ACCESS_KEY'),
    };
  }
  const accessKeyId = await askOnTerminal(
    io,
    'the access key id',
    ({ input }, context) => input({ message: 'Access key id (AKIA…):' }, context),
    NO_TERMINAL_HINT,
  );
  const secretAccessKey = await askOnTerminal(
    io,
    'the secret access key',
    ({ password }, context) => password({ message: 'Secret access key:', mask: true }, context),
    NO_TERMINAL_HINT,
  );
  return {
    accessKeyId: validateLongTermKeyId(accessKeyId.trim(), 'the prompt'),
    secretAccessKey: validateSecretAccessKey(secretAccessKey.trim(), 'the prompt'),
  };
}

/** A seed is a secret: typed hidden on a terminal, else piped in on stdin; never an argument. */
async function readTotpSeed(io: Io): Promise<string> {
  if (!io.stdinIsTerminal) {
    const [firstLine = ''] = (await io.readStdin('first line')).split(/\r?\n/);
    return normalizeTotpSeed(firstLine);
  }
  const typed = await askOnTerminal(
    io,
    'the TOTP seed',
    ({ password }, context) => password({ message: 'TOTP seed (base32, as shown when the MFA device was created):', mask: true }, context),
    'pipe the seed in on stdin',
  );
  return normalizeTotpSeed(typed);
}

async function removeKeysFromFile(settings: ProfileSettings, section: string, io: Io): Promise<void> {
  await editIniFile(settings.credentialsFile.path, {
    mode: 0o600,
    debug: io.debug,
    edit: (current) => {
      const text = current.text ?? '';
      const otherKeys = [...(current.sections.get(section)?.keys() ?? [])].filter((key) => !KEY_NAMES.includes(key));
      return otherKeys.length === 0 ? removeSection(text, section) : removeSectionKeys(text, section, KEY_NAMES);
    },
  });
}
