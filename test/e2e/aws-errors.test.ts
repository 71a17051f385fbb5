/**
 * STS refusing or failing, end to end: bin/aws-mfa against a fake STS that answers with AWS's
 * real error documents (and moto with key checking on). Every failure exits 1 with one line that
 * carries no key id, secret, token or MFA code; the cache stays empty and no file changes.
 */
import { beforeAll, describe, type ExpectStatic, it } from 'vitest';
import { closedPort, errorReply, type FakeReply, FakeSts, SESSION } from '../aws/fake-aws.js';
import { useMoto } from './harness/moto.js';
import { expectNoSecrets, expectOnlyLockFoldersAdded, expectRefusal, type Refusal } from './harness/refusals.js';
import { Sandbox } from './harness/sandbox.js';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
const CODE = '246813';
const CREDENTIALS = `# work account\n[dev-long-term]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n\n[other]\nregion = us-west-2\n`;
const CONFIG = `[profile dev]\nmfa_serial = ${SERIAL}\nregion = eu-west-1\n`;
/** Nothing of these may reach stderr: the long-term keys, the code, and any session's secrets. */
const SECRETS = [KEY_ID, SECRET, CODE, SESSION.accessKeyId, SESSION.secretAccessKey, SESSION.sessionToken];

type Command = 'login' | 'credential-process' | 'env' | 'exec';

function argv(command: Command, ...extra: string[]): string[] {
  const args = [command, '-p', 'dev', '--code', CODE, ...extra];
  return command === 'exec' ? [...args, '--', 'sh', '-c', 'touch ran-the-command'] : args;
}

interface StsCase extends Refusal {
  name: string;
  reply: FakeReply;
  command: Command;
  /** How many requests STS may see: 1 for errors that must not be retried (a code is used once). */
  requests: number | 'retried';
}

/** What STS answers to a wrong code, and to a code already used once. */
const WRONG_CODE = errorReply(403, 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ');

/** AWS's own messages, as STS sends them. */
const stsCases: StsCase[] = [
  {
    name: 'wrong or reused code (AccessDenied, MultiFactorAuthentication failed)',
    reply: WRONG_CODE,
    command: 'login',
    requests: 1,
    exit: 1,
    words: ['GetSessionToken failed', 'rejected the MFA code', 'already used'],
  },
  {
    name: 'a serial of another user (AccessDenied, unable to validate MFA code)',
    reply: errorReply(
      403,
      'AccessDenied',
      'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
    ),
    command: 'credential-process',
    requests: 1,
    exit: 1,
    words: ['GetSessionToken failed', 'MFA device', 'mfa_serial'],
  },
  {
    name: 'SignatureDoesNotMatch',
    reply: errorReply(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ),
    command: 'env',
    requests: 1,
    exit: 1,
    words: ['GetSessionToken failed', 'secret access key does not match'],
  },
  {
    name: 'ExpiredToken',
    reply: errorReply(403, 'ExpiredToken', 'The security token included in the request is expired'),
    command: 'exec',
    requests: 1,
    exit: 1,
    words: ['GetSessionToken failed', 'expired', 'IAM user access key'],
  },
  {
    name: 'InvalidClientTokenId',
    reply: errorReply(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'),
    command: 'login',
    requests: 1,
    exit: 1,
    words: ['GetSessionToken failed', 'does not know the access key id'],
  },
  {
    name: 'a policy denies the call (AccessDenied naming the user)',
    reply: errorReply(
      403,
      'AccessDenied',
      'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:GetSessionToken with an explicit deny in an identity-based policy',
    ),
    command: 'credential-process',
    requests: 1,
    exit: 1,
    words: ['GetSessionToken failed', 'access denied', 'user/alice'],
  },
  {
    name: 'ValidationError echoing the code',
    reply: errorReply(
      400,
      'ValidationError',
      `1 validation error detected: Value '${CODE}' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*`,
    ),
    command: 'env',
    requests: 1,
    exit: 1,
    words: ['GetSessionToken failed', 'AWS rejected the request', 'tokenCode'],
  },
  {
    name: 'an unknown error whose message names the keys and the code',
    reply: errorReply(400, 'OddError', `key ${KEY_ID} secret ${SECRET} code ${CODE} token ${SESSION.sessionToken}`),
    command: 'login',
    requests: 1,
    exit: 1,
    words: ['GetSessionToken failed', 'OddError'],
  },
  {
    name: 'Throttling: bounded retries, then the message',
    reply: errorReply(400, 'Throttling', 'Rate exceeded'),
    command: 'credential-process',
    requests: 'retried',
    exit: 1,
    words: ['GetSessionToken failed', 'throttling', /after \d+ attempts/, 'try again'],
  },
  {
    name: 'an internal error (HTTP 500)',
    reply: errorReply(500, 'InternalFailure', 'An internal error occurred.', 'Receiver'),
    command: 'exec',
    requests: 'retried',
    exit: 1,
    words: ['GetSessionToken failed', 'AWS is unavailable', 'HTTP 500'],
  },
  {
    name: "a proxy's HTML error page (HTTP 502)",
    reply: { status: 502, body: '<html><body>Bad Gateway</body></html>', headers: { 'Content-Type': 'text/html' } },
    command: 'login',
    requests: 'retried',
    exit: 1,
    words: ['GetSessionToken failed', 'unavailable', '502'],
  },
];

let unreachable: string;

beforeAll(async () => {
  unreachable = `http://127.0.0.1:${await closedPort()}`;
});

/** A fake STS of its own for one test, answering every request with reply. */
async function withFakeSts<T>(reply: FakeReply, use: (sts: FakeSts) => Promise<T>): Promise<T> {
  const sts = await FakeSts.start();
  sts.reply = reply;
  try {
    return await use(sts);
  } finally {
    await sts.close();
  }
}

/** A HOME with a working profile `dev` whose STS is endpoint; removed after use. */
async function withSandbox<T>(endpoint: string, use: (box: Sandbox) => Promise<T>): Promise<T> {
  const box = new Sandbox({ endpointUrl: endpoint, region: 'eu-west-1' });
  box.writeCredentials(CREDENTIALS);
  box.writeConfig(CONFIG);
  try {
    return await use(box);
  } finally {
    box.remove();
  }
}

/** Every STS failure: exit 1, one line, no secret, no session cached, no file changed. */
async function expectStsFailure(expect: ExpectStatic, box: Sandbox, args: readonly string[], refusal: Refusal): Promise<string> {
  const before = box.snapshot();
  const result = await box.runCli(args);
  const line = expectRefusal(expect, result, refusal);
  expectNoSecrets(expect, result.stderr, SECRETS);
  expectOnlyLockFoldersAdded(expect, before, box.snapshot());
  return line;
}

describe.concurrent('STS refuses: exit 1, one line, nothing written', () => {
  it.for(stsCases)('$name ($command)', async (testCase, { expect }) => {
    await withFakeSts(testCase.reply, (sts) =>
      withSandbox(sts.url, async (box) => {
        const line = await expectStsFailure(expect, box, argv(testCase.command), testCase);

        expect(sts.requests.length).toBeGreaterThanOrEqual(1);
        if (testCase.requests === 'retried') {
          expect(sts.requests.length).toBeGreaterThan(1);
          expect(sts.requests.length).toBeLessThanOrEqual(5);
          const attempts = /after (\d+) attempts/.exec(line)?.[1];
          if (attempts !== undefined) expect(Number(attempts)).toBe(sts.requests.length);
        } else {
          expect(sts.requests).toHaveLength(testCase.requests);
        }
        expect(sts.requests.every((request) => request.params.get('TokenCode') === CODE)).toBe(true);
      }),
    );
  });

  it.for(['login', 'credential-process', 'env', 'exec'] as const)('a wrong code with %s', async (command, { expect }) => {
    await withFakeSts(WRONG_CODE, (sts) =>
      withSandbox(sts.url, async (box) => {
        await expectStsFailure(expect, box, argv(command), { exit: 1, words: ['GetSessionToken failed', 'rejected the MFA code'] });
        expect(sts.requests).toHaveLength(1);
      }),
    );
  });

  it('--debug: details and a stack trace on stderr, still no secret', async ({ expect }) => {
    const reply = errorReply(400, 'OddError', `key ${KEY_ID} secret ${SECRET} code ${CODE}`);
    await withFakeSts(reply, (sts) =>
      withSandbox(sts.url, async (box) => {
        const before = box.snapshot();

        const result = await box.runCli(['--debug', ...argv('login')]);

        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/^\s+at /m);
        // The bundle's frames are mapped to the TypeScript sources, and the error keeps its class name.
        expect(result.stderr).toMatch(/^aws-mfa\[debug\]: AwsCallError: GetSessionToken failed/m);
        expect(result.stderr).toMatch(/^\s+at .*\/src\/aws\/sts\.ts:\d+:\d+\)$/m);
        expect(result.stderr).not.toMatch(/^\s+at .*dist\/.*\.cjs:/m);
        expect(result.stderr).toMatch(/^aws-mfa: GetSessionToken failed: .*OddError/m);
        expectNoSecrets(expect, result.stderr, SECRETS);
        expect(result.stderr).not.toContain(SECRET.slice(0, 20));
        expectOnlyLockFoldersAdded(expect, before, box.snapshot());
      }),
    );
  });
});

describe.concurrent('STS cannot be reached or does not know the key', () => {
  it('STS unreachable (a closed port on 127.0.0.1)', async ({ expect }) => {
    await withSandbox(unreachable, async (box) => {
      await expectStsFailure(expect, box, argv('login'), {
        exit: 1,
        words: ['GetSessionToken failed', 'cannot reach', 'connection refused'],
      });
    });
  });

  it('STS unreachable, with --debug: still no secret', async ({ expect }) => {
    await withSandbox(unreachable, async (box) => {
      const result = await box.runCli(['--debug', ...argv('credential-process')]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^aws-mfa: GetSessionToken failed: cannot reach .*connection refused/m);
      expectNoSecrets(expect, result.stderr, SECRETS);
    });
  });
});

describe('moto with key checking on', () => {
  const moto = useMoto();

  it('an access key AWS does not know: InvalidClientTokenId, exit 1', async ({ expect }) => {
    await moto.reset();
    await moto.enableAuth(0);
    try {
      await withSandbox(moto.url, async (box) => {
        await expectStsFailure(expect, box, argv('login'), {
          exit: 1,
          words: ['GetSessionToken failed', 'does not know the access key id'],
        });
      });
      expect(await moto.countCalls('GetSessionToken')).toBe(1);
    } finally {
      await moto.disableAuth();
    }
  });
});
