import type { CachedSession, RootKeys, SessionDefinition } from '../store/session-cache.js';
import type { ProfileChain, RoleHop } from './profile-chain.js';

/**
 * What the files say a hop's session must have come from. The cached path reads only the files:
 * a serial that is not configured (discovered) and keys kept in the keychain are not known there,
 * so they are not compared (the commands that change keychain items drop the sessions instead).
 */
export type ExpectedSession =
  | { readonly kind: 'session-token'; readonly root: ExpectedRoot }
  | { readonly kind: 'assume-role'; readonly role: ExpectedRole; readonly source: ExpectedSession }
  | { readonly kind: 'assume-role-with-mfa'; readonly role: ExpectedRole; readonly root: ExpectedRoot };

interface ExpectedRoot {
  readonly profile: string;
  readonly mfaSerial: string | undefined;
  /** The key id of `[ROOT-long-term]`, if any. */
  readonly fileKeyId: string | undefined;
}

interface ExpectedRole {
  readonly profile: string;
  readonly roleArn: string;
  readonly roleSessionName: string | undefined;
  readonly externalId: string | undefined;
  readonly durationSeconds: number;
}

/** The expected session of each hop of the chain, the root's first and the named profile's last. */
export function expectedSessions(chain: ProfileChain): ExpectedSession[] {
  const root: ExpectedRoot = { profile: chain.root.profile, mfaSerial: chain.root.mfaSerial, fileKeyId: chain.root.fileKeys?.accessKeyId };
  const sessions: ExpectedSession[] = [{ kind: 'session-token', root }];
  for (const hop of chain.hops) {
    const role = expectedRole(hop);
    const source = sessions.at(-1) as ExpectedSession;
    sessions.push(hop.withMfa ? { kind: 'assume-role-with-mfa', role, root } : { kind: 'assume-role', role, source });
  }
  return sessions;
}

function expectedRole(hop: RoleHop): ExpectedRole {
  const { roleArn, roleSessionName, externalId, durationSeconds } = hop;
  return { profile: hop.settings.profile, roleArn, roleSessionName, externalId, durationSeconds };
}

/** Why a cached session cannot be served (undefined when it can): too little time left, or made otherwise. */
export function whyNotReusable(cached: CachedSession, expected: ExpectedSession, marginSeconds: number, now: Date): string | undefined {
  const secondsLeft = (cached.credentials.expiration.getTime() - now.getTime()) / 1000;
  if (secondsLeft <= marginSeconds) return `${Math.max(0, Math.floor(secondsLeft))} s left`;
  return whyNotFitting(cached.definition, expected);
}

/** Why a session's definition differs from what the files say now (undefined when it fits). */
export function whyNotFitting(definition: SessionDefinition, expected: ExpectedSession): string | undefined {
  if (definition.kind !== expected.kind) return `it is a ${definition.kind} session, ${expected.kind} is needed`;
  switch (expected.kind) {
    case 'session-token':
      return whyRootDiffers(definition as RootKeys, expected.root);
    case 'assume-role': {
      const role = definition as Extract<SessionDefinition, { kind: 'assume-role' }>;
      return whyRoleDiffers(role, expected.role) ?? whyNotFitting(role.source, expected.source);
    }
    case 'assume-role-with-mfa': {
      const role = definition as Extract<SessionDefinition, { kind: 'assume-role-with-mfa' }>;
      return whyRoleDiffers(role, expected.role) ?? whyRootDiffers(role.root, expected.root);
    }
  }
}

function whyRootDiffers(root: RootKeys, expected: ExpectedRoot): string | undefined {
  if (root.profile !== expected.profile) return `it came from profile ${root.profile}`;
  if (expected.mfaSerial !== undefined && expected.mfaSerial !== root.mfaSerial) return 'another MFA device';
  if (root.keySource === 'file' && expected.fileKeyId !== root.longTermKeyId) return 'the long-term key changed';
  return undefined;
}

function whyRoleDiffers(role: Extract<SessionDefinition, { roleArn: string }>, expected: ExpectedRole): string | undefined {
  if (role.roleArn !== expected.roleArn) return 'another role_arn';
  if (expected.roleSessionName !== undefined && role.roleSessionName !== expected.roleSessionName) return 'another role_session_name';
  if (role.externalId !== (expected.externalId ?? null)) return 'another external_id';
  if (role.durationSeconds !== expected.durationSeconds) return 'another duration_seconds';
  return undefined;
}
