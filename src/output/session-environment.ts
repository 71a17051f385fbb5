import { formatExpiration, type SessionCredentials } from '../core/credentials.js';

/** Variables whose presence would make AWS tools pick another profile over the session. */
export const VARIABLES_REMOVED_FOR_SESSION = ['AWS_PROFILE'] as const;

/** The environment that hands a session to AWS tools: shared by `env` and `exec`. */
export function sessionEnvironment(credentials: SessionCredentials, region: string | undefined): Array<[string, string]> {
  const variables: Array<[string, string]> = [
    ['AWS_ACCESS_KEY_ID', credentials.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey],
    ['AWS_SESSION_TOKEN', credentials.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', formatExpiration(credentials.expiration)],
  ];
  variables.push(...regionEnvironment(region));
  return variables;
}

/** AWS_REGION for the SDKs, AWS_DEFAULT_REGION for the AWS CLI v1: none when no region is known. */
export function regionEnvironment(region: string | undefined): Array<[string, string]> {
  return region
    ? [
        ['AWS_REGION', region],
        ['AWS_DEFAULT_REGION', region],
      ]
    : [];
}
