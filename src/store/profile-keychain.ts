import { validateMfaSerial } from '../config/validate.js';
import { UsageError } from '../core/errors.js';
import { normalizeTotpSeed } from '../mfa/totp.js';
import { isProfileAccount, type Keychain } from './keychain.js';

/** What `aws-mfa add NAME` keeps for a profile. */
export interface KeychainProfile {
  accessKeyId: string;
  secretAccessKey: string;
  mfaSerial?: string;
  totpSeed?: string;
}

/**
 * The keychain items of profiles. Format, under the service KEYCHAIN_SERVICE (`aws-mfa`):
 * - account: the bare profile name, so the item reads "aws-mfa / prod" in Seahorse, Keychain Access
 *   or the Credential Manager;
 * - secret: `{"version":1,"accessKeyId":"…","secretAccessKey":"…","mfaSerial":"…","totpSeed":"…"}`,
 *   mfaSerial and totpSeed optional; a later format gets another version.
 * Other kinds of items may join the same service under accounts that start with `[`: no profile name
 * can (validateProfileName), and list() leaves them alone.
 */
export class ProfileKeychain {
  readonly #keychain: Keychain;

  constructor(keychain: Keychain) {
    this.#keychain = keychain;
  }

  async get(profile: string): Promise<KeychainProfile | undefined> {
    const secret = await this.#keychain.get(profile);
    return secret === undefined ? undefined : parseItem(profile, secret);
  }

  async put(profile: string, item: KeychainProfile): Promise<void> {
    await this.#keychain.set(profile, formatItem(item));
  }

  async delete(profile: string): Promise<boolean> {
    return this.#keychain.delete(profile);
  }

  /**
   * Every profile's item, sorted by profile name. Items not in this format are left out and passed
   * to onMalformed, so one bad item does not hide the others.
   */
  async list(onMalformed?: (profile: string, error: UsageError) => void): Promise<Array<{ profile: string; item: KeychainProfile }>> {
    const profiles: Array<{ profile: string; item: KeychainProfile }> = [];
    for (const { account, secret } of await this.#keychain.entries()) {
      if (!isProfileAccount(account)) continue;
      try {
        profiles.push({ profile: account, item: parseItem(account, secret) });
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        onMalformed?.(account, error);
      }
    }
    return profiles.sort((a, b) => (a.profile < b.profile ? -1 : a.profile > b.profile ? 1 : 0));
  }
}

const FORMAT_VERSION = 1;

function formatItem(item: KeychainProfile): string {
  return JSON.stringify({
    version: FORMAT_VERSION,
    accessKeyId: item.accessKeyId,
    secretAccessKey: item.secretAccessKey,
    ...(item.mfaSerial === undefined ? {} : { mfaSerial: item.mfaSerial }),
    ...(item.totpSeed === undefined ? {} : { totpSeed: item.totpSeed }),
  });
}

/** The error names the profile only: JSON.parse's message would quote the secret. */
function parseItem(profile: string, secret: string): KeychainProfile {
  const value = parseJson(secret);
  if (!isItem(value)) {
    throw new UsageError(`keychain item for ${profile}`, "not in aws-mfa's format", {
      hint: `\`aws-mfa remove ${shellWord(profile)}\`, then \`aws-mfa add ${shellWord(profile)}\` again`,
    });
  }
  const { accessKeyId, secretAccessKey, mfaSerial, totpSeed } = value;
  return {
    accessKeyId,
    secretAccessKey,
    ...(mfaSerial === undefined ? {} : { mfaSerial }),
    ...(totpSeed === undefined ? {} : { totpSeed }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface StoredItem extends KeychainProfile {
  version: typeof FORMAT_VERSION;
}

function isItem(value: unknown): value is StoredItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    item.version === FORMAT_VERSION &&
    isFilledString(item.accessKeyId) &&
    isFilledString(item.secretAccessKey) &&
    (item.mfaSerial === undefined || isMfaSerial(item.mfaSerial)) &&
    (item.totpSeed === undefined || isTotpSeed(item.totpSeed))
  );
}

/** A serial `add` would store: otherwise it would reach STS, or a seed would make codes from garbage. */
function isMfaSerial(value: unknown): boolean {
  return isFilledString(value) && passes(() => validateMfaSerial(value, 'the keychain item'));
}

function isTotpSeed(value: unknown): boolean {
  return isFilledString(value) && passes(() => normalizeTotpSeed(value));
}

/** Whether a validator accepts: its message is not wanted, as it may quote the value. */
function passes(validate: () => unknown): boolean {
  try {
    validate();
    return true;
  } catch {
    return false;
  }
}

function isFilledString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** The profile name as one sh word, for a hint the user can paste. */
function shellWord(text: string): string {
  return /^[\w.@%+=:,/-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
