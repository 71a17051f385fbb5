import { AwsCallError } from '../aws/aws-error.js';

/** Time and chance, injected so that tests neither wait nor depend on luck. */
export interface RetryTiming {
  now(): Date;
  sleep(milliseconds: number): Promise<void>;
  /** A number in [0, 1), as Math.random. */
  random(): number;
}

/** Tries of one call, each of them already up to 3 attempts by the SDK's own retry. */
export const MAX_TRIES = 5;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 20_000;

/**
 * `call`, tried again while AWS throttles it, after a "full jitter" backoff (a random wait up to
 * 1, 2, 4, 8 s): many accounts audited at once then spread their retries instead of throttling
 * together again. A wait that would end after `deadline` is not begun: the throttling is reported.
 */
export async function retryWhenThrottled<T>(call: () => Promise<T>, timing: RetryTiming, deadline: Date): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof AwsCallError && error.kind === 'throttled') || tries >= MAX_TRIES) throw error;
      const delay = Math.floor(timing.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (tries - 1)));
      if (timing.now().getTime() + delay > deadline.getTime()) throw error;
      await timing.sleep(delay);
    }
  }
}
