import { partitionOf } from '../aws/partition.js';
import type { SigninTokenRequest } from '../console/federation.js';
import { consoleHome, federationEndpoint, validateDestination } from '../console/signin-endpoints.js';
import type { SessionCredentials } from '../core/credentials.js';
import { AwsMfaError } from '../core/errors.js';
import type { Io } from '../core/io.js';

export interface ConsoleOptions {
  readonly url?: boolean | undefined;
  readonly destination?: string | undefined;
}

/** A profile as `console` needs it, read from the files with no prompt and no AWS call. */
export interface ConsoleProfile {
  readonly profile: string;
  /** undefined for a profile whose credentials are an MFA session, not a role session. */
  readonly roleArn: string | undefined;
  readonly region: string | undefined;
  readonly caBundle: string | undefined;
  /** The role session, through the cache and the chain (may ask for a code). */
  readonly credentials: () => Promise<SessionCredentials>;
}

export interface ConsoleDependencies {
  readonly io: Io;
  readonly consoleProfile: () => Promise<ConsoleProfile>;
  readonly getSigninToken: (request: SigninTokenRequest) => Promise<string>;
  /** Opens the sign-in URL in the browser (through a private page: the URL is a secret). */
  readonly openInBrowser: (signinUrl: string) => Promise<void>;
}

/**
 * `console`: the AWS console in the browser, signed in with the profile's role session through the
 * federation endpoint; or, with --url, the sign-in URL on stdout and nothing else there.
 */
export async function consoleCommand(options: ConsoleOptions, deps: ConsoleDependencies): Promise<number> {
  const destinationFlag = options.destination === undefined ? undefined : validateDestination(options.destination);
  const target = await deps.consoleProfile();
  if (target.roleArn === undefined) {
    throw new AwsMfaError(
      `cannot open the console for ${target.profile}`,
      'AWS refuses console sign-in with an MFA session from GetSessionToken; it signs in role sessions only',
      {
        hint: `sign in with your password and \`aws-mfa code ${target.profile}\`, or define a role profile (role_arn, source_profile = ${target.profile}) and run \`aws-mfa console -p ROLE\``,
      },
    );
  }
  const partition = partitionOf(target.roleArn, target.region);
  const endpoint = federationEndpoint(partition, deps.io.env);
  const destination = destinationFlag ?? consoleHome(partition, target.region);
  const credentials = await target.credentials();
  const { signinUrl } = await import('../console/federation.js');
  const token = await deps.getSigninToken({
    credentials,
    endpoint,
    env: deps.io.env,
    caBundle: target.caBundle,
    debug: deps.io.debug,
  });
  const url = signinUrl(endpoint, token, destination);
  if (options.url) {
    deps.io.writeStdout(`${url}\n`);
    return 0;
  }
  await deps.openInBrowser(url);
  deps.io.writeStderr(`aws-mfa: opened the AWS console for ${target.profile} (${target.roleArn}) in the browser\n`);
  return 0;
}
