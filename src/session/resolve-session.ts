import type { GetSessionTokenRequest, SessionTokenResult } from '../aws/sts.js';
import { formatDuration } from '../config/duration.js';
import type { ProfileSettings } from '../config/profile-settings.js';
import { describeFileError } from '../core/file-errors.js';
import type { Io } from '../core/io.js';
import type { MfaPrompts } from '../prompt/mfa-prompt.js';
import { withLock } from '../store/lock.js';
import type { ProfileKeychain } from '../store/profile-keychain.js';
import type { CachedSession, SessionCache } from '../store/session-cache.js';
import type { SessionCredentials } from './credentials.js';
import type { KeySource } from './key-source.js';
import type { ListMfaDevices } from './mfa-serial.js';

/** Long enough for a person to read the prompt and type a code. */
const MAX_WAIT_FOR_OTHER_PROCESS_MS = 2 * 60 * 1000 + 10 * 1000;
/** Sessions shorter than this leave little time between refreshes: the user is told. */
const SHORT_SESSION_SECONDS = 30 * 60;

export interface SessionRequest {
  readonly settings: ProfileSettings;
  readonly force: boolean;
  readonly codeFlag: string | undefined;
  /** Record a discovered MFA serial as mfa_serial in the config profile. */
  readonly saveDiscoveredSerial?: boolean;
}

export interface SessionDependencies {
  readonly io: Io;
  readonly cache: SessionCache;
  readonly cacheDirectory: string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly openProfileKeychain: () => Promise<ProfileKeychain>;
  readonly getSessionToken: (request: GetSessionTokenRequest) => Promise<SessionTokenResult>;
  readonly listMfaDevices: ListMfaDevices;
  /** The prompts that `--prompt` and `aws_mfa_prompt` pick from by name. */
  readonly mfaPrompts: MfaPrompts;
}

export interface ResolvedSession {
  readonly credentials: SessionCredentials;
  readonly reused: boolean;
}

/**
 * The whole decision: a cached session with more than the refresh margin left is reused with no
 * prompt and no AWS call; otherwise exactly one process (under the profile's lock) gets a code and
 * calls STS, and every process waiting on it reuses what it stored.
 */
export async function resolveSession(request: SessionRequest, deps: SessionDependencies): Promise<ResolvedSession> {
  const { settings } = request;
  if (!request.force) {
    const cached = await reusableSession(request, deps);
    if (cached) return { credentials: cached.credentials, reused: true };
  }
  // Before the lock: a profile with no keys is refused without touching the cache.
  const { resolveKeySource } = await import('./key-source.js');
  const source = await resolveKeySource(settings, deps.openProfileKeychain, deps.io.debug);
  const lockOptions = {
    purpose: `getting a session for ${settings.profile}`,
    maxWaitMs: MAX_WAIT_FOR_OTHER_PROCESS_MS,
    onWait: () => deps.io.notice(`aws-mfa: waiting for another aws-mfa to get a session for ${settings.profile}\n`),
    debug: deps.io.debug,
  };
  return withLock(deps.cache.lockPathFor(settings.profile), lockOptions, async () => {
    if (!request.force) {
      const refreshedMeanwhile = await reusableSession(request, deps);
      if (refreshedMeanwhile) return { credentials: refreshedMeanwhile.credentials, reused: true };
    }
    return { credentials: await fetchAndCacheSession(request, source, deps), reused: false };
  });
}

async function reusableSession(request: SessionRequest, deps: SessionDependencies): Promise<CachedSession | undefined> {
  const cached = await deps.cache.read(request.settings.profile);
  if (!cached) return undefined;
  const why = whyNotReusable(cached, request.settings, deps.io.now());
  if (why) {
    deps.io.debug(`cached session for ${request.settings.profile} not reused: ${why}`);
    return undefined;
  }
  deps.io.debug(`reusing cached session for ${request.settings.profile}, expires ${cached.credentials.expiration.toISOString()}`);
  return cached;
}

/** The cached path sees only the files: keychain changes drop the cache instead (add, remove, rotate). */
function whyNotReusable(cached: CachedSession, settings: ProfileSettings, now: Date): string | undefined {
  const secondsLeft = (cached.credentials.expiration.getTime() - now.getTime()) / 1000;
  if (secondsLeft <= settings.refreshMarginSeconds) return `${Math.max(0, Math.floor(secondsLeft))} s left`;
  if (settings.mfaSerial !== undefined && settings.mfaSerial !== cached.origin.mfaSerial) return 'another MFA device';
  if (cached.origin.keySource === 'file' && settings.fileKeys?.accessKeyId !== cached.origin.longTermKeyId) {
    return 'the long-term key changed';
  }
  return undefined;
}

async function fetchAndCacheSession(request: SessionRequest, source: KeySource, deps: SessionDependencies): Promise<SessionCredentials> {
  const { settings } = request;
  // Imported here: the cached path must not pay for TOTP, prompts or IAM.
  const [{ resolveMfaSerial }, { resolveMfaCode, withSeedHint }] = await Promise.all([
    import('./mfa-serial.js'),
    import('../mfa/code-source.js'),
  ]);
  const mfaSerial = await resolveMfaSerial(settings, source, request.saveDiscoveredSerial ?? false, deps);
  if (settings.durationSeconds < SHORT_SESSION_SECONDS) {
    deps.io.notice(
      `aws-mfa: note: a ${formatDuration(settings.durationSeconds)} session is refreshed ${formatDuration(settings.refreshMarginSeconds)} before it ends, so expect to be asked for a code often\n`,
    );
  }
  const code = await resolveMfaCode(
    {
      profile: settings.profile,
      mfaSerial,
      codeFlag: request.codeFlag,
      totpSeed: source.totpSeed,
      mfaProcess: settings.mfaProcess,
      prompt: settings.mfaPrompt,
    },
    deps,
  );
  const { credentials } = await deps
    .getSessionToken({
      keys: source.keys,
      serialNumber: mfaSerial,
      tokenCode: code.code,
      durationSeconds: settings.durationSeconds,
      target: settings.sts,
      env: deps.io.env,
      debug: deps.io.debug,
    })
    .catch((error: unknown) => {
      throw withSeedHint(error, code, settings.profile, deps.io.now());
    });
  await cacheSession(
    { origin: { profile: settings.profile, mfaSerial, keySource: source.origin, longTermKeyId: source.keys.accessKeyId }, credentials },
    deps,
  );
  return credentials;
}

/** A session that STS issued is used even when it cannot be cached: the code that got it cannot be used again. */
async function cacheSession(session: CachedSession, deps: SessionDependencies): Promise<void> {
  try {
    await deps.cache.write(session);
  } catch (error) {
    const why = describeFileError(error);
    deps.io.notice(`aws-mfa: could not cache the session of ${session.origin.profile} (${why}): the next run will ask for a code again\n`);
  }
}
