import type { IncomingMessage } from 'node:http';
import type { SessionCredentials } from '../core/credentials.js';
import { AwsMfaError } from '../core/errors.js';
import type { Env } from '../core/io.js';

const REQUEST_TIMEOUT_MS = 15_000;
const MAX_RESPONSE_BYTES = 64 * 1024;
/** Shown in the console's sign-out page and in CloudTrail's sign-in event. */
const ISSUER = 'aws-mfa';

export interface SigninTokenRequest {
  readonly credentials: SessionCredentials;
  /** The federation endpoint's full URL (signin-endpoints.ts). */
  readonly endpoint: string;
  readonly env: Env;
  readonly caBundle: string | undefined;
  readonly debug: (line: string) => void;
}

/**
 * The federation endpoint's `getSigninToken`: it turns a role session into a sign-in token,
 * valid for 15 minutes. The token and the session are secrets: neither reaches a message.
 */
export async function getSigninToken(request: SigninTokenRequest): Promise<string> {
  const { credentials } = request;
  const session = JSON.stringify({
    sessionId: credentials.accessKeyId,
    sessionKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
  });
  const url = `${request.endpoint}?Action=getSigninToken&Session=${encodeURIComponent(session)}`;
  request.debug(`console: asking ${request.endpoint} for a sign-in token`);
  const { status, body } = await httpGet(url, request, [credentials.secretAccessKey, credentials.sessionToken]);
  if (status !== 200) {
    throw new AwsMfaError('console sign-in failed', `the federation endpoint answered HTTP ${status}${describeBody(body)}`, {
      hint:
        status === 400 || status === 403
          ? 'AWS signs in only role sessions (and federation tokens), and not ones that have expired'
          : undefined,
    });
  }
  const token = parseSigninToken(body);
  if (token === undefined) throw new AwsMfaError('console sign-in failed', 'the federation endpoint answered with no SigninToken');
  return token;
}

/** The `login` URL that signs the browser in and opens `destination`. It holds the token: a secret. */
export function signinUrl(endpoint: string, signinToken: string, destination: string): string {
  const query = new URLSearchParams({ Action: 'login', Issuer: ISSUER, Destination: destination, SigninToken: signinToken });
  return `${endpoint}?${query.toString()}`;
}

function parseSigninToken(body: string): string | undefined {
  try {
    const token = (JSON.parse(body) as { SigninToken?: unknown }).SigninToken;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}

/** A short plain-text reason from an error page, or nothing. */
function describeBody(body: string): string {
  const text = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return '';
  return `: ${text.length > 160 ? `${text.slice(0, 160)}…` : text}`;
}

async function httpGet(url: string, request: SigninTokenRequest, secrets: readonly string[]): Promise<{ status: number; body: string }> {
  const [{ agentForUrl }, http, https] = await Promise.all([import('../aws/http-handler.js'), import('node:http'), import('node:https')]);
  const agent = agentForUrl(url, { env: request.env, caBundle: request.caBundle });
  const get = url.startsWith('https:') ? https.get : http.get;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = get(url, { agent, timeout: REQUEST_TIMEOUT_MS }, resolve);
    outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    outgoing.on('error', reject);
  }).catch((error: unknown) => {
    // Node's messages may quote the URL, which holds the session: only the error code is kept.
    const code = (error as { code?: unknown }).code;
    throw new AwsMfaError(
      'console sign-in failed',
      `cannot reach the federation endpoint ${hostOf(request.endpoint)}: ${typeof code === 'string' ? code : 'connection failed'}`,
      {
        hint: 'check the network, HTTPS_PROXY and AWS_CA_BUNDLE',
      },
    );
  });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) {
      response.destroy();
      break;
    }
    chunks.push(chunk);
  }
  let body = Buffer.concat(chunks).toString('utf8');
  for (const secret of secrets) body = body.split(secret).join('…');
  return { status: response.statusCode ?? 0, body };
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}
