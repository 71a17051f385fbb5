import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionCredentials } from '../../src/core/credentials.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { type CredentialServer, startCredentialServer } from '../../src/server/credential-server.js';
import { isServerToken } from '../../src/server/server-token.js';

const SESSION: SessionCredentials = {
  accessKeyId: 'ASIAFAKESESSION0001',
  secretAccessKey: 'fake-session-secret',
  sessionToken: 'fake-session-token',
  expiration: new Date('2026-11-30T18:00:00.123Z'),
};

let server: CredentialServer | undefined;
let failures: string[];

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(provider: () => Promise<SessionCredentials>): Promise<CredentialServer> {
  failures = [];
  server = await startCredentialServer(provider, { onFailure: (line) => failures.push(line), debug: () => {} });
  return server;
}

/** null: no Authorization header at all. */
async function get(running: CredentialServer, authorization: string | null = running.token) {
  const response = await fetch(running.url, authorization === null ? {} : { headers: { Authorization: authorization } });
  return { status: response.status, body: await response.text() };
}

/** A provider whose calls wait until the test settles them. */
function controlledProvider() {
  const pending: Array<{ resolve: (value: SessionCredentials) => void; reject: (error: unknown) => void }> = [];
  const provider = () => new Promise<SessionCredentials>((resolve, reject) => pending.push({ resolve, reject }));
  return { provider, pending };
}

describe('startCredentialServer', () => {
  it('serves the container-provider shape on 127.0.0.1 with a 256-bit token', async () => {
    const running = await serve(async () => SESSION);

    const answer = await get(running);

    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(running.token).toMatch(/^[0-9a-f]{64}$/);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      AccessKeyId: SESSION.accessKeyId,
      SecretAccessKey: SESSION.secretAccessKey,
      Token: SESSION.sessionToken,
      Expiration: '2026-11-30T18:00:00Z',
    });
  });

  it('answers 403 with an empty body, and never calls the provider, without the right token', async () => {
    let calls = 0;
    const running = await serve(async () => {
      calls += 1;
      return SESSION;
    });

    const answers = await Promise.all(
      [null, '', 'x', running.token.toUpperCase(), `${running.token}0`].map((header) => get(running, header)),
    );

    expect(answers).toEqual(Array(5).fill({ status: 403, body: '' }));
    expect(calls).toBe(0);
  });

  it('shares one provider call between concurrent requests, and starts a new one after it', async () => {
    const { provider, pending } = controlledProvider();
    const running = await serve(provider);

    const concurrent = Promise.all([get(running), get(running), get(running)]);
    await expect.poll(() => pending.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pending).toHaveLength(1);
    pending[0]?.resolve(SESSION);
    const answers = await concurrent;
    const later = get(running);
    await expect.poll(() => pending.length).toBe(2);
    pending[1]?.resolve(SESSION);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect((await later).status).toBe(200);
  });

  it('answers 500 with the one-line reason when the provider fails, and tries again on the next request', async () => {
    const { provider, pending } = controlledProvider();
    const running = await serve(provider);

    const failed = get(running);
    await expect.poll(() => pending.length).toBe(1);
    pending[0]?.reject(new AwsMfaError('cannot get a session for prod', 'STS could not be reached'));
    const failure = await failed;
    const retried = get(running);
    await expect.poll(() => pending.length).toBe(2);
    pending[1]?.resolve(SESSION);

    expect(failure).toEqual({
      status: 500,
      body: JSON.stringify({ message: 'aws-mfa: cannot get a session for prod: STS could not be reached' }),
    });
    expect(failures).toEqual(['aws-mfa: cannot get a session for prod: STS could not be reached']);
    expect((await retried).status).toBe(200);
  });

  it('names an unexpected error without quoting its message, which might hold anything', async () => {
    const running = await serve(async () => {
      throw new TypeError(`bad value ${SESSION.secretAccessKey}`);
    });

    const answer = await get(running);

    expect(answer.status).toBe(500);
    expect(answer.body).not.toContain(SESSION.secretAccessKey);
    expect(JSON.parse(answer.body)).toEqual({ message: expect.stringMatching(/^aws-mfa: cannot get a session: unexpected TypeError/) });
  });

  it('answers 405 to another method with the right token', async () => {
    const running = await serve(async () => SESSION);

    const response = await fetch(running.url, { method: 'POST', headers: { Authorization: running.token } });

    expect(response.status).toBe(405);
  });

  it('closes kept-alive connections and the port when closed', async () => {
    const running = await serve(async () => SESSION);
    const agent = new http.Agent({ keepAlive: true });
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http
        .get(running.url, { agent, headers: { Authorization: running.token } }, (response) => {
          response.resume().on('end', () => resolve(response.statusCode));
        })
        .on('error', reject);
    });
    expect(status).toBe(200);

    await running.close();
    server = undefined;

    await expect(fetch(running.url)).rejects.toThrow();
    agent.destroy();
  });
});

describe('isServerToken', () => {
  it.each([
    { given: 'abc', matches: true },
    { given: 'abd', matches: false },
    { given: 'ab', matches: false },
    { given: 'abcd', matches: false },
    { given: '', matches: false },
    { given: undefined, matches: false },
  ])('$given against abc: $matches', ({ given, matches }) => {
    expect(isServerToken('abc', given)).toBe(matches);
  });
});
