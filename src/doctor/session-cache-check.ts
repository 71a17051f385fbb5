import { formatExpiration } from '../core/credentials.js';
import type { CachedSession } from '../store/session-cache.js';
import { type CheckResult, passed } from './check-result.js';

const CHECK = 'cached session';

/** The cached session is a convenience: none, or an expired one, only means the next command asks for a code. */
export function checkCachedSession(session: CachedSession | undefined, refreshMarginSeconds: number, now: Date): CheckResult {
  if (!session) return passed(CHECK, 'none: the next command asks for an MFA code');
  const expiration = session.credentials.expiration;
  const leftSeconds = (expiration.getTime() - now.getTime()) / 1000;
  if (leftSeconds <= 0) return passed(CHECK, `expired at ${formatExpiration(expiration)}: the next command asks for an MFA code`);
  const minutes = Math.floor(leftSeconds / 60);
  const renewal = leftSeconds <= refreshMarginSeconds ? ' (within the refresh margin: the next command renews it)' : '';
  return passed(CHECK, `valid until ${formatExpiration(expiration)}, ${minutes} min left${renewal}`);
}
