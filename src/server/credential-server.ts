import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatExpiration, type SessionCredentials } from '../core/credentials.js';
import { AwsMfaError } from '../core/errors.js';
import { isServerToken, newServerToken } from './server-token.js';

/** A profile's credentials on demand, through the cache, the lock and STS. */
export type CredentialProvider = () => Promise<SessionCredentials>;

export interface CredentialServerOptions {
  /** Told (as one line, no secret) when a request finds no credentials, so the user learns why CMD's calls fail. */
  readonly onFailure: (line: string) => void;
  readonly debug: (text: string) => void;
}

/** A running server: the two variables a child needs, and how to stop it. */
export interface CredentialServer {
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

/**
 * Serves a provider's credentials in the container-provider shape (the one every AWS SDK reads from
 * AWS_CONTAINER_CREDENTIALS_FULL_URI) on 127.0.0.1, a random port, to requests carrying the token.
 * Concurrent requests share one call of the provider; a failed call fails only the requests that
 * waited for it.
 */
export async function startCredentialServer(provider: CredentialProvider, options: CredentialServerOptions): Promise<CredentialServer> {
  const token = newServerToken();
  const credentials = sharedCalls(provider);
  const server = http.createServer((request, response) => {
    answer(request, response, { token, credentials, options }).catch((error: unknown) => {
      options.debug(`credential server: ${error instanceof Error ? error.message : String(error)}`);
      response.destroy();
    });
  });
  await listenOnLoopback(server);
  const { port } = server.address() as AddressInfo;
  options.debug(`credential server listening on ${LOOPBACK}:${port}`);
  return {
    url: `http://${LOOPBACK}:${port}/`,
    token,
    close: () => closeServer(server),
  };
}

interface RequestContext {
  readonly token: string;
  readonly credentials: CredentialProvider;
  readonly options: CredentialServerOptions;
}

async function answer(request: http.IncomingMessage, response: http.ServerResponse, context: RequestContext): Promise<void> {
  if (!isServerToken(context.token, request.headers.authorization)) {
    context.options.debug('credential server: refused a request without the right token');
    response.writeHead(403, { 'Content-Length': 0 }).end();
    return;
  }
  if (request.method !== 'GET') {
    response.writeHead(405, { Allow: 'GET', 'Content-Length': 0 }).end();
    return;
  }
  let body: ContainerCredentials;
  try {
    body = toContainerCredentials(await context.credentials());
  } catch (error) {
    const line = failureLine(error);
    if (error instanceof Error && error.stack) context.options.debug(error.stack);
    context.options.onFailure(line);
    sendJson(response, 500, { message: line });
    return;
  }
  context.options.debug(`credential server: served credentials expiring ${body.Expiration}`);
  sendJson(response, 200, body);
}

/** What the ECS container provider of every SDK reads. */
interface ContainerCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: string;
}

function toContainerCredentials(credentials: SessionCredentials): ContainerCredentials {
  return {
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Token: credentials.sessionToken,
    Expiration: formatExpiration(credentials.expiration),
  };
}

function sendJson(response: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response
    .writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' })
    .end(body);
}

/** Our errors are built never to hold a secret; anything else is named, not quoted. */
function failureLine(error: unknown): string {
  if (error instanceof AwsMfaError) return error.toLine();
  const name = error instanceof Error ? error.name : typeof error;
  return `aws-mfa: cannot get a session: unexpected ${name} (run with --debug for details)`;
}

/** One call at a time: callers arriving while it runs get its outcome; the next caller after it starts a new one. */
function sharedCalls(provider: CredentialProvider): CredentialProvider {
  let running: Promise<SessionCredentials> | undefined;
  return () => {
    running ??= provider().finally(() => {
      running = undefined;
    });
    return running;
  };
}

function listenOnLoopback(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new AwsMfaError('cannot start the credential server', `${LOOPBACK}: ${error.code ?? error.message}`, { cause: error }));
    });
    server.listen({ host: LOOPBACK, port: 0, exclusive: true }, resolve);
  });
}

/** Also ends idle keep-alive connections, which would otherwise hold the port open. */
function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
