import { describe, expect, it } from 'vitest';
import { AwsCallError, scrubSecrets, translateAwsError } from '../../src/aws/aws-error.js';
import { AwsMfaError, UsageError } from '../../src/core/errors.js';

function systemError(code: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${code} something`), { code, ...fields });
}

const AT_STS = { url: 'https://sts.us-east-1.amazonaws.com' };

describe('translateAwsError', () => {
  it.each([
    [
      systemError('ENOTFOUND', { hostname: 'sts.eu-west-1.amazonaws.com' }),
      'cannot reach sts.eu-west-1.amazonaws.com: host name not found',
    ],
    [
      systemError('EAI_AGAIN', { hostname: 'sts.eu-west-1.amazonaws.com' }),
      'cannot reach sts.eu-west-1.amazonaws.com: host name lookup failed',
    ],
    [systemError('ECONNRESET'), 'cannot reach https://sts.us-east-1.amazonaws.com: connection reset'],
    [systemError('ETIMEDOUT', { address: '52.94.0.1', port: 443 }), 'cannot reach 52.94.0.1:443: timed out'],
    [
      Object.assign(new Error('the request socket did not establish a connection'), { name: 'TimeoutError' }),
      'cannot reach https://sts.us-east-1.amazonaws.com: timed out',
    ],
  ])('reports %s as a network failure', (error, why) => {
    const translated = translateAwsError(error, 'GetSessionToken', AT_STS);

    expect(translated).toMatchObject({ what: 'GetSessionToken failed', why, exitCode: 1, kind: 'network' });
    expect(translated.hint).toBe('check the network connection and the region or endpoint');
  });

  it('names the proxy when the request went through one', () => {
    const translated = translateAwsError(systemError('ECONNRESET'), 'GetSessionToken', { ...AT_STS, proxy: 'http://proxy:3128' });

    expect(translated.toLine()).toBe(
      'aws-mfa: GetSessionToken failed: cannot reach https://sts.us-east-1.amazonaws.com through the proxy http://proxy:3128: connection reset (check HTTPS_PROXY and NO_PROXY)',
    );
  });

  it.each(['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'])(
    'points to AWS_CA_BUNDLE for %s',
    (code) => {
      const translated = translateAwsError(systemError(code), 'GetSessionToken', AT_STS);

      expect(translated.toLine()).toBe(
        `aws-mfa: GetSessionToken failed: the TLS certificate of https://sts.us-east-1.amazonaws.com is not trusted (${code}) (behind a TLS-inspecting proxy, set AWS_CA_BUNDLE or ca_bundle to a PEM file with its CA)`,
      );
    },
  );

  it('points to the clock for an expired certificate', () => {
    expect(translateAwsError(systemError('CERT_HAS_EXPIRED'), 'GetSessionToken', AT_STS).hint).toBe('check this computer’s clock');
  });

  it('names the operation, for IAM calls too', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, attempts: 3 },
    });

    expect(translateAwsError(throttled, 'ListMFADevices').toLine()).toBe(
      'aws-mfa: ListMFADevices failed: AWS is throttling requests (ThrottlingException), still after 3 attempts (wait a minute and try again)',
    );
  });

  it('keeps the first line of an unknown error, scrubbed', () => {
    const error = new Error('boom with AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nsecond line');

    expect(translateAwsError(error, 'GetSessionToken').why).toBe('boom with … and …');
  });

  it('passes our own errors through unchanged', () => {
    const own = new UsageError('bad proxy', 'whatever');

    expect(translateAwsError(own, 'GetSessionToken')).toBe(own);
  });

  it('carries the kind, the code and the server date', () => {
    const serverDate = new Date('2026-01-01T00:00:00Z');
    const translated = translateAwsError(systemError('ECONNREFUSED'), 'GetSessionToken', { serverDate });

    expect(translated).toBeInstanceOf(AwsCallError);
    expect(translated).toBeInstanceOf(AwsMfaError);
    expect(translated).toMatchObject({ kind: 'network', code: 'ECONNREFUSED', serverDate });
  });
});

describe('scrubSecrets', () => {
  it('removes key ids, secrets, session tokens and URL passwords', () => {
    const text =
      'key ASIAZZZZZZZZZZEXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY token IQoJb3JpZ2luX2VjEXAMPLETOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ== proxy http://bob:hunter2@proxy:3128';

    expect(scrubSecrets(text, [])).toBe('key … secret … token … proxy http://proxy:3128');
  });

  it('removes the given values only where they stand alone', () => {
    expect(scrubSecrets('code 123456 in account 123456789012', ['123456'])).toBe('code … in account 123456789012');
  });

  it('leaves ARNs and ordinary words alone', () => {
    const text = 'User: arn:aws:iam::123456789012:user/alice is not authorized';

    expect(scrubSecrets(text, [])).toBe(text);
  });
});
