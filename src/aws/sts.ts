import { type Credentials, GetSessionTokenCommand, type ServiceInputTypes, type ServiceOutputTypes, STSClient } from '@aws-sdk/client-sts';
import type { DeserializeMiddleware, HttpRequest, HttpResponse } from '@smithy/types';
import { AwsMfaError } from '../cli/errors.js';
import type { LongTermKeys, SessionCredentials } from '../session/credentials.js';
import { translateAwsError } from './aws-error.js';
import { EnvHttpHandler } from './http-handler.js';
import type { ServiceTarget } from './service-target.js';

export type { LongTermKeys, SessionCredentials } from '../session/credentials.js';

type Env = Readonly<Record<string, string | undefined>>;

export type StsTarget = ServiceTarget;

export interface GetSessionTokenRequest {
  keys: LongTermKeys;
  serialNumber: string;
  tokenCode: string;
  durationSeconds: number;
  target: StsTarget;
  env: Env;
  debug?: (line: string) => void;
}

export interface SessionTokenResult {
  credentials: SessionCredentials;
  /** The HTTP Date header of the response, for clock-skew hints. */
  serverDate: Date | undefined;
}

/** The AWS CLI's choice when no region is configured. */
export const DEFAULT_REGION = 'us-east-1';
const MAX_ATTEMPTS = 3;
const OPERATION = 'GetSessionToken';

export async function getSessionToken(request: GetSessionTokenRequest): Promise<SessionTokenResult> {
  const debug = request.debug ?? (() => {});
  const region = request.target.region ?? DEFAULT_REGION;
  const httpHandler = new EnvHttpHandler({ env: request.env, caBundle: request.target.caBundle });
  const client = createClient(request, region, httpHandler);
  const exchange = recordHttpExchanges(client, httpHandler, debug);
  debug(`sts: ${OPERATION} in ${region}${request.target.endpoint ? ` at ${request.target.endpoint}` : ''}`);
  try {
    const output = await client.send(
      new GetSessionTokenCommand({
        SerialNumber: request.serialNumber,
        TokenCode: request.tokenCode,
        DurationSeconds: request.durationSeconds,
      }),
    );
    return { credentials: toSessionCredentials(output.Credentials), serverDate: exchange.serverDate };
  } catch (error) {
    throw translateAwsError(error, OPERATION, {
      url: exchange.url,
      proxy: exchange.proxy,
      serverDate: exchange.serverDate,
      secrets: [request.keys.accessKeyId, request.keys.secretAccessKey, request.tokenCode],
    });
  } finally {
    client.destroy();
  }
}

/**
 * Everything is passed explicitly, so the SDK never consults its default credential chain (a
 * credential_process profile would run aws-mfa again) nor ~/.aws/config or AWS_* variables.
 */
function createClient(request: GetSessionTokenRequest, region: string, httpHandler: EnvHttpHandler): STSClient {
  return withoutNodeVersionWarning(
    () =>
      new STSClient({
        region,
        endpoint: request.target.endpoint,
        ignoreConfiguredEndpointUrls: true,
        useFipsEndpoint: false,
        useDualstackEndpoint: false,
        credentials: { accessKeyId: request.keys.accessKeyId, secretAccessKey: request.keys.secretAccessKey },
        requestHandler: httpHandler,
        maxAttempts: MAX_ATTEMPTS,
        retryMode: 'standard',
        defaultsMode: 'standard',
        authSchemePreference: [],
        sigv4aSigningRegionSet: [region],
        userAgentAppId: 'aws-mfa',
        disableClockSkewCorrection: false,
      }),
  );
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

interface HttpExchange {
  url: string | undefined;
  proxy: string | undefined;
  serverDate: Date | undefined;
}

/** Notes the URL and proxy of each attempt and the Date of the last HTTP response. */
function recordHttpExchanges(client: STSClient, httpHandler: EnvHttpHandler, debug: (line: string) => void): HttpExchange {
  const exchange: HttpExchange = { url: undefined, proxy: undefined, serverDate: undefined };
  client.middlewareStack.addRelativeTo(
    ((next) => async (args) => {
      const request = args.request as HttpRequest;
      exchange.url = `${request.protocol}//${request.hostname}${request.port === undefined ? '' : `:${request.port}`}`;
      exchange.proxy = httpHandler.describeProxy(exchange.url);
      debug(`sts: POST ${exchange.url}${exchange.proxy ? ` via proxy ${exchange.proxy}` : ''}`);
      const result = await next(args);
      const response = result.response as HttpResponse;
      const date = response.headers.date;
      exchange.serverDate = date === undefined ? undefined : parseHttpDate(date);
      debug(`sts: HTTP ${response.statusCode}${date ? `, Date: ${date}` : ''}`);
      return result;
    }) satisfies DeserializeMiddleware<ServiceInputTypes, ServiceOutputTypes>,
    { name: 'awsMfaHttpExchange', relation: 'after', toMiddleware: 'deserializerMiddleware' },
  );
  return exchange;
}

function parseHttpDate(text: string): Date | undefined {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function toSessionCredentials(credentials: Credentials | undefined): SessionCredentials {
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = credentials ?? {};
  if (!AccessKeyId || !SecretAccessKey || !SessionToken || !(Expiration instanceof Date)) {
    throw new AwsMfaError(`${OPERATION} failed`, 'the response from AWS STS holds no complete credentials');
  }
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration: Expiration };
}
