import { describe, expect, it } from 'vitest';
import { partitionOf } from '../../src/aws/partition.js';
import { consoleHome, federationEndpoint, validateDestination } from '../../src/console/signin-endpoints.js';
import { UsageError } from '../../src/core/errors.js';

describe('the sign-in host follows the partition', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/admin', undefined, 'https://signin.aws.amazon.com/federation'],
    ['arn:aws-cn:iam::123456789012:role/admin', undefined, 'https://signin.amazonaws.cn/federation'],
    ['arn:aws-us-gov:iam::123456789012:role/admin', undefined, 'https://signin.amazonaws-us-gov.com/federation'],
    [undefined, 'cn-north-1', 'https://signin.amazonaws.cn/federation'],
    [undefined, 'us-gov-west-1', 'https://signin.amazonaws-us-gov.com/federation'],
    [undefined, undefined, 'https://signin.aws.amazon.com/federation'],
  ])('%s in %s: %s', (roleArn, region, endpoint) => {
    expect(federationEndpoint(partitionOf(roleArn, region), {})).toBe(endpoint);
  });

  it('AWS_MFA_SIGNIN_ENDPOINT overrides it', () => {
    expect(federationEndpoint('aws-cn', { AWS_MFA_SIGNIN_ENDPOINT: 'http://127.0.0.1:9/federation' })).toBe(
      'http://127.0.0.1:9/federation',
    );
  });

  it.each(['signin.example.com', 'ftp://signin.example.com/federation'])('a bad override %s is bad usage', (value) => {
    expect(() => federationEndpoint('aws', { AWS_MFA_SIGNIN_ENDPOINT: value })).toThrow(UsageError);
  });
});

describe('the default destination is the console home of the region', () => {
  it.each([
    ['aws', 'eu-west-1', 'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1'],
    ['aws', undefined, 'https://console.aws.amazon.com/console/home'],
    ['aws-cn', 'cn-north-1', 'https://console.amazonaws.cn/console/home?region=cn-north-1'],
    ['aws-us-gov', 'us-gov-west-1', 'https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1'],
  ] as const)('%s %s', (partition, region, home) => {
    expect(consoleHome(partition, region)).toBe(home);
  });
});

describe('--destination', () => {
  it('takes a full https URL', () => {
    expect(validateDestination('https://console.aws.amazon.com/s3/home')).toBe('https://console.aws.amazon.com/s3/home');
  });

  it.each(['s3', 'http://console.aws.amazon.com/', 'javascript:alert(1)'])('refuses %s', (destination) => {
    expect(() => validateDestination(destination)).toThrow(UsageError);
  });
});
