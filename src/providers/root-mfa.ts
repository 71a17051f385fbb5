import { formatDuration } from '../config/duration.js';
import type { ProfileSettings } from '../config/profile-settings.js';
import { UsageError } from '../core/errors.js';
import { noticeOnce } from '../core/io.js';
import type { MfaCode } from '../mfa/code-source.js';
import type { RootKeys } from '../store/session-cache.js';
import type { SessionDependencies } from './dependencies.js';
import type { KeySource } from './key-source.js';

/** Sessions shorter than this leave little time between refreshes: the user is told. */
const SHORT_SESSION_SECONDS = 30 * 60;

/** How a session command asks for the root's MFA: the flags that say where the code and serial come from. */
export interface MfaOptions {
  /** `--code`, already typed by the user. */
  readonly codeFlag: string | undefined;
  /** Record a discovered MFA serial as mfa_serial in the config profile. */
  readonly saveDiscoveredSerial: boolean;
}

/** The root's long-term keys, its device and a code for it: what GetSessionToken, or AssumeRole with MFA, is sent. */
export interface RootMfaCall {
  readonly source: KeySource;
  readonly rootKeys: RootKeys;
  readonly code: MfaCode;
}

/**
 * The root of a chain: its keys are looked up once (before any lock, so that a profile without
 * keys is refused with nothing written), then, for each call that needs one, its serial and a code.
 */
export class RootMfa {
  #source: Promise<KeySource> | undefined;

  constructor(
    readonly settings: ProfileSettings,
    private readonly options: MfaOptions,
    private readonly deps: SessionDependencies,
    /** The role profile that names this root as its source, for the error of a missing one. */
    private readonly sourceOf: string | undefined,
  ) {}

  keySource(): Promise<KeySource> {
    this.#source ??= (async () => {
      const { resolveKeySource } = await import('./key-source.js');
      return resolveKeySource(this.settings, this.deps.openProfileKeychain, this.deps.io.debug).catch((error: unknown) => {
        throw this.sourceOf !== undefined && error instanceof UsageError && error.what.startsWith('unknown profile')
          ? unknownSourceProfile(error, this.settings.profile, this.sourceOf)
          : error;
      });
    })();
    return this.#source;
  }

  /** The keys, the serial and a fresh code, for a session of `durationSeconds`. */
  async prepareCall(durationSeconds: number): Promise<RootMfaCall> {
    const { settings, deps } = this;
    // Imported here: the cached path must not pay for TOTP, prompts or IAM.
    const [source, { resolveDeviceSerial }, { resolveMfaCode }] = await Promise.all([
      this.keySource(),
      import('./mfa-serial.js'),
      import('../mfa/code-source.js'),
    ]);
    const mfaSerial = await resolveDeviceSerial(settings, source, this.options.saveDiscoveredSerial, deps);
    if (durationSeconds < SHORT_SESSION_SECONDS) {
      noticeOnce(
        deps.io,
        `aws-mfa: note: a ${formatDuration(durationSeconds)} session is refreshed ${formatDuration(settings.refreshMarginSeconds)} before it ends, so expect to be asked for a code often\n`,
      );
    }
    const code = await resolveMfaCode(
      {
        profile: settings.profile,
        mfaSerial,
        codeFlag: this.options.codeFlag,
        totpSeed: source.totpSeed,
        mfaProcess: settings.mfaProcess,
        prompt: settings.mfaPrompt,
      },
      deps,
    );
    const rootKeys: RootKeys = { profile: settings.profile, mfaSerial, keySource: source.origin, longTermKeyId: source.keys.accessKeyId };
    return { source, rootKeys, code };
  }
}

/** A root found nowhere, said as the source_profile of the role that names it: where the typo most likely is. */
export function unknownSourceProfile(unknown: UsageError, source: string, sourceOf: string): UsageError {
  return new UsageError(`unknown source_profile '${source}' of ${sourceOf}`, unknown.why, { hint: unknown.hint, cause: unknown });
}
