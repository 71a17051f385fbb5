import { createHash } from 'node:crypto';
import path from 'node:path';
import { AwsMfaError } from '../core/errors.js';
import { describeFileError } from '../core/file-errors.js';
import { withLock } from '../store/lock.js';
import { PrivateFiles } from '../store/private-files.js';
import { TOTP_PERIOD_SECONDS, timeStepAt } from './totp.js';

/** Room for a few other processes ahead of this one, each waiting out a step of its own. */
const MAX_WAIT_FOR_OTHER_CLAIMS_MS = 150_000;
/**
 * A step recorded further ahead of the clock than this was claimed with a clock that was wrong
 * then (so AWS refused its code) or is wrong now (so AWS will refuse any code): waiting for it
 * could take hours and would not help.
 */
const MAX_STEPS_AHEAD_TO_WAIT_FOR = 2;
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
const RECORDED_STEP = /^\d+\n?$/;
/** A time step is a few digits: more is not a record of ours, and is read no further. */
const MAX_STATE_FILE_BYTES = 1024;

export interface StepGuardDependencies {
  cacheDirectory: string;
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** For the user, even under credential_process (see Io.notice). */
  notice(text: string): void;
  debug?(line: string): void;
}

/**
 * The TOTP time step to make a code for: never one already claimed for this device (`deviceId`,
 * which names it without revealing its seed) by any
 * aws-mfa process (AWS refuses a code twice), waiting for the next step when needed. The step is
 * recorded before the code is sent, since a failed STS call may still have consumed it.
 */
export async function claimTimeStep(deviceId: string, deps: StepGuardDependencies): Promise<number> {
  const stem = createHash('sha256').update(deviceId, 'utf8').digest('hex').slice(0, 32);
  const files = new PrivateFiles(deps.cacheDirectory);
  const lockPath = path.join(deps.cacheDirectory, 'locks', `totp-${stem}.lock`);
  const stateFile = path.join(deps.cacheDirectory, 'totp-steps', stem);
  files.ensureFolder(path.dirname(lockPath));
  const lockOptions = {
    purpose: 'making an MFA code from the seed',
    maxWaitMs: MAX_WAIT_FOR_OTHER_CLAIMS_MS,
    onWait: () => deps.notice('aws-mfa: waiting for another aws-mfa using the same MFA device\n'),
    debug: (line: string) => deps.debug?.(line),
  };
  return withLock(lockPath, lockOptions, async () => {
    const step = await firstUnusedStep(readLastUsedStep(files, stateFile, deps), deps);
    await recordStep(files, stateFile, step);
    deps.debug?.(`claimed TOTP time step ${step} for device ${stem}`);
    return step;
  });
}

async function firstUnusedStep(lastUsed: number | undefined, deps: StepGuardDependencies): Promise<number> {
  let step = timeStepAt(deps.now());
  if (lastUsed === undefined || step > lastUsed) return step;
  if (lastUsed - step > MAX_STEPS_AHEAD_TO_WAIT_FOR) {
    const secondsAhead = (lastUsed - step) * TOTP_PERIOD_SECONDS;
    deps.notice(`aws-mfa: an MFA code was made for a time about ${secondsAhead}s ahead of this clock; check the system clock\n`);
    return step;
  }
  const nextStepStartMs = (lastUsed + 1) * STEP_MS;
  const waitSeconds = Math.ceil((nextStepStartMs - deps.now().getTime()) / 1000);
  deps.notice(`aws-mfa: the MFA code for this 30 s step was already used; waiting ${waitSeconds}s for the next one\n`);
  while (step <= lastUsed) {
    await deps.sleep(Math.max(0, nextStepStartMs - deps.now().getTime()));
    step = timeStepAt(deps.now());
  }
  return step;
}

/** A missing or corrupt record counts as no step used: the worst outcome is one refused code. */
function readLastUsedStep(files: PrivateFiles, stateFile: string, deps: StepGuardDependencies): number | undefined {
  const bytes = files.read(stateFile, MAX_STATE_FILE_BYTES);
  if (bytes === undefined) return undefined;
  const text = bytes === 'too-large' ? '' : bytes.toString('utf8');
  const step = RECORDED_STEP.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(step)) return step;
  deps.debug?.(`ignoring ${stateFile}: it holds no time step`);
  return undefined;
}

async function recordStep(files: PrivateFiles, stateFile: string, step: number): Promise<void> {
  try {
    await files.write(stateFile, `${step}\n`);
  } catch (error) {
    if (error instanceof AwsMfaError) throw error;
    throw new AwsMfaError(`cannot write ${stateFile}`, describeFileError(error), {
      hint: 'aws-mfa records there which MFA codes it used, as AWS refuses a code twice',
      cause: error,
    });
  }
}
