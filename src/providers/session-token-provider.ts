import type { CachedSession } from '../store/session-cache.js';
import type { SessionDependencies } from './dependencies.js';
import type { RootMfa } from './root-mfa.js';

/** The root's MFA session: sts:GetSessionToken with its long-term keys, its serial and a code. */
export async function fetchSessionToken(root: RootMfa, deps: SessionDependencies): Promise<CachedSession> {
  const { settings } = root;
  const { source, rootKeys, code } = await root.prepareCall(settings.durationSeconds);
  const { withSeedHint } = await import('../mfa/code-source.js');
  const { credentials } = await deps
    .getSessionToken({
      keys: source.keys,
      serialNumber: rootKeys.mfaSerial,
      tokenCode: code.code,
      durationSeconds: settings.durationSeconds,
      target: settings.sts,
      env: deps.io.env,
      debug: deps.io.debug,
      now: () => deps.io.now(),
    })
    .catch((error: unknown) => {
      throw withSeedHint(error, code, settings.profile, deps.io.now());
    });
  return { definition: { kind: 'session-token', ...rootKeys }, credentials };
}
