import { parseSessionDuration } from '../config/duration.js';
import { loadProfileSettings, type ProfileSettings, selectProfileName } from '../config/profile-settings.js';
import { validateMfaCode, validateMfaSerial, validateProfileName } from '../config/validate.js';
import type { Io } from '../core/io.js';
import { parsePromptName } from '../prompt/mfa-prompt.js';
import { sessionDependencies } from './dependencies.js';
import { type ResolvedSession, resolveSession } from './resolve-session.js';

/** The options every session command (login, credential-process, env, exec) takes. */
export interface SessionOptions {
  readonly profile?: string | undefined;
  readonly mfaSerial?: string | undefined;
  readonly code?: string | undefined;
  readonly duration?: string | undefined;
  /** How to ask for the MFA code: auto, terminal or dialog. */
  readonly prompt?: string | undefined;
  readonly force?: boolean | undefined;
  /** Save a discovered MFA serial as mfa_serial in the config profile. */
  readonly save?: boolean | undefined;
}

export interface ProfileSession extends ResolvedSession {
  readonly settings: ProfileSettings;
}

/** Validates the options, reads the profile's settings and gets its session. */
export async function sessionForProfile(
  options: SessionOptions,
  io: Io,
  checkSettings: (settings: ProfileSettings) => void = () => {},
): Promise<ProfileSession> {
  const profile = validateProfileName(selectProfileName(options.profile, io.env));
  // Flags first: a typo in one is reported as such, whatever the files say.
  if (options.code !== undefined) validateMfaCode(options.code, '--code');
  if (options.duration !== undefined) parseSessionDuration(options.duration, '--duration');
  if (options.mfaSerial !== undefined) validateMfaSerial(options.mfaSerial, '--mfa-serial');
  if (options.prompt !== undefined) parsePromptName(options.prompt, '--prompt');
  const settings = await loadProfileSettings(profile, options, io.env);
  checkSettings(settings);
  const session = await resolveSession(
    { settings, force: options.force ?? false, codeFlag: options.code, saveDiscoveredSerial: options.save ?? false },
    sessionDependencies(io),
  );
  return { ...session, settings };
}
