import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { RunWindow } from './session-fixtures.js';

/** RFC 6238 as AWS's virtual MFA devices use it: 30 s steps. */
export const STEP_SECONDS = 30;
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A fresh 160-bit base32 seed (32 characters), as CreateVirtualMFADevice hands out. */
export function randomSeed(): string {
  const bytes = randomBytes(20);
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let seed = '';
  for (let index = 0; index < bits.length; index += 5) seed += BASE32_ALPHABET[Number.parseInt(bits.slice(index, index + 5), 2)];
  return seed;
}

/** The time step of a moment in ms. */
export function stepAt(ms: number): number {
  return Math.floor(ms / 1000 / STEP_SECONDS);
}

/** The code that oathtool, an independent RFC 6238 implementation, computes for one time step. */
export function oathtoolCode(seed: string, step: number): string {
  return execFileSync('oathtool', ['--totp', '-b', seed, '--now', `@${step * STEP_SECONDS}`], { encoding: 'utf8' }).trim();
}

/**
 * The time step whose oathtool code is `code`, searched from one step before `window` to one step
 * after it (a clock reading on a step boundary); undefined when none matches.
 */
export function stepOfCode(seed: string, code: string | null | undefined, window: RunWindow): number | undefined {
  if (code === null || code === undefined) return undefined;
  for (let step = stepAt(window.startMs) - 1; step <= stepAt(window.endMs) + 1; step++) {
    if (oathtoolCode(seed, step) === code) return step;
  }
  return undefined;
}
