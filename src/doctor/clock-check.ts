import { AwsMfaError } from '../core/errors.js';
import { type CheckResult, failed, failedWith, passed, warned } from './check-result.js';

const CHECK = 'clock';
/** A TOTP code lives 30 s: from there a code made here may already be refused. */
const WARN_SECONDS = 30;
/** AWS refuses signatures beyond 5 min; at 2 min codes from a seed are refused every time. */
const FAIL_SECONDS = 120;

/** The HTTP Date of an unsigned request to a URL: no credential is needed for it. */
export type FetchServerDate = (url: string) => Promise<Date>;

/** The local clock against STS's: TOTP codes from a seed, and signatures, depend on it. */
export async function checkClock(url: string, fetchServerDate: FetchServerDate, now: () => Date): Promise<CheckResult> {
  const before = now().getTime();
  let serverDate: Date;
  try {
    serverDate = await fetchServerDate(url);
  } catch (error) {
    if (!(error instanceof AwsMfaError)) throw error;
    return failedWith(CHECK, error);
  }
  const local = (before + now().getTime()) / 2;
  return judgeSkew((local - serverDate.getTime()) / 1000);
}

/** skewSeconds: how far the local clock is ahead of STS's (negative: behind). */
export function judgeSkew(skewSeconds: number): CheckResult {
  const size = Math.abs(skewSeconds);
  const said = `${Math.round(size)} s ${skewSeconds >= 0 ? 'ahead of' : 'behind'} STS's`;
  const fix = 'synchronise the clock (NTP: e.g. `timedatectl set-ntp true`, or the system settings)';
  if (size >= FAIL_SECONDS) return failed(CHECK, `${said}: TOTP codes made here are refused`, fix);
  if (size >= WARN_SECONDS) return warned(CHECK, `${said}: TOTP codes made here may be refused`, fix);
  return passed(CHECK, `within ${size < 2 ? '1' : Math.ceil(size)} s of STS's`);
}
