import type { Io } from '../core/io.js';
import type { AwsClientRequest, AwsCredentials } from './client-options.js';
import type { ServiceTarget } from './service-target.js';

/**
 * A request signed with `credentials` to `target`, with the Io's environment, debug lines and
 * clock. A module of its own: the providers that build requests are on the cached path, which
 * must not load the SDK's HTTP handler that client-options.ts imports.
 */
export function clientRequest(credentials: AwsCredentials, target: ServiceTarget, io: Pick<Io, 'env' | 'debug' | 'now'>): AwsClientRequest {
  return { credentials, target, env: io.env, debug: io.debug, now: () => io.now() };
}
