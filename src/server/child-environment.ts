import type { Env } from '../core/io.js';
import { regionEnvironment } from '../output/session-environment.js';

/**
 * Variables that would win over the container provider in the SDKs' chains, or point it at
 * something else: the token file is read before the token itself.
 */
const SHADOWING_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
] as const;

export interface ServerAddress {
  readonly url: string;
  readonly token: string;
}

/** The environment of `exec --server`'s command: the server's address and token instead of keys or a profile. */
export function serverChildEnvironment(env: Env, server: ServerAddress, region: string | undefined): NodeJS.ProcessEnv {
  const childEnvironment: NodeJS.ProcessEnv = { ...env };
  for (const name of SHADOWING_VARIABLES) delete childEnvironment[name];
  childEnvironment.AWS_CONTAINER_CREDENTIALS_FULL_URI = server.url;
  childEnvironment.AWS_CONTAINER_AUTHORIZATION_TOKEN = server.token;
  Object.assign(childEnvironment, Object.fromEntries(regionEnvironment(region)));
  return childEnvironment;
}
