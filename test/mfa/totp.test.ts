import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ScureBase32Plugin } from 'otplib';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { normalizeTotpSeed, TOTP_PERIOD_SECONDS, timeStepAt, totpCode } from '../../src/mfa/totp.js';

/** RFC 6238 Appendix B: the SHA-1 seed is the ASCII "12345678901234567890". */
const RFC_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
/** An AWS virtual MFA seed has 64 base32 characters (40 bytes). */
const AWS_LIKE_SEED = new ScureBase32Plugin().encode(Buffer.from('aws-mfa: a forty-byte virtual MFA seed!!'));

function codeAt(seed: string, unixSeconds: number): string {
  return totpCode(seed, timeStepAt(new Date(unixSeconds * 1000)));
}

/** oathtool, an independent RFC 6238 implementation, for the same seed and time. */
function oathtoolCode(seed: string, unixSeconds: number): string {
  const utc = new Date(unixSeconds * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  return execFileSync('oathtool', ['--totp', '-b', seed, '--now', utc], { encoding: 'utf8' }).trim();
}

function randomSeed(byteLength: number): string {
  return new ScureBase32Plugin().encode(randomBytes(byteLength));
}

function seedError(input: string): UsageError {
  try {
    normalizeTotpSeed(input);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('the seed was accepted');
}

describe('totpCode', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ])('gives the RFC 6238 Appendix B SHA-1 code at %i s (its last 6 digits)', (unixSeconds, code) => {
    expect(codeAt(RFC_SEED, unixSeconds)).toBe(code);
  });

  it('agrees with oathtool for random seeds and times', () => {
    for (const byteLength of [10, 20, 32, 40]) {
      const seed = randomSeed(byteLength);
      const unixSeconds = Math.floor(Math.random() * 4_000_000_000);
      expect(codeAt(seed, unixSeconds), `a ${byteLength}-byte seed at ${unixSeconds} s`).toBe(oathtoolCode(seed, unixSeconds));
    }
  });

  it('agrees with oathtool for a 64-character AWS-like seed', () => {
    expect(AWS_LIKE_SEED).toHaveLength(64);
    const unixSeconds = 1_790_000_000;
    expect(codeAt(AWS_LIKE_SEED, unixSeconds)).toBe(oathtoolCode(AWS_LIKE_SEED, unixSeconds));
  });

  it('gives the same code for the seed in lower case, grouped with spaces', () => {
    const pasted = AWS_LIKE_SEED.toLowerCase().replace(/(.{4})/g, '$1 ');
    expect(totpCode(pasted, 59_666_666)).toBe(totpCode(AWS_LIKE_SEED, 59_666_666));
  });

  it('changes at the step boundary and not within a step', () => {
    expect(codeAt(RFC_SEED, 1111111110)).toBe(codeAt(RFC_SEED, 1111111139));
    expect(codeAt(RFC_SEED, 1111111139)).not.toBe(codeAt(RFC_SEED, 1111111140));
  });

  it('refuses a bad seed with a usage error', () => {
    expect(() => totpCode('0000000000000000', 1)).toThrow(UsageError);
  });
});

describe('timeStepAt', () => {
  it('counts 30 s steps since the Unix epoch', () => {
    expect(TOTP_PERIOD_SECONDS).toBe(30);
    expect(timeStepAt(new Date(0))).toBe(0);
    expect(timeStepAt(new Date(29_999))).toBe(0);
    expect(timeStepAt(new Date(30_000))).toBe(1);
    expect(timeStepAt(new Date(1_111_111_109_000))).toBe(37_037_036);
  });
});

describe('normalizeTotpSeed', () => {
  it('keeps a canonical seed as it is', () => {
    expect(normalizeTotpSeed(RFC_SEED)).toBe(RFC_SEED);
    expect(normalizeTotpSeed(AWS_LIKE_SEED)).toBe(AWS_LIKE_SEED);
  });

  it.each([
    ['lower case', 'gezdgnbvgy3tqojqgezdgnbvgy3tqojq'],
    ['groups of four with spaces', 'GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ'],
    ['groups with dashes', 'GEZDGNBV-GY3TQOJQ-GEZDGNBV-GY3TQOJQ'],
    ['surrounding whitespace and a newline', '  GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n'],
  ])('accepts %s', (_form, input) => {
    expect(normalizeTotpSeed(input)).toBe(RFC_SEED);
  });

  it('drops = padding', () => {
    const padded = 'GEZDGNBVGY3TQOJQGE======';
    expect(normalizeTotpSeed(padded)).toBe('GEZDGNBVGY3TQOJQGE');
  });

  it('accepts an 80-bit seed of 16 characters', () => {
    expect(normalizeTotpSeed('GEZDGNBVGY3TQOJQ')).toBe('GEZDGNBVGY3TQOJQ');
  });

  it.each([
    ['empty', '', 'it is empty'],
    ['only spaces', '   ', 'it is empty'],
    ['a 0', 'GEZDGNBVGY3TQOJ0GEZDGNBVGY3TQOJQ', 'only the letters A-Z'],
    ['a 1', 'GEZDGNBVGY3TQOJ1GEZDGNBVGY3TQOJQ', 'only the letters A-Z'],
    ['an 8', '8EZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'only the letters A-Z'],
    ['padding in the middle', 'GEZDGNBV==GY3TQOJQ', 'only the letters A-Z'],
    ['an otpauth URI', 'otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ', 'only the letters A-Z'],
    ['15 characters (75 bits)', 'GEZDGNBVGY3TQOJ', 'shorter than 16 characters'],
    ['14 characters', 'GEZDGNBVGY3TQO', 'shorter than 16 characters'],
    ['8 characters', 'GEZDGNBV', 'shorter than 16 characters'],
    ['a length no bytes encode to', 'GEZDGNBVGY3TQOJQG', 'not valid base32'],
    ['stray bits in its last character', 'GEZDGNBVGY3TQOJQGF', 'not valid base32'],
    ['more than 512 bits', randomSeed(65), 'longer than 512 bits'],
  ])('refuses a seed that is %s, without repeating it', (_what, input, why) => {
    const error = seedError(input);
    expect(error.exitCode).toBe(2);
    expect(error.what).toBe('bad TOTP seed');
    expect(error.why).toContain(why);
    const line = error.toLine();
    for (const fragment of input.toUpperCase().match(/[A-Z2-7]{6,}/g) ?? []) expect(line.toUpperCase()).not.toContain(fragment);
  });
});
