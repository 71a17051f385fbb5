import { DEFAULT_REGION } from '../aws/client-options.js';
import type { ServiceTarget } from '../aws/service-target.js';
import { type CheckResult, failed, passed } from './check-result.js';

const CHECK = 'region and STS';

/** The STS endpoint the session commands call: the configured override, else the region's own. */
export function stsUrl(target: ServiceTarget): string {
  if (target.endpoint) return target.endpoint;
  const region = target.region ?? DEFAULT_REGION;
  return `https://sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

export function checkEndpoint(target: ServiceTarget): CheckResult {
  const url = stsUrl(target);
  if (!URL.canParse(url)) {
    return failed(CHECK, `the STS endpoint ${url} is not a URL`, 'check AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL and endpoint_url');
  }
  const region = target.region ? `region ${target.region}` : `no region configured (${DEFAULT_REGION} is used)`;
  return passed(CHECK, `${region}; STS at ${url}${target.endpoint ? ' (an endpoint override)' : ''}`);
}
