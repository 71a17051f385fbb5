import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSessionToken } from '../../src/aws/sts.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { errorReply, FakeSts } from './fake-aws.js';

/** Reads each request whole, then drops the connection without an answer: the request may have been served. */
let dropping: http.Server;
let droppingUrl: string;
let requestsDropped = 0;
let throttling: FakeSts;

beforeAll(async () => {
  dropping = http.createServer((request) => {
    request.resume();
    request.on('end', () => {
      requestsDropped++;
      request.socket.destroy();
    });
  });
  await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
  droppingUrl = `http://127.0.0.1:${(dropping.address() as net.AddressInfo).port}`;
  throttling = await FakeSts.start();
});
afterAll(async () => {
  await new Promise((resolve) => dropping.close(resolve));
  await throttling.close();
});

function request(endpoint: string) {
  return {
    keys: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
    serialNumber: 'arn:aws:iam::123456789012:mfa/alice',
    tokenCode: '123456',
    durationSeconds: 900,
    target: { region: 'us-east-1', endpoint, caBundle: undefined },
    env: {},
  };
}

describe('GetSessionToken retries', () => {
  it('never sends a code again after a connection lost mid-request: AWS may have used it', async () => {
    const error = await getSessionToken(request(droppingUrl)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AwsMfaError);
    expect((error as AwsMfaError).toLine()).toMatch(/^aws-mfa: GetSessionToken failed: cannot reach /);
    expect(requestsDropped).toBe(1);
  });

  it('still retries throttling, which AWS did not serve', async () => {
    throttling.reply = errorReply(400, 'Throttling', 'Rate exceeded');
    await getSessionToken(request(throttling.url)).catch(() => undefined);
    expect(throttling.requests.length).toBe(3);
  });
});
