import { UsageError } from '../core/errors.js';

/** AWS's SerialNumber pattern and length (STS GetSessionToken, IAM). */
const MFA_SERIAL_PATTERN = /^[\w+=/:,.@-]{9,256}$/;
const MFA_CODE_PATTERN = /^\d{6}$/;
/** INI syntax or control characters in a profile name could inject sections into the files. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
const UNSAFE_PROFILE_CHARACTERS = /[[\]\u0000-\u001f\u007f]/;

/** Profile names become cache file names, percent-encoded: this keeps those within every file system's limit. */
const MAX_PROFILE_NAME_BYTES = 64;

export function validateProfileName(name: string): string {
  if (name === '' || name.trim() !== name || UNSAFE_PROFILE_CHARACTERS.test(name)) {
    throw new UsageError('bad profile name', `${JSON.stringify(name)} is empty, has surrounding spaces, brackets or control characters`);
  }
  if (Buffer.byteLength(name, 'utf8') > MAX_PROFILE_NAME_BYTES) {
    throw new UsageError('bad profile name', `it is longer than ${MAX_PROFILE_NAME_BYTES} bytes`);
  }
  return name;
}

export function validateMfaSerial(serial: string, source: string): string {
  if (!MFA_SERIAL_PATTERN.test(serial)) {
    throw new UsageError(`bad MFA serial in ${source}`, `${JSON.stringify(serial)} is not an MFA device ARN or hardware serial`, {
      hint: 'e.g. arn:aws:iam::123456789012:mfa/alice or GAHT12345678',
    });
  }
  return serial;
}

export function validateMfaCode(code: string, source: string): string {
  if (!MFA_CODE_PATTERN.test(code)) {
    throw new UsageError(`bad MFA code from ${source}`, 'it must be exactly 6 digits');
  }
  return code;
}

/** IAM user access key ids start with AKIA; ASIA ones belong to temporary (session) credentials. */
const LONG_TERM_KEY_ID_PATTERN = /^AKIA[A-Z0-9]{12,124}$/;
const SECRET_ACCESS_KEY_PATTERN = /^[A-Za-z0-9/+=]{16,128}$/;

/** An unset AWS_ACCESS_KEY_ID, an empty answer: said as such, not as a malformed key. */
const EMPTY = 'it is empty or not set';

export function validateLongTermKeyId(accessKeyId: string, source: string): string {
  if (accessKeyId === '') throw new UsageError(`bad access key id from ${source}`, EMPTY);
  if (accessKeyId.startsWith('ASIA')) {
    throw new UsageError(`bad access key id from ${source}`, 'it belongs to temporary session credentials, not to an IAM user', {
      hint: 'aws-mfa needs the long-term key (AKIA…) of the user',
    });
  }
  if (!LONG_TERM_KEY_ID_PATTERN.test(accessKeyId)) {
    throw new UsageError(`bad access key id from ${source}`, 'an IAM user access key id is AKIA followed by letters and digits');
  }
  return accessKeyId;
}

export function validateSecretAccessKey(secretAccessKey: string, source: string): string {
  if (secretAccessKey === '') throw new UsageError(`bad secret access key from ${source}`, EMPTY);
  if (!SECRET_ACCESS_KEY_PATTERN.test(secretAccessKey)) {
    throw new UsageError(`bad secret access key from ${source}`, 'it must be 16 to 128 letters, digits, /, + or =');
  }
  return secretAccessKey;
}
