import { type AccessKeyInfo, listAccessKeys, principalOf } from '../aws/iam.js';
import { getCallerIdentity } from '../aws/sts.js';
import { type ProfileSettings, selectProfileName } from '../config/profile-settings.js';
import { validateProfileName } from '../config/validate.js';
import { maskKeyId, type SessionCredentials } from '../core/credentials.js';
import { AwsMfaError, UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { type KeySource, resolveKeySource } from '../providers/key-source.js';
import type { SessionOptions } from '../providers/session-for-profile.js';
import type { ProfileKeychain } from '../store/profile-keychain.js';
import { loadKeyHolderSettings } from './key-holder-profile.js';

export interface RotatePlanDependencies {
  readonly io: Io;
  readonly openProfileKeychain: () => Promise<ProfileKeychain>;
  /** The profile's MFA session, reused or obtained as login gets it. */
  readonly mfaSession: () => Promise<SessionCredentials>;
}

export interface RotatePlan {
  readonly settings: ProfileSettings;
  /** The old key, and where it is stored: the new one goes there. */
  readonly source: KeySource;
  readonly userName: string;
  readonly userArn: string;
  readonly session: SessionCredentials;
}

/** IAM's quota of access keys per user. */
const MAX_KEYS_PER_USER = 2;

/** Whose key it is, and room for a second one: checked before anything changes. */
export async function planRotation(options: SessionOptions, deps: RotatePlanDependencies): Promise<RotatePlan> {
  const { io } = deps;
  const profile = validateProfileName(selectProfileName(options.profile, io.env));
  const settings = await loadKeyHolderSettings(profile, options, io.env, {
    what: `cannot rotate the access key of ${profile}`,
    command: 'rotate',
  });
  const source = await resolveKeySource(settings, deps.openProfileKeychain, io.debug);
  // With the long-term keys: no policy can deny GetCallerIdentity, and it is asked before any prompt.
  const caller = await getCallerIdentity({ credentials: source.keys, target: settings.sts, env: io.env, debug: io.debug });
  const userName = iamUserName(caller.arn, profile);
  const session = await deps.mfaSession();
  const keys = await listAccessKeys({ credentials: session, target: settings.iam, env: io.env, debug: io.debug, userName });
  refuseWithoutRoom(keys, source.keys.accessKeyId, userName, profile);
  return { settings, source, userName, userArn: caller.arn, session };
}

function iamUserName(callerArn: string, profile: string): string {
  const principal = principalOf(callerArn);
  if (principal.kind === 'user') return principal.userName;
  const why = principal.kind === 'root' ? 'it belongs to the root user' : `it belongs to ${callerArn}, not to an IAM user`;
  throw new UsageError(`cannot rotate the access key of ${profile}`, why, {
    hint: principal.kind === 'root' ? 'root access keys are best deleted, in the console (Security credentials)' : undefined,
  });
}

function refuseWithoutRoom(keys: readonly AccessKeyInfo[], currentKeyId: string, userName: string, profile: string): void {
  if (keys.length < MAX_KEYS_PER_USER) return;
  const others = keys.filter((key) => key.accessKeyId !== currentKeyId);
  const [first] = others;
  throw new AwsMfaError(
    `cannot rotate the access key of ${profile}`,
    `${userName} already has ${keys.length} access keys, the most IAM allows: besides ${maskKeyId(currentKeyId)} of ${profile}, ${others.map(describeKey).join(' and ')}`,
    {
      hint: first
        ? `if ${first.accessKeyId} is not in use, delete it (\`aws iam delete-access-key --user-name ${userName} --access-key-id ${first.accessKeyId}\`) and rotate again`
        : undefined,
    },
  );
}

function describeKey(key: AccessKeyInfo): string {
  const created = key.createDate ? `, created ${key.createDate.toISOString().slice(0, 10)}` : '';
  return `${key.accessKeyId} (${key.status.toLowerCase()}${created})`;
}
