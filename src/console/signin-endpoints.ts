import type { Partition } from '../aws/partition.js';
import { UsageError } from '../core/errors.js';
import type { Env } from '../core/io.js';

const FEDERATION_ENDPOINTS: Readonly<Record<Partition, string>> = {
  aws: 'https://signin.aws.amazon.com/federation',
  'aws-cn': 'https://signin.amazonaws.cn/federation',
  'aws-us-gov': 'https://signin.amazonaws-us-gov.com/federation',
};

const CONSOLE_HOSTS: Readonly<Record<Partition, string>> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** The partition's federation endpoint, or AWS_MFA_SIGNIN_ENDPOINT (private partitions, tests). */
export function federationEndpoint(partition: Partition, env: Env): string {
  const override = env.AWS_MFA_SIGNIN_ENDPOINT?.trim();
  if (!override) return FEDERATION_ENDPOINTS[partition];
  if (!isWebUrl(override)) {
    throw new UsageError('bad AWS_MFA_SIGNIN_ENDPOINT', `'${override}' is not an http:// or https:// URL`, {
      hint: 'it is the full URL of the federation endpoint, e.g. https://signin.aws.amazon.com/federation',
    });
  }
  return override;
}

/** The console home page of the region, as the console itself links it. */
export function consoleHome(partition: Partition, region: string | undefined): string {
  const host = CONSOLE_HOSTS[partition];
  if (region === undefined) return `https://${host}/console/home`;
  // The aws partition serves each region's console from a host of its own; the others from one host.
  const regionalHost = partition === 'aws' ? `${region}.${host}` : host;
  return `https://${regionalHost}/console/home?region=${encodeURIComponent(region)}`;
}

/** A --destination: a full https:// URL (a console page). */
export function validateDestination(destination: string): string {
  let parsed: URL;
  try {
    parsed = new URL(destination);
  } catch {
    throw new UsageError('bad --destination', `'${destination}' is not a URL`, { hint: 'give a full https:// URL of a console page' });
  }
  if (parsed.protocol !== 'https:') throw new UsageError('bad --destination', `'${destination}' is not an https:// URL`);
  return destination;
}

function isWebUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
