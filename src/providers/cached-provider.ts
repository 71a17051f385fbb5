import { AwsMfaError, UsageError } from '../core/errors.js';
import { describeFileError } from '../core/file-errors.js';
import type { Io } from '../core/io.js';
import type { CachedSession, SessionCache } from '../store/session-cache.js';
import { type ExpectedSession, whyNotReusable } from './session-fit.js';

/** Long enough for a person to read the prompt and type a code. */
const MAX_WAIT_FOR_OTHER_PROCESS_MS = 2 * 60 * 1000 + 10 * 1000;

/** A session, and whether it came from the cache as it was. */
export interface ProvidedSession extends CachedSession {
  readonly reused: boolean;
}

/**
 * A provider of one hop's session. `prepare` checks what can be checked before any lock is taken
 * (keys to be found, for one): a refusal then writes nothing.
 */
export interface SessionProvider {
  (): Promise<ProvidedSession>;
  prepare(): Promise<void>;
}

export interface CachedHop {
  /** The profile whose session this is: it names the cache file and the lock. */
  readonly profile: string;
  readonly expected: ExpectedSession;
  readonly refreshMarginSeconds: number;
  /** Get a new session even when the cached one could be served. */
  readonly force: boolean;
  /** What must hold before the lock is taken (the source's own preparation included). */
  readonly prepare: () => Promise<void>;
  /** Makes a new session; given the cached one that could not be served, if any. */
  readonly fetch: (stale: CachedSession | undefined) => Promise<CachedSession>;
}

export interface CacheDependencies {
  readonly io: Io;
  readonly cache: SessionCache;
}

/**
 * The one cache and single-flight wrapper around every provider (aws-vault's cached session
 * provider, with a lock): a cached session with more than the refresh margin left is served with
 * no lock and no AWS call; otherwise exactly one process, under the profile's lock, makes a new one
 * and caches it, and the processes waiting for it serve what it cached. When it fails, they report
 * its failure at once (store/lock-failure.ts) rather than each asking for a code again. In one
 * process, calls made while a session is being made share it.
 */
export function cachedProvider(hop: CachedHop, deps: CacheDependencies): SessionProvider {
  let inFlight: Promise<ProvidedSession> | undefined;
  const reusable = async (cached: CachedSession | undefined): Promise<CachedSession | undefined> => {
    if (!cached) return undefined;
    const why = whyNotReusable(cached, hop.expected, hop.refreshMarginSeconds, deps.io.now());
    if (why) {
      deps.io.debug(`cached session for ${hop.profile} not reused: ${why}`);
      return undefined;
    }
    deps.io.debug(`reusing cached session for ${hop.profile}, expires ${cached.credentials.expiration.toISOString()}`);
    return cached;
  };
  const provide = async (): Promise<ProvidedSession> => {
    if (!hop.force) {
      const cached = await reusable(await deps.cache.read(hop.profile));
      if (cached) return { ...cached, reused: true };
    }
    await hop.prepare();
    return underLock(hop, deps, reusable);
  };
  const provider = () => {
    inFlight ??= provide().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  provider.prepare = async () => {
    if (hop.force || !(await reusable(await deps.cache.read(hop.profile)))) await hop.prepare();
  };
  return provider;
}

async function underLock(
  hop: CachedHop,
  deps: CacheDependencies,
  reusable: (cached: CachedSession | undefined) => Promise<CachedSession | undefined>,
): Promise<ProvidedSession> {
  const lockPath = deps.cache.lockPathFor(hop.profile);
  const waitingSince = Date.now();
  let waited = false;
  const reportHoldersFailure = async () => {
    const failure = deps.cache.failureSince(hop.profile, waitingSince);
    if (failure) throw new PassedOnFailure(failure);
  };
  const lockOptions = {
    purpose: `getting a session for ${hop.profile}`,
    maxWaitMs: MAX_WAIT_FOR_OTHER_PROCESS_MS,
    onWait: () => {
      waited = true;
      deps.io.notice(`aws-mfa: waiting for another aws-mfa to get a session for ${hop.profile}\n`);
    },
    whileWaiting: reportHoldersFailure,
    debug: deps.io.debug,
  };
  // Imported here: a cached answer takes no lock, and the lock's modules then stay unloaded.
  const { withLock } = await import('../store/lock.js');
  return withLock(lockPath, lockOptions, async (): Promise<ProvidedSession> => {
    if (waited) await reportHoldersFailure();
    const stale = await deps.cache.read(hop.profile);
    const refreshedMeanwhile = hop.force ? undefined : await reusable(stale);
    if (refreshedMeanwhile) return { ...refreshedMeanwhile, reused: true };
    let fresh: CachedSession;
    try {
      fresh = await hop.fetch(stale);
    } catch (error) {
      // A refusal (exit 2) repeats in a waiter without a prompt or an AWS call: only failures are passed on.
      if (error instanceof AwsMfaError && !(error instanceof UsageError)) {
        await deps.cache
          .recordFailure(hop.profile, error)
          .catch((recordError: unknown) => deps.io.debug(`recording the failure: ${String(recordError)}`));
      }
      throw error;
    }
    await cacheSession(fresh, deps);
    await deps.cache
      .clearFailure(hop.profile)
      .catch((clearError: unknown) => deps.io.debug(`clearing a failure record: ${String(clearError)}`));
    return { ...fresh, reused: false };
  }).catch((error: unknown) => {
    throw error instanceof PassedOnFailure ? error.failure : error;
  });
}

/** The failure of the process this one waited for, on its way out of the lock. */
class PassedOnFailure extends AwsMfaError {
  override name = 'PassedOnFailure';

  constructor(readonly failure: AwsMfaError) {
    super(failure.what, failure.why, { exitCode: failure.exitCode });
  }
}

/** A session that STS issued is used even when it cannot be cached: the code that got it cannot be used again. */
async function cacheSession(session: CachedSession, deps: CacheDependencies): Promise<void> {
  try {
    await deps.cache.write(session);
  } catch (error) {
    const why = describeFileError(error);
    deps.io.notice(
      `aws-mfa: could not cache the session of ${session.definition.profile} (${why}): the next run will ask for a code again\n`,
    );
  }
}
