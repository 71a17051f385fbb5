import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits from the CSPRNG, as hex: a header value every SDK sends as it is. */
const TOKEN_BYTES = 32;

export function newServerToken(): string {
  return randomBytes(TOKEN_BYTES).toString('hex');
}

/**
 * Constant time whatever the header holds: both sides are hashed first, since timingSafeEqual
 * needs equal lengths and an early length check would tell the token's length.
 */
export function isServerToken(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(sha256(expected), sha256(given));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
