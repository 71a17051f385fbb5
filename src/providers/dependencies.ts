import type {
  AssumeRoleRequest,
  CallerIdentity,
  GetCallerIdentityRequest,
  GetSessionTokenRequest,
  SessionTokenResult,
} from '../aws/sts.js';
import type { MfaPrompts } from '../prompt/mfa-prompt.js';
import type { ProfileKeychain } from '../store/profile-keychain.js';
import type { CacheDependencies } from './cached-provider.js';
import type { ListMfaDevices } from './mfa-serial.js';

/** Everything the providers reach outside themselves; main.ts builds the real ones, tests pass fakes. */
export interface SessionDependencies extends CacheDependencies {
  readonly cacheDirectory: string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly openProfileKeychain: () => Promise<ProfileKeychain>;
  readonly getSessionToken: (request: GetSessionTokenRequest) => Promise<SessionTokenResult>;
  readonly assumeRole: (request: AssumeRoleRequest) => Promise<SessionTokenResult>;
  readonly getCallerIdentity: (request: GetCallerIdentityRequest) => Promise<CallerIdentity>;
  readonly listMfaDevices: ListMfaDevices;
  /** The prompts that `--prompt` and `aws_mfa_prompt` pick from by name. */
  readonly mfaPrompts: MfaPrompts;
}
