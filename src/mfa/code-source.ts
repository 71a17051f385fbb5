import { createHash } from 'node:crypto';
import { AwsCallError } from '../aws/aws-error.js';
import { describeClockSkew } from '../aws/clock-skew.js';
import { validateMfaCode } from '../config/validate.js';
import { AwsMfaError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { MfaPrompts, PromptName } from '../prompt/mfa-prompt.js';
import { pickMfaPrompt } from '../prompt/pick-mfa-prompt.js';
import { runMfaProcess } from './mfa-process.js';
import { claimTimeStep } from './step-guard.js';
import { TOTP_PERIOD_SECONDS, totpCode } from './totp.js';

export interface MfaCodeRequest {
  readonly profile: string;
  readonly mfaSerial: string;
  /** `--code`, already typed by the user. */
  readonly codeFlag: string | undefined;
  /** The TOTP seed stored in the keychain with the profile's keys. */
  readonly totpSeed: string | undefined;
  /** `mfa_process` of the config profile. */
  readonly mfaProcess: string | undefined;
  /** How to ask when nothing else gives the code: `--prompt`, else `aws_mfa_prompt`, else auto. */
  readonly prompt: PromptName;
}

export interface MfaCodeDependencies {
  readonly io: Io;
  readonly cacheDirectory: string;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface ResolveMfaCodeDependencies extends MfaCodeDependencies {
  readonly mfaPrompts: MfaPrompts;
}

export type MfaCodeOrigin = 'flag' | 'seed' | 'mfa_process' | 'prompt';

export interface MfaCode {
  readonly code: string;
  readonly origin: MfaCodeOrigin;
}

/** The MFA code sources in order: --code, the stored TOTP seed, mfa_process, a prompt (terminal or dialog). */
export async function resolveMfaCode(request: MfaCodeRequest, deps: ResolveMfaCodeDependencies): Promise<MfaCode> {
  if (request.codeFlag !== undefined) return { code: validateMfaCode(request.codeFlag, '--code'), origin: 'flag' };
  if (request.totpSeed !== undefined) return { code: (await codeFromSeed(request.totpSeed, deps)).code, origin: 'seed' };
  if (request.mfaProcess !== undefined) {
    const code = await runMfaProcess(request.mfaProcess, { env: deps.io.env, debug: deps.io.debug });
    return { code, origin: 'mfa_process' };
  }
  const ask = pickMfaPrompt(request.prompt, deps.mfaPrompts);
  return { code: validateMfaCode(await ask({ profile: request.profile, mfaSerial: request.mfaSerial }), 'the prompt'), origin: 'prompt' };
}

/**
 * A code for a time step never used before for this device: AWS refuses a code twice. The device
 * is known by a hash of its seed, which every command that computes codes has (the serial may be
 * discovered later, or differ between profiles sharing a device).
 */
export async function codeFromSeed(totpSeed: string, deps: MfaCodeDependencies): Promise<{ code: string; validUntil: Date }> {
  const deviceId = `totp-seed:${createHash('sha256').update(totpSeed).digest('hex')}`;
  const step = await claimTimeStep(deviceId, {
    cacheDirectory: deps.cacheDirectory,
    now: () => deps.io.now(),
    sleep: deps.sleep,
    notice: (text) => deps.io.notice(text),
    debug: (line) => deps.io.debug(line),
  });
  return { code: totpCode(totpSeed, step), validUntil: new Date((step + 1) * TOTP_PERIOD_SECONDS * 1000) };
}

/** A wrong code computed from the stored seed means a skewed clock or a seed of another device. */
export function withSeedHint(error: unknown, code: MfaCode, profile: string, now: Date): unknown {
  if (code.origin !== 'seed' || !(error instanceof AwsCallError) || error.kind !== 'wrong-mfa-code') return error;
  const skew = describeClockSkew(error.serverDate, now);
  const hint =
    error.serverDate === undefined
      ? "the code came from the stored TOTP seed: check this computer's clock"
      : skew !== undefined
        ? `the code came from the stored TOTP seed, and ${skew}: sync it`
        : `the code came from the stored TOTP seed and the clocks agree: the seed may belong to another device (store the right one with \`aws-mfa add ${profile} --totp\`)`;
  return new AwsMfaError(error.what, error.why, { hint, exitCode: error.exitCode, cause: error });
}
