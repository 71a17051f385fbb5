import { describe, expect, it } from 'vitest';
import { proxyForUrl, redactUrlCredentials } from '../../src/aws/http-handler.js';

const STS = 'https://sts.eu-west-1.amazonaws.com/';

describe('proxyForUrl', () => {
  it('uses https_proxy for https and http_proxy for http', () => {
    const env = { HTTPS_PROXY: 'http://secure:3128', HTTP_PROXY: 'http://plain:3128' };

    expect(proxyForUrl(STS, env)).toBe('http://secure:3128');
    expect(proxyForUrl('http://localhost:4566/', env)).toBe('http://plain:3128');
  });

  it('prefers the lower-case variable, and falls back to all_proxy', () => {
    expect(proxyForUrl(STS, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })).toBe('http://lower:1');
    expect(proxyForUrl(STS, { ALL_PROXY: 'http://all:3' })).toBe('http://all:3');
  });

  it('gives none when nothing is set, or only blanks', () => {
    expect(proxyForUrl(STS, {})).toBeUndefined();
    expect(proxyForUrl(STS, { HTTPS_PROXY: ' ' })).toBeUndefined();
  });

  it('reads a proxy without a scheme as http://', () => {
    expect(proxyForUrl(STS, { HTTPS_PROXY: 'proxy.corp:8080' })).toBe('http://proxy.corp:8080');
  });

  it.each([
    ['*', STS],
    ['amazonaws.com', STS],
    ['.amazonaws.com', STS],
    ['*.amazonaws.com', STS],
    ['sts.eu-west-1.amazonaws.com', STS],
    ['other.example, AMAZONAWS.COM', STS],
    ['sts.eu-west-1.amazonaws.com:443', STS],
    ['10.0.0.0/8', 'https://10.1.2.3/'],
    ['10.1.2.3', 'https://10.1.2.3:8443/'],
    ['::1', 'http://[::1]:4566/'],
    ['[::1]:4566', 'http://[::1]:4566/'],
    ['fd00::/8', 'https://[fd12::1]/'],
  ])('bypasses the proxy when no_proxy is %j for %s', (noProxy, url) => {
    expect(proxyForUrl(url, { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: noProxy })).toBeUndefined();
  });

  it.each([
    ['example.com', STS],
    ['ws.amazonaws.com', STS],
    ['sts.eu-west-1.amazonaws.com:8443', STS],
    ['10.0.0.0/8', 'https://11.1.2.3/'],
    ['10.0.0.0/99', 'https://10.1.2.3/'],
    ['fd00::/8', 'https://10.1.2.3/'],
  ])('keeps the proxy when no_proxy is %j for %s', (noProxy, url) => {
    expect(proxyForUrl(url, { HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy })).toBe('http://p:1');
  });
});

describe('redactUrlCredentials', () => {
  it('drops the user and password of a proxy URL', () => {
    expect(redactUrlCredentials('http://alice:pa%40ss@proxy.corp:3128')).toBe('http://proxy.corp:3128');
    expect(redactUrlCredentials('http://proxy.corp:3128/')).toBe('http://proxy.corp:3128');
  });

  it('drops them from text that is not a URL too', () => {
    expect(redactUrlCredentials('http://al ice:pw@proxy:x')).toBe('http://proxy:x');
  });
});
