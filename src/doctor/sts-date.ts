import { HttpRequest } from '@smithy/core/protocols';
import { EnvHttpHandler } from '../aws/http-handler.js';
import { AwsMfaError } from '../core/errors.js';
import type { Env } from '../core/io.js';

/**
 * GET / of the endpoint, unsigned, through the proxy and CA bundle the STS calls use; the answer
 * (an error page is fine) carries the server's Date.
 */
export async function fetchServerDate(url: string, env: Env, caBundle: string | undefined): Promise<Date> {
  const handler = new EnvHttpHandler({ env, caBundle });
  const target = new URL(url);
  try {
    const { response } = await handler.handle(
      new HttpRequest({
        protocol: target.protocol,
        hostname: target.hostname,
        ...(target.port ? { port: Number(target.port) } : {}),
        path: '/',
        method: 'GET',
        headers: { host: target.host },
      }),
    );
    (response.body as NodeJS.ReadableStream | undefined)?.resume();
    const date = new Date(String(response.headers.date));
    if (Number.isNaN(date.getTime())) throw new AwsMfaError(`no clock reading from ${url}`, 'its answer has no Date header');
    return date;
  } catch (error) {
    if (error instanceof AwsMfaError) throw error;
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    throw new AwsMfaError(`cannot reach STS at ${url}`, code ?? (error instanceof Error ? error.message : String(error)), {
      hint: 'check the network, HTTPS_PROXY/NO_PROXY and the endpoint settings',
    });
  } finally {
    handler.destroy();
  }
}
