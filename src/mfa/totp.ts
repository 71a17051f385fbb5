import { createGuardrails, generateSync, ScureBase32Plugin } from 'otplib';
import { UsageError } from '../core/errors.js';

/** RFC 6238 as AWS's virtual MFA devices use it: HMAC-SHA-1, 30 s steps, 6 digits. */
export const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;

/** 80 bits: RFC 4226 asks for 128, but 80-bit seeds are still handed out. */
const MIN_SEED_CHARACTERS = 16;
/** otplib's own ceiling; AWS's seeds are 64 characters (40 bytes). */
const MAX_SEED_BYTES = 64;
/** otplib 13 refuses seeds under 128 bits by default. */
const guardrails = createGuardrails({ MIN_SECRET_BYTES: (MIN_SEED_CHARACTERS * 5) / 8, MAX_SECRET_BYTES: MAX_SEED_BYTES });

const BASE32_SEED = /^[A-Z2-7]+$/;
const PASTE_SEPARATORS = /[\s-]/g;
const TRAILING_PADDING = /=+$/;
const base32 = new ScureBase32Plugin();

/**
 * A base32 seed as users paste it (any case, grouped with spaces or dashes, with or without `=`
 * padding) in its canonical form: upper case, no separators, no padding. The error never repeats
 * the seed or any part of it.
 */
export function normalizeTotpSeed(input: string): string {
  const seed = input.replace(PASTE_SEPARATORS, '').replace(TRAILING_PADDING, '').toUpperCase();
  if (seed === '') throw badSeed('it is empty');
  if (!BASE32_SEED.test(seed)) throw badSeed('it may hold only the letters A-Z and the digits 2-7 (spaces, dashes and = padding aside)');
  if (seed.length < MIN_SEED_CHARACTERS) throw badSeed('it is shorter than 16 characters (80 bits)');
  if (decodedByteLength(seed) > MAX_SEED_BYTES) throw badSeed('it is longer than 512 bits');
  return seed;
}

export function timeStepAt(date: Date): number {
  return Math.floor(date.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The 6-digit code of `seed` for one time step (see timeStepAt). */
export function totpCode(seed: string, step: number): string {
  return generateSync({
    secret: normalizeTotpSeed(seed),
    epoch: step * TOTP_PERIOD_SECONDS,
    period: TOTP_PERIOD_SECONDS,
    digits: TOTP_DIGITS,
    algorithm: 'sha1',
    guardrails,
  });
}

/** Also rejects a length no byte string encodes to, or a last character with stray low bits. */
function decodedByteLength(seed: string): number {
  try {
    return base32.decode(seed).length;
  } catch {
    throw badSeed('it is not valid base32 (a character is missing, extra or mistyped at its end)');
  }
}

function badSeed(why: string): UsageError {
  return new UsageError('bad TOTP seed', why, { hint: 'copy the seed again: base32 is the letters A-Z and the digits 2-7' });
}
