import { fetchRoleSession, fetchRoleSessionWithMfa } from './assume-role-provider.js';
import { cachedProvider, type SessionProvider } from './cached-provider.js';
import type { SessionDependencies } from './dependencies.js';
import type { ProfileChain } from './profile-chain.js';
import { type MfaOptions, RootMfa } from './root-mfa.js';
import { expectedSessions } from './session-fit.js';
import { fetchSessionToken } from './session-token-provider.js';

export interface ChainOptions extends MfaOptions {
  /** Renew the named profile's own hop even when its cached session could be served. */
  readonly force: boolean;
}

/**
 * The chain as providers that wrap each other: the root's GetSessionToken, then one AssumeRole per
 * role, each hop inside the same cached single-flight wrapper. Callers get the named profile's
 * session and need not know whether it is a role.
 */
export function chainProvider(chain: ProfileChain, options: ChainOptions, deps: SessionDependencies): SessionProvider {
  const expected = expectedSessions(chain);
  const root = new RootMfa(chain.root, options, deps, chain.hops[0]?.settings.profile);
  const prepareRoot = async () => void (await root.keySource());
  let provider = cachedProvider(
    {
      profile: chain.root.profile,
      expected: expected[0] as (typeof expected)[number],
      refreshMarginSeconds: chain.root.refreshMarginSeconds,
      force: options.force && chain.hops.length === 0,
      prepare: prepareRoot,
      fetch: () => fetchSessionToken(root, deps),
    },
    deps,
  );
  chain.hops.forEach((hop, index) => {
    const source = provider;
    provider = cachedProvider(
      {
        profile: hop.settings.profile,
        expected: expected[index + 1] as (typeof expected)[number],
        refreshMarginSeconds: hop.settings.refreshMarginSeconds,
        force: options.force && index === chain.hops.length - 1,
        prepare: hop.withMfa ? prepareRoot : () => source.prepare(),
        fetch: (stale) => (hop.withMfa ? fetchRoleSessionWithMfa(hop, root, stale, deps) : fetchRoleSession(hop, source, stale, deps)),
      },
      deps,
    );
  });
  return provider;
}
