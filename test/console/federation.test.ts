import { afterEach, describe, expect, it } from 'vitest';
import { getSigninToken, signinUrl } from '../../src/console/federation.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { type FakeFederation, startFakeFederation } from '../e2e/harness/fake-federation.js';

const ROLE_SESSION = {
  accessKeyId: 'ASIAROLESESSIONEXAMPLE',
  secretAccessKey: 'role-secret-key-EXAMPLE',
  sessionToken: 'role-session-token-EXAMPLE',
  expiration: new Date('2026-11-30T12:00:00Z'),
};

let federation: FakeFederation | undefined;
afterEach(async () => {
  await federation?.close();
  federation = undefined;
});

function request(endpoint: string, debugLines: string[] = []) {
  return { credentials: ROLE_SESSION, endpoint, env: {}, caBundle: undefined, debug: (line: string) => void debugLines.push(line) };
}

describe('getSigninToken', () => {
  it('sends the session as AWS reads it and returns the token', async () => {
    federation = await startFakeFederation(() => true);

    const token = await getSigninToken(request(federation.url));

    expect(federation.sessions).toEqual([
      { sessionId: ROLE_SESSION.accessKeyId, sessionKey: ROLE_SESSION.secretAccessKey, sessionToken: ROLE_SESSION.sessionToken },
    ]);
    expect(token).toBe(federation.tokens[0]);
  });

  it('a refused session is one line with the endpoint’s reason and no secret', async () => {
    federation = await startFakeFederation(() => false);
    const debugLines: string[] = [];

    const error = await getSigninToken(request(federation.url, debugLines)).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AwsMfaError);
    const line = (error as AwsMfaError).toLine();
    expect(line).toBe(
      'aws-mfa: console sign-in failed: the federation endpoint answered HTTP 400: Only federation tokens or assume role tokens may be used for federated login. (AWS signs in only role sessions (and federation tokens), and not ones that have expired)',
    );
    for (const secret of [ROLE_SESSION.secretAccessKey, ROLE_SESSION.sessionToken]) {
      expect(line).not.toContain(secret);
      expect(debugLines.join('\n')).not.toContain(secret);
    }
  });

  it('an endpoint that cannot be reached names its host, not the URL that holds the session', async () => {
    federation = await startFakeFederation(() => true);
    const closedUrl = federation.url;
    await federation.close();
    federation = undefined;

    const error = await getSigninToken(request(closedUrl)).catch((caught: unknown) => caught);

    const line = (error as AwsMfaError).toLine();
    expect(line).toMatch(/^aws-mfa: console sign-in failed: cannot reach the federation endpoint 127\.0\.0\.1:\d+: ECONNREFUSED \(/);
    expect(line).not.toContain(ROLE_SESSION.sessionToken);
  });
});

describe('signinUrl', () => {
  it('is the login action with the issuer, the destination and the token, each encoded', () => {
    const url = new URL(
      signinUrl(
        'https://signin.aws.amazon.com/federation',
        'tok+en/=',
        'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1',
      ),
    );

    expect(url.origin + url.pathname).toBe('https://signin.aws.amazon.com/federation');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'login',
      Issuer: 'aws-mfa',
      Destination: 'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1',
      SigninToken: 'tok+en/=',
    });
  });
});
