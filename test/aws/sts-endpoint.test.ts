import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSessionToken } from '../../src/aws/sts.js';

/** A proxy that records where each CONNECT wants to go and refuses it: nothing leaves this machine. */
let proxy: http.Server;
let proxyUrl: string;
const connectTargets: string[] = [];

beforeAll(async () => {
  proxy = http.createServer();
  proxy.on('connect', (request: http.IncomingMessage, socket: net.Socket) => {
    connectTargets.push(request.url ?? '');
    socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
});

async function targetHostFor(region: string | undefined): Promise<string | undefined> {
  connectTargets.length = 0;
  await getSessionToken({
    keys: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
    serialNumber: 'arn:aws:iam::123456789012:mfa/alice',
    tokenCode: '123456',
    durationSeconds: 900,
    target: { region, endpoint: undefined, caBundle: undefined },
    env: { HTTPS_PROXY: proxyUrl },
  }).catch(() => undefined);
  return connectTargets[0];
}

describe('the STS endpoint without an endpoint URL', () => {
  it('is the regional endpoint of the region', async () => {
    expect(await targetHostFor('eu-west-1')).toBe('sts.eu-west-1.amazonaws.com:443');
  });

  it('is the regional endpoint of the partition', async () => {
    expect(await targetHostFor('cn-north-1')).toBe('sts.cn-north-1.amazonaws.com.cn:443');
  });

  it('is us-east-1 when no region is known, as the AWS CLI does', async () => {
    expect(await targetHostFor(undefined)).toBe('sts.us-east-1.amazonaws.com:443');
  });
});
