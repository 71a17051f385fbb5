import { checkProxyUrl, proxyForUrl, readCaBundle, redactUrlCredentials } from '../aws/http-handler.js';
import { AwsMfaError } from '../core/errors.js';
import type { Env } from '../core/io.js';
import { type CheckResult, failedWith, passed } from './check-result.js';

const CHECK = 'proxy and CA';

/** The proxy that a request to the STS endpoint goes through (HTTPS_PROXY, NO_PROXY, ...) and the CA bundle, if any. */
export function checkNetwork(url: string, env: Env, caBundle: string | undefined): CheckResult {
  try {
    const proxy = URL.canParse(url) ? proxyForUrl(url, env) : undefined;
    if (proxy !== undefined) checkProxyUrl(proxy);
    if (caBundle !== undefined) readCaBundle(caBundle);
    const via = proxy === undefined ? 'no proxy' : `proxy ${redactUrlCredentials(proxy)}`;
    return passed(CHECK, `${via}; ${caBundle === undefined ? "the system's CAs" : `CA bundle ${caBundle}`}`);
  } catch (error) {
    if (!(error instanceof AwsMfaError)) throw error;
    return failedWith(CHECK, error);
  }
}
