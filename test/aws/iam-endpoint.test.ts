import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listMfaDevices } from '../../src/aws/iam.js';
import { makeTempDir, type TlsIdentity } from './fake-aws.js';
import { FakeIam, InterceptingProxy, listMfaDevicesReply, makeCertificateFor } from './fake-iam.js';

// The proxy tunnels every CONNECT to a local IAM that holds a certificate for the real host
// names: the SDK resolves and signs for the real endpoint, and nothing leaves this machine.
const IAM_HOSTS = ['iam.amazonaws.com', 'iam.cn-north-1.amazonaws.com.cn', 'iam.us-gov.amazonaws.com'];
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';

const temp = makeTempDir();
let tls: TlsIdentity;
let iam: FakeIam;
let proxy: InterceptingProxy;

beforeAll(async () => {
  tls = makeCertificateFor(temp.path, IAM_HOSTS);
  iam = await FakeIam.start(tls);
  iam.respond = () => listMfaDevicesReply([{ userName: 'alice', serialNumber: SERIAL, enableDate: '2026-01-01T00:00:00Z' }]);
  proxy = await InterceptingProxy.start(iam.port);
});
afterAll(async () => {
  await Promise.all([iam.close(), proxy.close()]);
  temp.remove();
});
afterEach(() => {
  iam.requests.length = 0;
  proxy.connectTargets.length = 0;
});

async function callFrom(region: string | undefined): Promise<{ connect: string | undefined; host: string | undefined; scope: string }> {
  const devices = await listMfaDevices({
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    target: { region, endpoint: undefined, caBundle: tls.certPath },
    env: { HTTPS_PROXY: proxy.url },
  });
  expect(devices.map((device) => device.serialNumber)).toEqual([SERIAL]);
  const authorization = iam.requests[0]?.headers.authorization ?? '';
  const [, signingRegion = '', service = ''] = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(authorization) ?? [];
  return { connect: proxy.connectTargets[0], host: iam.requests[0]?.headers.host, scope: `${signingRegion}/${service}` };
}

describe('the IAM endpoint without an endpoint URL', () => {
  it.each([
    ['us-east-1', 'iam.amazonaws.com', 'us-east-1/iam'],
    ['eu-west-1', 'iam.amazonaws.com', 'us-east-1/iam'],
    ['ap-southeast-2', 'iam.amazonaws.com', 'us-east-1/iam'],
    [undefined, 'iam.amazonaws.com', 'us-east-1/iam'],
    ['cn-north-1', 'iam.cn-north-1.amazonaws.com.cn', 'cn-north-1/iam'],
    ['cn-northwest-1', 'iam.cn-north-1.amazonaws.com.cn', 'cn-north-1/iam'],
    ['us-gov-west-1', 'iam.us-gov.amazonaws.com', 'us-gov-west-1/iam'],
    ['us-gov-east-1', 'iam.us-gov.amazonaws.com', 'us-gov-west-1/iam'],
  ])('from region %s is the global endpoint of the partition, %s, signed for %s', async (region, host, scope) => {
    expect(await callFrom(region)).toEqual({ connect: `${host}:443`, host, scope });
  });
});
