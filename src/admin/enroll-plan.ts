import type { AwsCredentials } from '../aws/client-options.js';
import { getUser, principalOf } from '../aws/iam.js';
import { getCallerIdentity } from '../aws/sts.js';
import { type ProfileSettings, selectProfileName } from '../config/profile-settings.js';
import { validateProfileName } from '../config/validate.js';
import type { SessionCredentials } from '../core/credentials.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { resolveKeySource } from '../providers/key-source.js';
import type { SessionOptions } from '../providers/session-for-profile.js';
import type { KeychainProfile, ProfileKeychain } from '../store/profile-keychain.js';
import { requireTerminalForSeed } from './enroll-display.js';
import { loadKeyHolderSettings } from './key-holder-profile.js';

export interface EnrollOptions extends SessionOptions {
  /** The IAM user to enrol; the calling user when undefined. */
  readonly user?: string | undefined;
  /** The virtual MFA device's name; the user name when undefined. */
  readonly deviceName?: string | undefined;
  /** Draw the QR code on the terminal. */
  readonly qr: boolean;
  /** Store the seed with the profile's keys; else show it once. */
  readonly store: boolean;
}

export interface EnrollPlanDependencies {
  readonly io: Io;
  readonly openProfileKeychain: () => Promise<ProfileKeychain>;
  /** The profile's MFA session, reused or obtained as login gets it. */
  readonly mfaSession: () => Promise<SessionCredentials>;
}

/** Everything decided before anything is created in AWS. */
export interface EnrollPlan {
  readonly settings: ProfileSettings;
  readonly account: string;
  readonly userName: string;
  /** The profile's own user: its config profile (and keychain item) then name the new device. */
  readonly self: boolean;
  readonly deviceName: string;
  readonly store: boolean;
  readonly qr: boolean;
  readonly credentials: AwsCredentials;
  readonly authentication: 'long-term keys' | 'MFA session';
  /** The profile's keychain item as it was, when enrolling updates it: restored if enrolment fails. */
  readonly keychainItem: KeychainProfile | undefined;
}

/** IAM's pattern for user and virtual MFA device names. */
const IAM_NAME = /^[\w+=,.@-]+$/;
const MAX_USER_NAME_LENGTH = 64;
const MAX_DEVICE_NAME_LENGTH = 226;

/**
 * Checks what can be checked before creating a device, and chooses the credentials: the
 * long-term keys for a user enrolling themselves with no MFA device configured (the self-service
 * policy allows that), the profile's MFA session otherwise.
 */
export async function planEnrollment(options: EnrollOptions, deps: EnrollPlanDependencies): Promise<EnrollPlan> {
  const { io } = deps;
  const profile = validateProfileName(selectProfileName(options.profile, io.env));
  if (options.user !== undefined) validateIamName(options.user, '--user', MAX_USER_NAME_LENGTH);
  if (options.deviceName !== undefined) validateIamName(options.deviceName, '--device-name', MAX_DEVICE_NAME_LENGTH);
  const settings = await loadKeyHolderSettings(profile, options, io.env, {
    what: `cannot enrol an MFA device with profile ${profile}`,
    command: 'enroll',
  });
  const source = await resolveKeySource(settings, deps.openProfileKeychain, io.debug);
  const caller = await getCallerIdentity({ credentials: source.keys, target: settings.sts, env: io.env, debug: io.debug });
  const target = targetUser(caller.arn, options.user, profile);
  if (!target.self && options.store) {
    throw new UsageError(`cannot store the seed of ${target.userName}'s device`, `profile ${profile} holds the keys of another user`, {
      hint: `pass --no-store to enrol ${target.userName}: the seed is then shown once`,
    });
  }
  const keychainItem = target.self && source.origin === 'keychain' ? await (await deps.openProfileKeychain()).get(profile) : undefined;
  if (target.self && options.store && !keychainItem) {
    throw new UsageError(
      `cannot store the seed with profile ${profile}`,
      `its keys are in [${settings.longTermSectionName}], not in the keychain`,
      {
        hint: `move them there with \`aws-mfa add ${profile} --import\`, or pass --no-store`,
      },
    );
  }
  if (!options.store) requireTerminalForSeed(io);
  const useSession = !target.self || source.mfaSerial !== undefined;
  io.debug(`enroll: calling IAM with the ${useSession ? 'MFA session' : 'long-term keys'} of ${profile}`);
  const credentials = useSession ? await deps.mfaSession() : source.keys;
  const userName = target.self
    ? target.userName
    : (await getUser({ credentials, target: settings.iam, env: io.env, debug: io.debug, userName: target.userName })).userName;
  return {
    settings,
    account: caller.account,
    userName,
    self: target.self,
    deviceName: options.deviceName ?? userName,
    store: options.store,
    qr: options.qr,
    credentials,
    authentication: useSession ? 'MFA session' : 'long-term keys',
    keychainItem,
  };
}

/** The calling user, unless --user names another; IAM user names are unique regardless of case. */
function targetUser(callerArn: string, user: string | undefined, profile: string): { userName: string; self: boolean } {
  const principal = principalOf(callerArn);
  if (principal.kind === 'user' && (user === undefined || user.toLowerCase() === principal.userName.toLowerCase())) {
    return { userName: principal.userName, self: true };
  }
  if (user !== undefined) return { userName: user, self: false };
  if (principal.kind === 'root') {
    throw new UsageError(`cannot enrol the root user of profile ${profile}`, "the root user's MFA is managed in the AWS console", {
      hint: 'sign in as root and open Security credentials, or pass --user NAME to enrol an IAM user',
    });
  }
  throw new UsageError(`cannot enrol the caller of profile ${profile}`, `${callerArn} is not an IAM user`, {
    hint: 'pass --user NAME',
  });
}

function validateIamName(name: string, flag: string, maxLength: number): void {
  if (!IAM_NAME.test(name) || name.length > maxLength) {
    throw new UsageError(`bad ${flag}`, `${JSON.stringify(name)} is not an IAM name`, {
      hint: `1 to ${maxLength} letters, digits and + = , . @ _ -`,
    });
  }
}
