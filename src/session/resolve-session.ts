import type { GetSessionTokenRequest, SessionTokenResult } from '../aws/sts.js';
import { UsageError } from '../cli/errors.js';
import type { Io } from '../cli/io.js';
import { formatDuration } from '../config/duration.js';
import type { ProfileSettings } from '../config/profile-settings.js';
import { resolveMfaCode } from '../mfa/code-source.js';
import { withLock } from '../store/lock.js';
import type { CachedSession, SessionCache, SessionOrigin } from '../store/session-cache.js';
import type { LongTermKeys, SessionCredentials } from './credentials.js';

/** Long enough for a person to read the prompt and type a code. */
const MAX_WAIT_FOR_OTHER_PROCESS_MS = 2 * 60 * 1000 + 10 * 1000;
/** Sessions shorter than this leave little time between refreshes: the user is told. */
const SHORT_SESSION_SECONDS = 30 * 60;

export interface SessionRequest {
  readonly settings: ProfileSettings;
  readonly force: boolean;
  readonly codeFlag: string | undefined;
}

export interface SessionDependencies {
  readonly io: Io;
  readonly cache: SessionCache;
  readonly getSessionToken: (request: GetSessionTokenRequest) => Promise<SessionTokenResult>;
}

export interface ResolvedSession {
  readonly credentials: SessionCredentials;
  readonly reused: boolean;
}

/**
 * The whole decision: a cached session with more than the refresh margin left is reused with no
 * prompt and no AWS call; otherwise exactly one process (under the profile's lock) prompts and
 * calls STS, and every process waiting on it reuses what it stored.
 */
export async function resolveSession(request: SessionRequest, deps: SessionDependencies): Promise<ResolvedSession> {
  const { settings } = request;
  if (!request.force) {
    const cached = await reusableSession(request, deps);
    if (cached) return { credentials: cached.credentials, reused: true };
  }
  // Before the lock: a profile that cannot get a session at all is refused without touching the cache.
  requireLongTermKeys(settings);
  requireMfaSerial(settings);
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
    return { credentials: await fetchAndCacheSession(request, deps), reused: false };
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

function whyNotReusable(cached: CachedSession, settings: ProfileSettings, now: Date): string | undefined {
  const secondsLeft = (cached.credentials.expiration.getTime() - now.getTime()) / 1000;
  if (secondsLeft <= settings.refreshMarginSeconds) return `${Math.max(0, Math.floor(secondsLeft))} s left`;
  if (settings.mfaSerial !== undefined && settings.mfaSerial !== cached.origin.mfaSerial) return 'another MFA device';
  if (cached.origin.keySource === 'file' && settings.fileKeys?.accessKeyId !== cached.origin.longTermKeyId) {
    return 'the long-term key changed';
  }
  return undefined;
}

async function fetchAndCacheSession(request: SessionRequest, deps: SessionDependencies): Promise<SessionCredentials> {
  const { settings } = request;
  const keys = requireLongTermKeys(settings);
  const mfaSerial = requireMfaSerial(settings);
  if (settings.durationSeconds < SHORT_SESSION_SECONDS) {
    deps.io.notice(
      `aws-mfa: note: a ${formatDuration(settings.durationSeconds)} session is refreshed ${formatDuration(settings.refreshMarginSeconds)} before it ends, so expect to be asked for a code often\n`,
    );
  }
  const tokenCode = await resolveMfaCode({ profile: settings.profile, mfaSerial, codeFlag: request.codeFlag }, deps.io);
  const { credentials } = await deps.getSessionToken({
    keys,
    serialNumber: mfaSerial,
    tokenCode,
    durationSeconds: settings.durationSeconds,
    target: settings.sts,
    env: deps.io.env,
    debug: deps.io.debug,
  });
  const origin: SessionOrigin = {
    profile: settings.profile,
    mfaSerial,
    keySource: 'file',
    longTermKeyId: keys.accessKeyId,
  };
  await deps.cache.write({ origin, credentials });
  return credentials;
}

function requireLongTermKeys(settings: ProfileSettings): LongTermKeys {
  if (settings.fileKeys) return settings.fileKeys;
  throw new UsageError(
    `no long-term keys for profile ${settings.profile}`,
    `no [${settings.longTermSectionName}] with keys in ${settings.credentialsFile.path}`,
    {
      hint: `put aws_access_key_id and aws_secret_access_key under [${settings.longTermSectionName}]`,
    },
  );
}

function requireMfaSerial(settings: ProfileSettings): string {
  if (settings.mfaSerial) return settings.mfaSerial;
  throw new UsageError(`no MFA device for profile ${settings.profile}`, 'no --mfa-serial, mfa_serial or aws_mfa_device found', {
    hint: `add mfa_serial = arn:aws:iam::ACCOUNT:mfa/USER to [${settings.configSectionName}] in ${settings.configFile.path}`,
  });
}
