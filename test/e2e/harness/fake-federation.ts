import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The Session parameter of getSigninToken, as AWS reads it. */
export interface FederationSession {
  readonly sessionId: string;
  readonly sessionKey: string;
  readonly sessionToken: string;
}

export interface FakeFederation {
  /** The endpoint's full URL, for AWS_MFA_SIGNIN_ENDPOINT. */
  readonly url: string;
  /** Every session that asked for a token, in order. */
  readonly sessions: FederationSession[];
  /** The tokens handed out. */
  readonly tokens: string[];
  close(): Promise<void>;
}

/**
 * A local stand-in for the AWS federation endpoint (moto has none): `getSigninToken` answers
 * `{"SigninToken": …}` for a session that `accepts` (AWS: role sessions and federation tokens), and
 * HTTP 400 with AWS's message for any other; a malformed request gets 400 too.
 */
export async function startFakeFederation(accepts: (session: FederationSession) => Promise<boolean> | boolean): Promise<FakeFederation> {
  const sessions: FederationSession[] = [];
  const tokens: string[] = [];
  const server: Server = createServer((request, response) => {
    void (async () => {
      const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
      const session = parseSession(query.get('Session'));
      if (request.method !== 'GET' || query.get('Action') !== 'getSigninToken' || session === undefined) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end('Bad Request');
        return;
      }
      sessions.push(session);
      if (!(await accepts(session))) {
        response
          .writeHead(400, { 'content-type': 'text/plain' })
          .end('Only federation tokens or assume role tokens may be used for federated login.');
        return;
      }
      const token = `FAKE-SIGNIN-TOKEN-${tokens.length + 1}-${'x'.repeat(40)}`;
      tokens.push(token);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ SigninToken: token }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/federation`,
    sessions,
    tokens,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function parseSession(text: string | null): FederationSession | undefined {
  if (text === null) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<Record<keyof FederationSession, unknown>>;
    const { sessionId, sessionKey, sessionToken } = parsed;
    if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') return undefined;
    return { sessionId, sessionKey, sessionToken };
  } catch {
    return undefined;
  }
}
