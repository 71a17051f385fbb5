import type {
  AwsCredentialIdentity,
  DeserializeMiddleware,
  FinalizeRequestMiddleware,
  HttpRequest,
  HttpResponse,
  MiddlewareStack,
} from '@smithy/types';
import type { LongTermKeys, SessionCredentials } from '../core/credentials.js';
import { AwsMfaError } from '../core/errors.js';
import type { Env } from '../core/io.js';
import { type AwsCallContext, translateAwsError } from './aws-error.js';
import { EnvHttpHandler } from './http-handler.js';
import type { ServiceTarget } from './service-target.js';

/** Long-term keys, or an MFA session for the calls that an enforce-MFA policy allows only with one. */
export type AwsCredentials = LongTermKeys | SessionCredentials;

/** What every AWS call of aws-mfa needs: who calls, where, and where --debug lines go. */
export interface AwsClientRequest {
  credentials: AwsCredentials;
  target: ServiceTarget;
  env: Env;
  debug?: ((line: string) => void) | undefined;
  /** The clock that errors compare AWS's Date with (the Io's); the system clock when not given. */
  now?: (() => Date) | undefined;
}

/** The AWS CLI's choice when no region is configured. */
export const DEFAULT_REGION = 'us-east-1';
export const MAX_ATTEMPTS = 3;

/** The options every SDK client gets: each one fixed, so that none is read from AWS_* variables or ~/.aws. */
export interface ClientOptions {
  region: string;
  endpoint: string | undefined;
  ignoreConfiguredEndpointUrls: true;
  useFipsEndpoint: false;
  useDualstackEndpoint: false;
  credentials: AwsCredentialIdentity;
  requestHandler: EnvHttpHandler;
  maxAttempts: number;
  retryMode: 'standard';
  defaultsMode: 'standard';
  authSchemePreference: string[];
  userAgentAppId: string;
  disableClockSkewCorrection: false;
}

/** Per call: values to scrub besides the credentials (an MFA code), and advice for an AccessDenied. */
export type CallContext = Pick<AwsCallContext, 'secrets' | 'accessDeniedHint' | 'signedWithSession'>;

/** What aws-mfa needs of an @aws-sdk/client-* client. */
interface SdkClient {
  // biome-ignore lint/suspicious/noExplicitAny: each service has its own input and output types; the recorder reads neither
  readonly middlewareStack: MiddlewareStack<any, any>;
  destroy(): void;
}

interface HttpExchange {
  url: string | undefined;
  proxy: string | undefined;
  serverDate: Date | undefined;
}

/**
 * An SDK client of one service (`sts`, `iam`) built from explicit settings only, so the SDK never
 * consults its default credential chain (a credential_process profile would run aws-mfa again).
 * Each call notes its HTTP exchanges for --debug and for error messages, which never hold a secret.
 */
export class ServiceClient<Client extends SdkClient> {
  readonly region: string;
  private readonly sdk: Client;
  private readonly httpHandler: EnvHttpHandler;
  private readonly debug: (line: string) => void;
  private exchange: HttpExchange = noExchange();

  constructor(
    private readonly service: string,
    private readonly request: AwsClientRequest,
    build: (options: ClientOptions) => Client,
  ) {
    this.region = request.target.region ?? DEFAULT_REGION;
    this.debug = request.debug ?? (() => {});
    this.httpHandler = new EnvHttpHandler({ env: request.env, caBundle: request.target.caBundle });
    this.sdk = withoutNodeVersionWarning(() => build(clientOptions(request, this.region, this.httpHandler)));
    this.sdk.middlewareStack.addRelativeTo(this.exchangeRecorder(), {
      name: 'awsMfaHttpExchange',
      relation: 'after',
      toMiddleware: 'deserializerMiddleware',
    });
    this.sdk.middlewareStack.addRelativeTo(noRetryOfRefusalsAfterSkewCorrection(), {
      name: 'awsMfaNoRetryOfRefusals',
      relation: 'before',
      toMiddleware: 'httpSigningMiddleware',
    });
  }

  /** The HTTP Date header of the last response, for clock-skew hints. */
  get serverDate(): Date | undefined {
    return this.exchange.serverDate;
  }

  /** Runs one operation (`send` may make several requests, e.g. pages); its errors become one line for the user. */
  async call<T>(operation: string, send: (sdk: Client) => Promise<T>, context: CallContext = {}): Promise<T> {
    const endpoint = this.request.target.endpoint;
    this.debug(`${this.service}: ${operation} in ${this.region}${endpoint ? ` at ${endpoint}` : ''}`);
    this.exchange = noExchange();
    try {
      return await send(this.sdk);
    } catch (error) {
      throw translateAwsError(error, operation, {
        ...this.exchange,
        now: this.request.now?.(),
        accessDeniedHint: context.accessDeniedHint,
        signedWithSession: context.signedWithSession,
        secrets: [...credentialSecrets(this.request.credentials), ...(context.secrets ?? [])],
      });
    }
  }

  destroy(): void {
    this.sdk.destroy();
  }

  /** Notes the URL and proxy of each attempt and the Date of the last HTTP response. */
  private exchangeRecorder(): DeserializeMiddleware<object, object> {
    return (next, context) => async (args) => {
      const label = `${this.service}: ${context.commandName?.replace(/Command$/, '') ?? 'request'}`;
      const request = args.request as HttpRequest;
      const url = `${request.protocol}//${request.hostname}${request.port === undefined ? '' : `:${request.port}`}`;
      const proxy = this.httpHandler.describeProxy(url);
      Object.assign(this.exchange, { url, proxy });
      this.debug(`${label}: POST ${url}${proxy ? ` via proxy ${proxy}` : ''}`);
      const result = await next(args);
      const response = result.response as HttpResponse;
      const date = response.headers.date;
      this.exchange.serverDate = date === undefined ? undefined : parseHttpDate(date);
      this.debug(`${label}: HTTP ${response.statusCode}${date ? `, Date: ${date}` : ''}`);
      return result;
    };
  }
}

/** The refusals of a request's time, which a retry with the corrected clock can fix (@smithy's CLOCK_SKEW_ERROR_CODES). */
const CLOCK_SKEW_ERROR_CODES = new Set([
  'AuthFailure',
  'InvalidSignatureException',
  'RequestExpired',
  'RequestInTheFuture',
  'RequestTimeTooSkewed',
  'SignatureDoesNotMatch',
]);

/**
 * The SDK retries any error whose response Date shows a clock skew over 4 min, once it has corrected
 * its clock. An AccessDenied for a wrong MFA code would then send the same code twice more: only
 * errors about the request's time are worth that retry.
 */
function noRetryOfRefusalsAfterSkewCorrection(): FinalizeRequestMiddleware<object, object> {
  return (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      const failure = error as { name?: unknown; $metadata?: { clockSkewCorrected?: boolean } } | undefined;
      if (failure?.$metadata?.clockSkewCorrected && !CLOCK_SKEW_ERROR_CODES.has(String(failure.name))) {
        failure.$metadata.clockSkewCorrected = false;
      }
      throw error;
    }
  };
}

/** Runs `use` with `client` and destroys the client after, whatever happens. */
export async function withClient<Client extends SdkClient, T>(
  client: ServiceClient<Client>,
  use: (client: ServiceClient<Client>) => Promise<T>,
): Promise<T> {
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

function clientOptions(request: AwsClientRequest, region: string, requestHandler: EnvHttpHandler): ClientOptions {
  return {
    region,
    endpoint: request.target.endpoint,
    ignoreConfiguredEndpointUrls: true,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    credentials: sdkCredentials(request.credentials),
    requestHandler,
    maxAttempts: MAX_ATTEMPTS,
    retryMode: 'standard',
    defaultsMode: 'standard',
    authSchemePreference: [],
    userAgentAppId: 'aws-mfa',
    disableClockSkewCorrection: false,
  };
}

function sdkCredentials(credentials: AwsCredentials): AwsCredentialIdentity {
  const { accessKeyId, secretAccessKey } = credentials;
  return 'sessionToken' in credentials
    ? { accessKeyId, secretAccessKey, sessionToken: credentials.sessionToken }
    : { accessKeyId, secretAccessKey };
}

function credentialSecrets(credentials: AwsCredentials): string[] {
  const { accessKeyId, secretAccessKey } = credentials;
  return 'sessionToken' in credentials ? [accessKeyId, secretAccessKey, credentials.sessionToken] : [accessKeyId, secretAccessKey];
}

const WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * The SDK warns about Node < 22 when a client is built, unless this variable is "true" at that
 * moment. It is set only around the construction, so commands that aws-mfa runs never inherit it.
 */
function withoutNodeVersionWarning<T>(build: () => T): T {
  const previous = process.env[WARNING_SWITCH];
  process.env[WARNING_SWITCH] = 'true';
  try {
    return build();
  } finally {
    if (previous === undefined) delete process.env[WARNING_SWITCH];
    else process.env[WARNING_SWITCH] = previous;
  }
}

function noExchange(): HttpExchange {
  return { url: undefined, proxy: undefined, serverDate: undefined };
}

function parseHttpDate(text: string): Date | undefined {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A successful response without the fields the operation promises. */
export function incompleteResponse(service: 'STS' | 'IAM' | 'Organizations', operation: string, what: string): AwsMfaError {
  return new AwsMfaError(`${operation} failed`, `the response from AWS ${service} holds no complete ${what}`);
}
