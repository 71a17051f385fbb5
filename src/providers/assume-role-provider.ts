import { clientRequest } from '../aws/client-request.js';
import type { AssumeRoleRequest } from '../aws/sts.js';
import type { LongTermKeys, SessionCredentials } from '../core/credentials.js';
import { noticeOnce } from '../core/io.js';
import { type CachedSession, type RoleSettings, type RootKeys, rootOf } from '../store/session-cache.js';
import type { SessionProvider } from './cached-provider.js';
import type { SessionDependencies } from './dependencies.js';
import type { RoleHop } from './profile-chain.js';
import type { RootMfa } from './root-mfa.js';

/** A role session: sts:AssumeRole signed with the source's session (the root's MFA session, or the previous hop's role session). */
export async function fetchRoleSession(
  hop: RoleHop,
  source: SessionProvider,
  stale: CachedSession | undefined,
  deps: SessionDependencies,
): Promise<CachedSession> {
  const from = await source();
  const chainedName = from.definition.kind === 'session-token' ? undefined : from.definition.roleSessionName;
  const role = await roleSettings(hop, { credentials: from.credentials, root: rootOf(from.definition), chainedName }, stale, deps);
  const { credentials } = await deps.assumeRole(assumeRoleRequest(hop, role, from.credentials, deps));
  return { definition: { kind: 'assume-role', profile: hop.settings.profile, ...role, source: from.definition }, credentials };
}

/**
 * A role whose duration_seconds is over AWS's 1 h cap for sessions assumed with session
 * credentials: sts:AssumeRole signed with the root's long-term keys, with its serial and a code.
 */
export async function fetchRoleSessionWithMfa(
  hop: RoleHop,
  root: RootMfa,
  stale: CachedSession | undefined,
  deps: SessionDependencies,
): Promise<CachedSession> {
  noticeOnce(
    deps.io,
    `aws-mfa: ${hop.settings.profile} asks for ${hop.durationSeconds} s (duration_seconds), more than a role assumed from the MFA session may have: assuming it with the long-term keys of ${root.settings.profile} and an MFA code, one code per role session\n`,
  );
  const { source, rootKeys, code } = await root.prepareCall(hop.durationSeconds);
  const role = await roleSettings(hop, { credentials: source.keys, root: rootKeys, chainedName: undefined }, stale, deps);
  const { withSeedHint } = await import('../mfa/code-source.js');
  const { credentials } = await deps
    .assumeRole({
      ...assumeRoleRequest(hop, role, source.keys, deps),
      mfa: { serialNumber: rootKeys.mfaSerial, tokenCode: code.code },
    })
    .catch((error: unknown) => {
      throw withSeedHint(error, code, root.settings.profile, deps.io.now());
    });
  return { definition: { kind: 'assume-role-with-mfa', profile: hop.settings.profile, ...role, root: rootKeys }, credentials };
}

/** The AssumeRole of a hop, signed with `credentials`, to the role profile's STS endpoint. */
function assumeRoleRequest(
  hop: RoleHop,
  role: RoleSettings,
  credentials: LongTermKeys | SessionCredentials,
  deps: SessionDependencies,
): AssumeRoleRequest {
  return {
    ...clientRequest(credentials, hop.settings.sts, deps.io),
    roleArn: role.roleArn,
    roleSessionName: role.roleSessionName,
    durationSeconds: role.durationSeconds,
    externalId: role.externalId ?? undefined,
  };
}

/** What signs the AssumeRole, and what it tells of the name the role session should have. */
interface Signer {
  readonly credentials: LongTermKeys | SessionCredentials;
  readonly root: RootKeys;
  /** The previous hop's session name, for a chained role. */
  readonly chainedName: string | undefined;
}

async function roleSettings(
  hop: RoleHop,
  signer: Signer,
  stale: CachedSession | undefined,
  deps: SessionDependencies,
): Promise<RoleSettings> {
  const roleSessionName = hop.roleSessionName ?? (await defaultSessionName(signer, stale, deps, hop));
  return { roleArn: hop.roleArn, roleSessionName, externalId: hop.externalId ?? null, durationSeconds: hop.durationSeconds };
}

/** AWS's pattern for a role session name. */
const UNSAFE_SESSION_NAME_CHARACTERS = /[^\w+=,.@-]/g;
const MAX_SESSION_NAME_LENGTH = 64;

/**
 * The name that shows who acted in CloudTrail: the root's IAM user name. A chained hop takes the
 * previous hop's name; a renewal keeps the name the expired session had; otherwise it is asked
 * of sts:GetCallerIdentity once (the MFA device's name need not be the user's).
 */
async function defaultSessionName(
  signer: Signer,
  stale: CachedSession | undefined,
  deps: SessionDependencies,
  hop: RoleHop,
): Promise<string> {
  if (signer.chainedName !== undefined) return signer.chainedName;
  const previous = stale?.definition;
  if (previous !== undefined && previous.kind !== 'session-token' && rootOf(previous).longTermKeyId === signer.root.longTermKeyId) {
    return previous.roleSessionName;
  }
  const identity = await deps.getCallerIdentity({
    credentials: signer.credentials,
    target: hop.settings.sts,
    env: deps.io.env,
    debug: deps.io.debug,
  });
  const name = identity.arn.split('/').at(-1) ?? '';
  const safe = name.replace(UNSAFE_SESSION_NAME_CHARACTERS, '_').slice(0, MAX_SESSION_NAME_LENGTH);
  return safe.length >= 2 ? safe : `aws-mfa-${safe}`;
}
