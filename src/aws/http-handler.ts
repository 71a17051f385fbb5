import { readFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { AwsMfaError, UsageError } from '../core/errors.js';
import type { Env } from '../core/io.js';

type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];
type HttpHandleOptions = Parameters<NodeHttpHandler['handle']>[1];
type TunnelConnectOptions = Parameters<HttpsProxyAgent<string>['connect']>[1];

const CONNECTION_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 15_000;

export interface HttpHandlerSettings {
  env: Env;
  /** A PEM file; see readCaBundle for why it replaces the system CAs. */
  caBundle: string | undefined;
}

/**
 * An SDK request handler that honours the proxy variables of `env` (not process.env) and a CA
 * bundle. The proxy is chosen per request from its URL, so one handler serves any endpoint.
 */
export class EnvHttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly ca: string | undefined;
  private readonly handlers = new Map<string, NodeHttpHandler>();

  constructor(private readonly settings: HttpHandlerSettings) {
    this.ca = settings.caBundle === undefined ? undefined : readCaBundle(settings.caBundle);
  }

  handle(request: HttpRequest, options?: HttpHandleOptions): ReturnType<NodeHttpHandler['handle']> {
    return this.handlerFor(proxyForUrl(requestUrl(request), this.settings.env)).handle(request, options);
  }

  /** The proxy a request to `url` goes through, without credentials, for messages. */
  describeProxy(url: string): string | undefined {
    const proxy = proxyForUrl(url, this.settings.env);
    return proxy === undefined ? undefined : redactUrlCredentials(proxy);
  }

  /** Timeouts and agents are ours: the SDK's updates (its logger, a default socket timeout) do not apply. */
  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): NodeHttpHandlerOptions {
    return { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS };
  }

  destroy(): void {
    for (const handler of this.handlers.values()) handler.destroy();
    this.handlers.clear();
  }

  private handlerFor(proxy: string | undefined): NodeHttpHandler {
    const key = proxy ?? '';
    let handler = this.handlers.get(key);
    if (!handler) {
      handler = new NodeHttpHandler({
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        throwOnRequestTimeout: true,
        ...agentsFor(proxy, this.ca),
      });
      this.handlers.set(key, handler);
    }
    return handler;
  }
}

/**
 * The agent for one plain node:http(s) request to `url` (not through the SDK): the same proxy
 * choice and CA bundle as the SDK's requests get. Not kept alive, so the process can end.
 */
export function agentForUrl(url: string, settings: HttpHandlerSettings): HttpAgent | HttpsAgent {
  const ca = settings.caBundle === undefined ? undefined : readCaBundle(settings.caBundle);
  const agents = agentsFor(proxyForUrl(url, settings.env), ca, false);
  return url.startsWith('https:') ? agents.httpsAgent : agents.httpAgent;
}

function agentsFor(proxy: string | undefined, ca: string | undefined, keepAlive = true): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  if (proxy === undefined) {
    return { httpAgent: new HttpAgent({ keepAlive }), httpsAgent: new HttpsAgent({ keepAlive, ca }) };
  }
  checkProxyUrl(proxy);
  // An https:// proxy is verified with the same CAs as AWS: a corporate bundle holds its root.
  return {
    httpAgent: new HttpProxyAgent(proxy, { ca, keepAlive }) as unknown as HttpAgent,
    httpsAgent: new TunnelAgent(proxy, ca, keepAlive) as unknown as HttpsAgent,
  };
}

/** Throws UsageError for a proxy URL that the handler cannot use. */
export function checkProxyUrl(proxy: string): void {
  let scheme: string;
  try {
    scheme = new URL(proxy).protocol;
  } catch {
    throw new UsageError('bad proxy setting', `${redactUrlCredentials(proxy)} is not a URL`, { hint: PROXY_VARIABLES });
  }
  if (scheme !== 'http:' && scheme !== 'https:') {
    throw new UsageError('bad proxy setting', `${scheme}// proxies are not supported, only http:// and https://`, {
      hint: PROXY_VARIABLES,
    });
  }
}

const PROXY_VARIABLES = 'check HTTPS_PROXY, HTTP_PROXY and ALL_PROXY';

/**
 * HttpsProxyAgent starts TLS to the target with the request's options only, never the agent's,
 * so the CA bundle is added here. It also drops `host`, so for an IP address (which sends no SNI
 * servername) Node would check the certificate against "localhost": check it against the target.
 */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    private readonly ca: string | undefined,
    keepAlive: boolean,
  ) {
    super(proxy, { ca, keepAlive });
  }

  override connect(request: ClientRequest, options: TunnelConnectOptions) {
    const target = options.host;
    if (!options.secureEndpoint || target === undefined) return super.connect(request, options);
    return super.connect(request, {
      ...options,
      ...(this.ca === undefined ? {} : { ca: this.ca }),
      checkServerIdentity: (_servername: string, certificate: PeerCertificate) => checkServerIdentity(target, certificate),
    });
  }
}

/**
 * Like botocore (the AWS CLI), whose `ca_bundle` / AWS_CA_BUNDLE becomes urllib3's `ca_certs`, the
 * bundle replaces the default trusted CAs rather than adding to them: a bundle made for a
 * TLS-inspecting proxy must therefore hold every CA the user needs, as it must for the AWS CLI.
 */
export function readCaBundle(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new AwsMfaError('cannot read the CA bundle', `${path}: ${reason}`, {
      hint: 'check AWS_CA_BUNDLE or ca_bundle in the AWS config file',
      cause: error,
    });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new AwsMfaError('bad CA bundle', `${path} holds no PEM certificate`, {
      hint: 'AWS_CA_BUNDLE and ca_bundle name a PEM file of CA certificates',
    });
  }
  return pem;
}

function requestUrl(request: HttpRequest): string {
  const port = request.port === undefined ? '' : `:${request.port}`;
  return `${request.protocol}//${request.hostname}${port}${request.path}`;
}

/**
 * The proxy for `url` from env, as curl and the AWS CLI read it: lower-case names first, then
 * upper case; `https_proxy` for https URLs, `http_proxy` for http ones, `all_proxy` for both.
 * undefined when there is none or when no_proxy matches the host.
 */
export function proxyForUrl(url: string, env: Env): string | undefined {
  const target = new URL(url);
  const scheme = target.protocol.replace(/:$/, '');
  const proxy = readEnv(env, `${scheme}_proxy`) ?? readEnv(env, 'all_proxy');
  if (proxy === undefined || bypassesProxy(target, readEnv(env, 'no_proxy') ?? '')) return undefined;
  return proxy.includes('://') ? proxy : `http://${proxy}`;
}

function readEnv(env: Env, lowerCaseName: string): string | undefined {
  const value = env[lowerCaseName] || env[lowerCaseName.toUpperCase()];
  return value?.trim() || undefined;
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

/**
 * no_proxy is a comma or space separated list of `*`, host names (matching the host and its
 * subdomains; a leading `.` or `*.` is allowed), IP addresses, CIDR ranges, each with an optional
 * `:port`.
 */
function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || DEFAULT_PORTS[target.protocol] || '';
  return noProxy
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .some((entry) => noProxyEntryMatches(entry.toLowerCase(), host, port));
}

function noProxyEntryMatches(entry: string, host: string, port: string): boolean {
  if (entry === '*') return true;
  const { address, entryPort } = splitHostPort(entry);
  if (entryPort !== undefined && entryPort !== port) return false;
  if (address.includes('/')) return ipInCidr(host, address);
  const suffix = address.replace(/^\*?\./, '');
  return host === suffix || host.endsWith(`.${suffix}`);
}

/** `host:port`, `[v6]:port`, or a bare IPv6 address or range (whose colons are no port). */
function splitHostPort(entry: string): { address: string; entryPort: string | undefined } {
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { address: bracketed[1] ?? '', entryPort: bracketed[2] };
  const parts = entry.split(':');
  if (parts.length !== 2) return { address: entry, entryPort: undefined };
  return { address: parts[0] ?? '', entryPort: parts[1] };
}

function ipInCidr(host: string, cidr: string): boolean {
  const [network = '', prefix = ''] = cidr.split('/');
  const version = isIP(network);
  if (version === 0 || isIP(host) !== version || !/^\d+$/.test(prefix)) return false;
  const family = version === 6 ? 'ipv6' : 'ipv4';
  const ranges = new BlockList();
  try {
    ranges.addSubnet(network, Number(prefix), family);
  } catch {
    return false; // a prefix longer than the address
  }
  return ranges.check(host, family);
}

/** `http://user:secret@proxy:3128` as `http://proxy:3128`: proxy passwords never reach a message. */
export function redactUrlCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}
