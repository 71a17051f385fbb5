import { AwsMfaError } from '../core/errors.js';
import { describeClockSkew } from './clock-skew.js';

/** What went wrong, for callers that add their own advice (e.g. a TOTP seed and a wrong code). */
export type AwsFailureKind =
  | 'wrong-mfa-code'
  | 'mfa-device'
  | 'invalid-key'
  | 'wrong-secret'
  | 'clock-skew'
  | 'expired-token'
  | 'access-denied'
  | 'throttled'
  | 'validation'
  | 'region-disabled'
  | 'service-unavailable'
  | 'network'
  | 'certificate'
  | 'proxy'
  | 'unexpected';

export class AwsCallError extends AwsMfaError {
  override name = 'AwsCallError';
  readonly kind: AwsFailureKind;
  /** The AWS error code (`AccessDenied`) or the Node error code (`ECONNREFUSED`). */
  readonly code: string | undefined;
  readonly serverDate: Date | undefined;

  constructor(what: string, failure: Failure, options: { code: string | undefined; serverDate: Date | undefined; cause: unknown }) {
    super(what, failure.why, { hint: failure.hint, cause: options.cause });
    this.kind = failure.kind;
    this.code = options.code;
    this.serverDate = options.serverDate;
  }
}

export interface AwsCallContext {
  /** The origin called, e.g. `https://sts.us-east-1.amazonaws.com`. */
  url?: string | undefined;
  /** The proxy used, without credentials. */
  proxy?: string | undefined;
  /** The Date header of the last response. */
  serverDate?: Date | undefined;
  /** The local time to compare it with (the Io's clock). */
  now?: Date | undefined;
  /** Values that must never appear in a message (key id, secret, MFA code). */
  secrets?: readonly string[];
  /** Advice for an AccessDenied that fits the operation better than the general one. */
  accessDeniedHint?: string | undefined;
  /** The operation was signed with session credentials (AssumeRole from the MFA session): an expired token is theirs. */
  signedWithSession?: boolean | undefined;
}

interface Failure {
  kind: AwsFailureKind;
  why: string;
  hint?: string;
}

/** Error fields of the SDK's service exceptions and of Node's system errors. */
interface RawAwsError {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  message?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/**
 * One line for the user out of whatever an AWS call threw: what = `<operation> failed`, exit 1.
 * AwsMfaErrors (ours, e.g. a bad CA bundle) pass through unchanged.
 */
export function translateAwsError(error: unknown, operation: string, context: AwsCallContext = {}): AwsMfaError {
  if (error instanceof AwsMfaError) return error;
  const raw: RawAwsError = typeof error === 'object' && error !== null ? error : { message: String(error) };
  const scrub = (text: string) => scrubSecrets(text, context.secrets ?? []);
  const code = errorCode(raw);
  const failure =
    networkFailure(raw, context) ?? serviceFailure(code, scrub(oneLine(raw.message)), raw, context) ?? unexpected(raw, scrub, context);
  return new AwsCallError(`${operation} failed`, failure, { code, serverDate: context.serverDate, cause: error });
}

function errorCode(raw: RawAwsError): string | undefined {
  for (const candidate of [raw.Code, raw.code, raw.name]) {
    if (typeof candidate === 'string' && candidate !== '' && candidate !== 'Error' && candidate !== 'Unknown') {
      return candidate;
    }
  }
  return undefined;
}

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
]);

function serviceFailure(code: string | undefined, message: string, raw: RawAwsError, context: AwsCallContext): Failure | undefined {
  const status = raw.$metadata?.httpStatusCode;
  if (code === undefined || status === undefined) return undefined;
  if (THROTTLING_CODES.has(code)) {
    return {
      kind: 'throttled',
      why: `AWS is throttling requests (${code}), still after ${raw.$metadata?.attempts ?? 1} attempts`,
      hint: 'wait a minute and try again',
    };
  }
  switch (code) {
    case 'AccessDenied':
    case 'AccessDeniedException':
      return accessDenied(message, context);
    case 'InvalidClientTokenId':
      return {
        kind: 'invalid-key',
        why: 'AWS does not know the access key id (deleted, deactivated or mistyped)',
        hint: 'check the long-term keys with `aws-mfa list`; in an opt-in region, check that the account enabled it',
      };
    case 'SignatureDoesNotMatch':
      return /signature expired/i.test(message) ? clockSkew(context) : wrongSecret();
    case 'RequestExpired':
    case 'RequestTimeTooSkewed':
      return clockSkew(context);
    case 'ExpiredToken':
    case 'ExpiredTokenException':
      return context.signedWithSession
        ? {
            kind: 'expired-token',
            why: 'AWS says the session that signed the request has expired',
            hint: "check this computer's clock; `aws-mfa clear` drops the cached sessions",
          }
        : {
            kind: 'expired-token',
            why: 'AWS says the security token has expired',
            hint: 'long-term keys must be an IAM user access key (AKIA…), not a session',
          };
    case 'ValidationError':
      return validationFailure(message);
    case 'RegionDisabledException':
      return {
        kind: 'region-disabled',
        why: message || 'STS is not activated in this region for the account',
        hint: 'activate the region in IAM account settings, or set another region (AWS_REGION or region)',
      };
  }
  if (status >= 500) return unavailable(`${code}, HTTP ${status}`, context);
  return { kind: 'unexpected', why: message ? `${code}: ${message}` : `${code} (HTTP ${status})` };
}

/** AssumeRole's limits on DurationSeconds have advice of their own. */
function validationFailure(message: string): Failure {
  if (/DurationSeconds/i.test(message) && /chaining|1 hour/i.test(message)) {
    return {
      kind: 'validation',
      why: 'AWS caps a role session assumed with session credentials (the MFA session, or another role: role chaining) at 1 hour',
      hint: 'set duration_seconds to 3600 or less; only the first role of a chain may ask for more (aws-mfa then assumes it with the long-term keys and a code)',
    };
  }
  if (/DurationSeconds/i.test(message) && /MaxSessionDuration/i.test(message)) {
    return {
      kind: 'validation',
      why: "duration_seconds is longer than the role's maximum session duration",
      hint: "lower duration_seconds, or raise the role's MaxSessionDuration",
    };
  }
  return {
    kind: 'validation',
    why: `AWS rejected the request: ${withoutEchoedValues(message)}`,
    hint: 'check the MFA serial and the duration',
  };
}

function accessDenied(message: string, context: AwsCallContext): Failure {
  if (/invalid MFA one time pass code/i.test(message)) {
    return {
      kind: 'wrong-mfa-code',
      why: 'AWS rejected the MFA code (wrong, or already used)',
      hint: clockAdvice(context) ?? 'wait for the next code and try again',
    };
  }
  if (/unable to validate MFA code/i.test(message)) {
    return {
      kind: 'mfa-device',
      why: 'the MFA device is not one of this user’s (unknown serial, or a device of another user)',
      hint: 'check mfa_serial against `aws iam list-mfa-devices`',
    };
  }
  if (/with session credentials/i.test(message)) {
    return {
      kind: 'access-denied',
      why: 'the long-term keys are session credentials',
      hint: 'use an IAM user access key (AKIA…)',
    };
  }
  return {
    kind: 'access-denied',
    why: message ? `access denied: ${message}` : 'access denied',
    hint: context.accessDeniedHint ?? 'an IAM policy or SCP denies this call to the user',
  };
}

function wrongSecret(): Failure {
  return {
    kind: 'wrong-secret',
    why: 'the secret access key does not match the access key id',
    hint: 'store the long-term keys again (`aws-mfa add NAME` or the -long-term section)',
  };
}

function clockSkew(context: AwsCallContext): Failure {
  return {
    kind: 'clock-skew',
    why: 'AWS refused the request time',
    hint: clockAdvice(context) ?? 'check this computer’s clock and time zone',
  };
}

/** Advice for a refused code or request time, from the Date of AWS's response and the local clock. */
function clockAdvice(context: AwsCallContext): string | undefined {
  const skew = describeClockSkew(context.serverDate, context.now ?? new Date());
  return skew === undefined ? undefined : `${skew}: sync it, codes depend on it`;
}

function unavailable(detail: string, context: AwsCallContext): Failure {
  return {
    kind: 'service-unavailable',
    why: `AWS is unavailable (${detail})${context.proxy ? ` or the proxy ${context.proxy} failed` : ''}`,
    hint: 'try again in a minute',
  };
}

const CERTIFICATE_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const CONNECTION_MESSAGES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ECONNABORTED: 'connection aborted',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'timed out',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'timed out',
};

function networkFailure(raw: RawAwsError, context: AwsCallContext): Failure | undefined {
  const code = typeof raw.code === 'string' ? raw.code : undefined;
  const peer = describePeer(raw, context);
  if (code !== undefined && CERTIFICATE_TRUST_CODES.has(code)) {
    return {
      kind: 'certificate',
      why: `the TLS certificate of ${peer} is not trusted (${code})`,
      hint: 'behind a TLS-inspecting proxy, set AWS_CA_BUNDLE or ca_bundle to a PEM file with its CA',
    };
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return { kind: 'certificate', why: `the TLS certificate of ${peer} is not valid now (${code})`, hint: 'check this computer’s clock' };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return { kind: 'certificate', why: `the TLS certificate of ${peer} is for another host name`, hint: 'check the STS endpoint' };
  }
  const problem = (code && CONNECTION_MESSAGES[code]) ?? (raw.name === 'TimeoutError' ? 'timed out' : undefined);
  if (problem === undefined) return undefined;
  const viaProxy = context.proxy !== undefined;
  return {
    kind: viaProxy ? 'proxy' : 'network',
    why: `cannot reach ${viaProxy ? `${context.url ?? 'AWS'} through the proxy ${context.proxy}` : peer}: ${problem}`,
    hint: viaProxy ? 'check HTTPS_PROXY and NO_PROXY' : 'check the network connection and the region or endpoint',
  };
}

function describePeer(raw: RawAwsError, context: AwsCallContext): string {
  if (typeof raw.hostname === 'string') return raw.hostname;
  if (typeof raw.address === 'string' && typeof raw.port === 'number') return `${raw.address}:${raw.port}`;
  return context.url ?? 'AWS';
}

function unexpected(raw: RawAwsError, scrub: (text: string) => string, context: AwsCallContext): Failure {
  const status = raw.$metadata?.httpStatusCode;
  if (status === 407) {
    return {
      kind: 'proxy',
      why: `${context.proxy ? `the proxy ${context.proxy}` : 'the proxy'} asks for authentication (HTTP 407)`,
      hint: 'put the user and password in the proxy URL: https_proxy=http://USER:PASSWORD@HOST:PORT',
    };
  }
  if (status !== undefined && status >= 500) return unavailable(`HTTP ${status}`, context);
  if (status !== undefined) {
    const source = context.proxy ? `${context.url ?? 'AWS'} or the proxy ${context.proxy}` : (context.url ?? 'AWS');
    return { kind: context.proxy ? 'proxy' : 'unexpected', why: `unexpected answer from ${source} (HTTP ${status})` };
  }
  return { kind: 'unexpected', why: scrub(oneLine(raw.message)) || 'unknown error' };
}

const MAX_MESSAGE_LENGTH = 200;

function oneLine(message: unknown): string {
  const text = typeof message === 'string' ? message : '';
  const firstLine = text.trim().split(/\r?\n/)[0]?.trim() ?? '';
  return firstLine.length > MAX_MESSAGE_LENGTH ? `${firstLine.slice(0, MAX_MESSAGE_LENGTH)}…` : firstLine;
}

const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b/g;
/** Secret access keys are 40 base64 characters; session tokens are longer. */
const LONG_BASE64 = /[A-Za-z0-9/+=]{40,}/g;
const URL_CREDENTIALS = /\/\/[^\s/@]+@/g;

/** Removes known secrets and anything shaped like a key id, secret, token or URL password. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const withoutKnown = secrets
    .filter((secret) => secret.length >= 4)
    .reduce((result, secret) => result.replace(standalone(secret), '…'), text);
  return withoutKnown.replace(ACCESS_KEY_ID, '…').replace(LONG_BASE64, '…').replace(URL_CREDENTIALS, '//');
}

/** `secret` where it is not part of a longer word: the code 123456 is no part of 123456789012. */
function standalone(secret: string): RegExp {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, 'g');
}

/** AWS echoes the rejected value (`Value '123456' at 'tokenCode'`): keep only where it was. */
function withoutEchoedValues(message: string): string {
  return message.replace(/\bValue (?:'[^']*'|null) at/g, 'the value at');
}
