import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type GetSessionTokenRequest, getSessionToken } from '../../src/aws/sts.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { closedPort, FakeSts, ForwardProxy, makeSelfSignedCertificate, makeTempDir, SESSION, type TlsIdentity } from './fake-aws.js';

const KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

const temp = makeTempDir();
let tls: TlsIdentity;
let httpSts: FakeSts;
let httpsSts: FakeSts;
let proxy: ForwardProxy;
let authProxy: ForwardProxy;

beforeAll(async () => {
  tls = makeSelfSignedCertificate(temp.path);
  [httpSts, httpsSts, proxy, authProxy] = await Promise.all([
    FakeSts.start(),
    FakeSts.start(tls),
    ForwardProxy.start(),
    ForwardProxy.start({ credentials: 'alice:s3cr3t-pw' }),
  ]);
});
afterAll(async () => {
  await Promise.all([httpSts, httpsSts, proxy, authProxy].map((server) => server.close()));
  temp.remove();
});
afterEach(() => {
  for (const server of [httpSts, httpsSts]) server.requests.length = 0;
  for (const server of [proxy, authProxy]) server.requests.length = 0;
  vi.unstubAllEnvs();
});

function stsRequest(endpoint: string, env: Record<string, string>, caBundle?: string): GetSessionTokenRequest {
  return {
    keys: KEYS,
    serialNumber: 'arn:aws:iam::123456789012:mfa/alice',
    tokenCode: '123456',
    durationSeconds: 900,
    target: { region: 'us-east-1', endpoint, caBundle },
    env,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<AwsMfaError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AwsMfaError)) throw new Error(`expected an AwsMfaError, got ${String(error)}`);
  return error;
}

describe('proxies from the passed environment', () => {
  it('sends an http request through HTTP_PROXY as an absolute URI', async () => {
    const result = await getSessionToken(stsRequest(httpSts.url, { HTTP_PROXY: proxy.url() }));

    expect(result.credentials.accessKeyId).toBe(SESSION.accessKeyId);
    expect(proxy.requests).toEqual([`POST ${httpSts.url}/`]);
    expect(httpSts.requests).toHaveLength(1);
  });

  it('goes direct when NO_PROXY names the host', async () => {
    await getSessionToken(stsRequest(httpSts.url, { HTTP_PROXY: proxy.url(), NO_PROXY: 'localhost,127.0.0.1' }));

    expect(proxy.requests).toEqual([]);
    expect(httpSts.requests).toHaveLength(1);
  });

  it('ignores the proxy variables of process.env', async () => {
    vi.stubEnv('HTTP_PROXY', 'http://127.0.0.1:9');
    vi.stubEnv('http_proxy', 'http://127.0.0.1:9');

    await getSessionToken(stsRequest(httpSts.url, {}));

    expect(httpSts.requests).toHaveLength(1);
  });

  it('tunnels https through HTTPS_PROXY with CONNECT', async () => {
    await getSessionToken(stsRequest(httpsSts.url, { HTTPS_PROXY: proxy.url() }, tls.certPath));

    expect(proxy.requests).toEqual([`CONNECT 127.0.0.1:${httpsSts.port}`]);
    expect(httpsSts.requests).toHaveLength(1);
  });

  it('sends the credentials of the proxy URL', async () => {
    await getSessionToken(stsRequest(httpsSts.url, { https_proxy: authProxy.url('alice:s3cr3t-pw') }, tls.certPath));

    expect(httpsSts.requests).toHaveLength(1);
  });

  it('reports a proxy that wants credentials, without showing the proxy password', async () => {
    const error = await failureOf(
      getSessionToken(stsRequest(httpsSts.url, { https_proxy: authProxy.url('alice:wrong-pw') }, tls.certPath)),
    );

    expect(error.toLine()).toBe(
      `aws-mfa: GetSessionToken failed: the proxy ${authProxy.url()} asks for authentication (HTTP 407) (put the user and password in the proxy URL: https_proxy=http://USER:PASSWORD@HOST:PORT)`,
    );
    expect(error.toLine()).not.toContain('wrong-pw');
  });

  it('reports a proxy that does not answer', async () => {
    const port = await closedPort();

    const error = await failureOf(
      getSessionToken(stsRequest(httpsSts.url, { HTTPS_PROXY: `http://bob:pw@127.0.0.1:${port}` }, tls.certPath)),
    );

    expect(error.toLine()).toBe(
      `aws-mfa: GetSessionToken failed: cannot reach ${httpsSts.url} through the proxy http://127.0.0.1:${port}: connection refused (check HTTPS_PROXY and NO_PROXY)`,
    );
  });
  it.each([
    ['http://al:pw@[bad', 'aws-mfa: bad proxy setting: http://[bad is not a URL (check HTTPS_PROXY, HTTP_PROXY and ALL_PROXY)'],
    [
      'socks5://al:pw@127.0.0.1:1080',
      'aws-mfa: bad proxy setting: socks5:// proxies are not supported, only http:// and https:// (check HTTPS_PROXY, HTTP_PROXY and ALL_PROXY)',
    ],
  ])('refuses the proxy %s with exit 2', async (proxyUrl, line) => {
    const error = await failureOf(getSessionToken(stsRequest(httpsSts.url, { HTTPS_PROXY: proxyUrl })));

    expect(error.toLine()).toBe(line);
    expect(error.exitCode).toBe(2);
    expect(httpsSts.requests).toHaveLength(0);
  });
});

describe('CA bundle', () => {
  const certificateLine = (host: string) =>
    `aws-mfa: GetSessionToken failed: the TLS certificate of ${host} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT) (behind a TLS-inspecting proxy, set AWS_CA_BUNDLE or ca_bundle to a PEM file with its CA)`;

  it('refuses a certificate that the default CAs do not trust', async () => {
    const error = await failureOf(getSessionToken(stsRequest(httpsSts.url, {})));

    expect(error.toLine()).toBe(certificateLine(httpsSts.url));
    expect(error.exitCode).toBe(1);
  });

  it('trusts the CAs of the bundle', async () => {
    const result = await getSessionToken(stsRequest(httpsSts.url, {}, tls.certPath));

    expect(result.credentials.sessionToken).toBe(SESSION.sessionToken);
  });

  it('checks the target’s certificate through a CONNECT tunnel too', async () => {
    const error = await failureOf(getSessionToken(stsRequest(httpsSts.url, { HTTPS_PROXY: proxy.url() })));

    expect(error.toLine()).toBe(certificateLine(httpsSts.url));
  });

  it('checks the target’s host name through a CONNECT tunnel', async () => {
    const localhostUrl = `https://localhost:${httpsSts.port}`;

    const error = await failureOf(getSessionToken(stsRequest(localhostUrl, { HTTPS_PROXY: proxy.url() }, tls.certPath)));

    expect(error.toLine()).toBe(
      `aws-mfa: GetSessionToken failed: the TLS certificate of ${localhostUrl} is for another host name (check the STS endpoint)`,
    );
  });

  it('reports a bundle that cannot be read', async () => {
    const missing = join(temp.path, 'missing.pem');

    const error = await failureOf(getSessionToken(stsRequest(httpsSts.url, {}, missing)));

    expect(error.toLine()).toBe(
      `aws-mfa: cannot read the CA bundle: ${missing}: ENOENT (check AWS_CA_BUNDLE or ca_bundle in the AWS config file)`,
    );
  });

  it('reports a bundle that holds no certificate', async () => {
    const notPem = join(temp.path, 'not.pem');
    writeFileSync(notPem, 'hello\n');

    const error = await failureOf(getSessionToken(stsRequest(httpsSts.url, {}, notPem)));

    expect(error.toLine()).toBe(
      `aws-mfa: bad CA bundle: ${notPem} holds no PEM certificate (AWS_CA_BUNDLE and ca_bundle name a PEM file of CA certificates)`,
    );
  });
});
