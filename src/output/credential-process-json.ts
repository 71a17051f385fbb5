import type { SessionCredentials } from '../core/credentials.js';
import { formatExpiration } from '../core/credentials.js';

/** The credential_process protocol object (AWS CLI / SDK "sourcing credentials with an external process"). */
export interface CredentialProcessObject {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

export function toCredentialProcessObject(credentials: SessionCredentials): CredentialProcessObject {
  return {
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: formatExpiration(credentials.expiration),
  };
}

/**
 * Validates a credential_process object with no I/O, as the SDK's getValidatedProcessCredentials
 * does: used when reading the session cache and by tests reading the command's output.
 * Returns undefined for anything that is not a complete Version 1 object.
 */
export function fromCredentialProcessObject(value: unknown): SessionCredentials | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Record<string, unknown>;
  const { Version, AccessKeyId, SecretAccessKey, SessionToken, Expiration } = candidate;
  if (Version !== 1) return undefined;
  if (!isNonEmptyString(AccessKeyId) || !isNonEmptyString(SecretAccessKey) || !isNonEmptyString(SessionToken)) {
    return undefined;
  }
  if (!isNonEmptyString(Expiration)) return undefined;
  const expiration = new Date(Expiration);
  if (Number.isNaN(expiration.getTime())) return undefined;
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration };
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
