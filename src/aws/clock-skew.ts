/** TOTP steps are 30 s, and AWS accepts about one either way: a clock further off than that produces wrong codes. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * How far this computer's clock is from AWS's (the Date of a response), when it is too far for
 * codes and signatures: `this computer’s clock is 42 s ahead of AWS’s`. Undefined when the clocks
 * agree or AWS's is unknown.
 */
export function describeClockSkew(serverDate: Date | undefined, now: Date): string | undefined {
  if (serverDate === undefined) return undefined;
  const skewSeconds = Math.round((now.getTime() - serverDate.getTime()) / 1000);
  if (Math.abs(skewSeconds) < CLOCK_TOLERANCE_SECONDS) return undefined;
  return `this computer’s clock is ${Math.abs(skewSeconds)} s ${skewSeconds > 0 ? 'ahead of' : 'behind'} AWS’s`;
}
