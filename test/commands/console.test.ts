import { describe, expect, it, vi } from 'vitest';
import { type ConsoleDependencies, type ConsoleProfile, consoleCommand } from '../../src/commands/console.js';
import { AwsMfaError, UsageError } from '../../src/core/errors.js';
import { createFakeIo } from '../fakes/fake-io.js';

const ROLE_SESSION = {
  accessKeyId: 'ASIAROLESESSIONEXAMPLE',
  secretAccessKey: 'role-secret-EXAMPLE',
  sessionToken: 'role-token-EXAMPLE',
  expiration: new Date('2026-11-22T09:00:00Z'),
};

function setUp(profile: Partial<ConsoleProfile> = {}, env: Record<string, string> = {}) {
  const io = createFakeIo({ env });
  const credentials = vi.fn(async () => ROLE_SESSION);
  const opened: string[] = [];
  const deps: ConsoleDependencies = {
    io,
    consoleProfile: async () => ({
      profile: 'admin',
      roleArn: 'arn:aws:iam::210987654321:role/admin',
      region: 'eu-west-1',
      caBundle: undefined,
      credentials,
      ...profile,
    }),
    getSigninToken: vi.fn(async () => 'SIGNIN-TOKEN-EXAMPLE'),
    openInBrowser: async (url) => void opened.push(url),
  };
  return { io, deps, opened, credentials };
}

describe('console', () => {
  it('--url prints the sign-in URL for the role session, and nothing else on stdout', async () => {
    const { io, deps, opened } = setUp();

    const exitCode = await consoleCommand({ url: true }, deps);

    expect(exitCode).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const url = new URL(io.stdout[0]?.trim() ?? '');
    expect(url.origin + url.pathname).toBe('https://signin.aws.amazon.com/federation');
    expect(url.searchParams.get('Destination')).toBe('https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1');
    expect(url.searchParams.get('SigninToken')).toBe('SIGNIN-TOKEN-EXAMPLE');
    expect(deps.getSigninToken).toHaveBeenCalledWith(
      expect.objectContaining({ credentials: ROLE_SESSION, endpoint: 'https://signin.aws.amazon.com/federation' }),
    );
    expect(opened).toEqual([]);
  });

  it('opens the browser with the URL by default, and says so on stderr without the URL', async () => {
    const { io, deps, opened } = setUp({}, { AWS_MFA_SIGNIN_ENDPOINT: 'http://127.0.0.1:9/federation' });

    await consoleCommand({ destination: 'https://console.aws.amazon.com/s3/home' }, deps);

    expect(opened).toHaveLength(1);
    const url = new URL(opened[0] ?? '');
    expect(url.host).toBe('127.0.0.1:9');
    expect(url.searchParams.get('Destination')).toBe('https://console.aws.amazon.com/s3/home');
    expect(io.stdout).toEqual([]);
    expect(io.stderr.join('')).toBe('aws-mfa: opened the AWS console for admin (arn:aws:iam::210987654321:role/admin) in the browser\n');
    expect(io.stderr.join('')).not.toContain('SIGNIN-TOKEN');
  });

  it('a profile with no role: exit 1 before any code is asked, with the two ways out', async () => {
    const { deps, credentials } = setUp({ profile: 'prod', roleArn: undefined });

    const error = await consoleCommand({}, deps).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AwsMfaError);
    expect((error as AwsMfaError).exitCode).toBe(1);
    expect((error as AwsMfaError).toLine()).toBe(
      'aws-mfa: cannot open the console for prod: AWS refuses console sign-in with an MFA session from GetSessionToken; it signs in role sessions only (sign in with your password and `aws-mfa code prod`, or define a role profile (role_arn, source_profile = prod) and run `aws-mfa console -p ROLE`)',
    );
    expect(credentials).not.toHaveBeenCalled();
  });

  it('a bad --destination is bad usage before the profile is read', async () => {
    const { deps, credentials } = setUp();

    await expect(consoleCommand({ destination: 'console' }, deps)).rejects.toThrow(UsageError);
    expect(credentials).not.toHaveBeenCalled();
  });

  it('the partition of the role picks the sign-in host and the console', async () => {
    const { io, deps } = setUp({ roleArn: 'arn:aws-cn:iam::210987654321:role/admin', region: 'cn-north-1' });

    await consoleCommand({ url: true }, deps);

    const url = new URL(io.stdout[0]?.trim() ?? '');
    expect(url.host).toBe('signin.amazonaws.cn');
    expect(url.searchParams.get('Destination')).toBe('https://console.amazonaws.cn/console/home?region=cn-north-1');
  });
});
