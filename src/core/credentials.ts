/** Long-lived IAM user keys, the input to GetSessionToken. */
export interface LongTermKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** An STS session: what every output format carries. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** ISO 8601 UTC to the second, as the AWS CLI writes expirations. */
export function formatExpiration(expiration: Date): string {
  return expiration.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The long-term key id shown to users: enough to recognise it, not to use it. */
export function maskKeyId(accessKeyId: string): string {
  return accessKeyId.length > 8 ? `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}` : '…';
}
