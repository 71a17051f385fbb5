import { parseSessionDuration } from '../config/duration.js';
import { type ProfileSettings, readAwsFiles, selectProfileName } from '../config/profile-settings.js';
import { validateMfaCode, validateMfaSerial, validateProfileName } from '../config/validate.js';
import type { SessionCredentials } from '../core/credentials.js';
import type { Env } from '../core/io.js';
import { parsePromptName } from '../prompt/mfa-prompt.js';
import type { ProvidedSession } from './cached-provider.js';
import { type ChainOptions, chainProvider } from './chain-provider.js';
import type { SessionDependencies } from './dependencies.js';
import { type ProfileChain, resolveProfileChain } from './profile-chain.js';

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

export interface ProfileSession extends ProvidedSession {
  readonly chain: ProfileChain;
  /** The named profile's settings (its region, its IAM endpoint). */
  readonly settings: ProfileSettings;
}

/** Validates the options (flags first: a typo in one is reported as such, whatever the files say) and resolves the profile's chain. */
export async function loadProfileChain(options: SessionOptions, env: Env): Promise<ProfileChain> {
  const profile = validateProfileName(selectProfileName(options.profile, env));
  if (options.code !== undefined) validateMfaCode(options.code, '--code');
  if (options.duration !== undefined) parseSessionDuration(options.duration, '--duration');
  if (options.mfaSerial !== undefined) validateMfaSerial(options.mfaSerial, '--mfa-serial');
  if (options.prompt !== undefined) parsePromptName(options.prompt, '--prompt');
  return resolveProfileChain(await readAwsFiles(env), profile, options, env);
}

export function chainOptions(options: SessionOptions): ChainOptions {
  return { force: options.force ?? false, codeFlag: options.code, saveDiscoveredSerial: options.save ?? false };
}

/** The named profile's session, plain or role, from the cache or new. `check` refuses what the command cannot do, before any prompt. */
export async function sessionForProfile(
  options: SessionOptions,
  deps: SessionDependencies,
  check: (chain: ProfileChain) => void = () => {},
): Promise<ProfileSession> {
  const chain = await loadProfileChain(options, deps.io.env);
  check(chain);
  return { ...(await chainProvider(chain, chainOptions(options), deps)()), chain, settings: chain.named };
}

/** A profile's credentials as a plain provider, for callers that ask again and again (the credential server, console). */
export interface ProfileCredentials {
  readonly provide: () => Promise<SessionCredentials>;
  /** The profile is a role: its sessions come from AssumeRole (console sign-in needs one). */
  readonly isRole: boolean;
  readonly region: string | undefined;
  /** The partition of the role (`aws`, `aws-cn`, `aws-us-gov`), from its ARN; undefined for a profile without a role. */
  readonly partition: string | undefined;
  readonly chain: ProfileChain;
}

export async function profileCredentials(options: SessionOptions, deps: SessionDependencies): Promise<ProfileCredentials> {
  const chain = await loadProfileChain(options, deps.io.env);
  const provider = chainProvider(chain, chainOptions(options), deps);
  const partition = chain.hops.at(-1)?.roleArn.split(':')[1];
  return {
    provide: async () => (await provider()).credentials,
    isRole: chain.hops.length > 0,
    region: chain.named.region,
    partition,
    chain,
  };
}
