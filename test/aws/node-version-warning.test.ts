import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { getSessionToken } from '../../src/aws/sts.js';
import { FakeSts } from './fake-aws.js';

// The SDK warns at most once per process: this file must be the first to build a client in its
// worker, which vitest's default isolation (one process per test file with `forks`) ensures.
const SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

let sts: FakeSts;
beforeAll(async () => {
  sts = await FakeSts.start();
});
afterAll(() => sts.close());

it('keeps the SDK’s Node version warning quiet, and out of the environment of child processes', async () => {
  vi.stubEnv(SWITCH, undefined);
  const emitWarning = vi.spyOn(process, 'emitWarning');

  await getSessionToken({
    keys: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    serialNumber: 'arn:aws:iam::123456789012:mfa/alice',
    tokenCode: '123456',
    durationSeconds: 900,
    target: { region: 'us-east-1', endpoint: sts.url, caBundle: undefined },
    env: {},
  });

  expect(emitWarning).not.toHaveBeenCalled();
  expect(process.env[SWITCH]).toBeUndefined();
  vi.unstubAllEnvs();
});
