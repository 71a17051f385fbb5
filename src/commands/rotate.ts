import { planRotation, type RotatePlan, type RotatePlanDependencies } from '../admin/rotate-plan.js';
import { keyPlace, type StoreKeysDependencies, storeNewKeys } from '../admin/rotate-store.js';
import { verifyNewKey } from '../admin/rotate-verify.js';
import { translateAwsError } from '../aws/aws-error.js';
import { clientRequest } from '../aws/client-request.js';
import { createAccessKey, deleteAccessKey } from '../aws/iam.js';
import { type LongTermKeys, maskKeyId } from '../core/credentials.js';
import { AwsMfaError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { SessionDependencies } from '../providers/dependencies.js';
import { type SessionOptions, sessionForProfile } from '../providers/session-for-profile.js';
import type { SessionCache } from '../store/session-cache.js';

export interface RotateDependencies extends RotatePlanDependencies, StoreKeysDependencies {
  readonly cache: SessionCache;
  readonly sleep: (ms: number) => Promise<void>;
}

/** `rotate`: replace the profile's long-term access key with a new one; on any failure the old one keeps working. */
export async function rotateCommand(options: SessionOptions, deps: SessionDependencies): Promise<number> {
  await rotate(options, { ...deps, mfaSession: async () => (await sessionForProfile(options, deps)).credentials });
  return 0;
}

export async function rotate(options: SessionOptions, deps: RotateDependencies): Promise<void> {
  const { io } = deps;
  const plan = await planRotation(options, deps);
  const { settings, source } = plan;
  const newKeys = await createAccessKey({ ...clientRequest(plan.session, plan.settings.iam, io), userName: plan.userName }).catch(
    (error: unknown) => {
      const failure = translateAwsError(error, 'CreateAccessKey');
      throw new AwsMfaError(failure.what, `${failure.why}; nothing was changed`, { hint: failure.hint, cause: failure });
    },
  );
  await putNewKeyInPlace(plan, newKeys, deps);
  await deps.cache.delete(settings.profile);
  await deleteOldKey(plan, newKeys, io);
  io.writeStderr(
    `aws-mfa: rotated the access key of ${settings.profile}: ${maskKeyId(newKeys.accessKeyId)} works and is stored in ${keyPlace(settings, source.origin)}, ` +
      `${maskKeyId(source.keys.accessKeyId)} is deleted\n` +
      'aws-mfa: sessions issued before stay valid until they expire (if the old key leaked, deny them with a policy on aws:TokenIssueTime)\n',
  );
}

/** Verified first, then stored: until both succeed the old key stays where it was, and a failure deletes the new one. */
async function putNewKeyInPlace(plan: RotatePlan, newKeys: LongTermKeys, deps: RotateDependencies): Promise<void> {
  const { settings, source } = plan;
  const newKey = `the new key ${maskKeyId(newKeys.accessKeyId)}`;
  try {
    const { io, sleep } = deps;
    await verifyNewKey({ target: settings.sts, env: io.env, debug: io.debug, keys: newKeys, userArn: plan.userArn, sleep });
  } catch (error) {
    throw await withdrawNewKey(
      plan,
      newKeys,
      `${newKey} was created but never verified (${translateAwsError(error, 'GetCallerIdentity').message})`,
      deps.io,
    );
  }
  try {
    await storeNewKeys(settings, source.origin, newKeys, deps);
  } catch (error) {
    const place = keyPlace(settings, source.origin);
    throw await withdrawNewKey(
      plan,
      newKeys,
      `${newKey} works, but storing it in ${place} failed (${translateAwsError(error, 'storing').message})`,
      deps.io,
    );
  }
}

async function withdrawNewKey(plan: RotatePlan, newKeys: LongTermKeys, failure: string, io: Io): Promise<AwsMfaError> {
  const { accessKeyId } = newKeys;
  let outcome = 'it has been deleted again';
  try {
    await deleteAccessKey({ ...clientRequest(plan.session, plan.settings.iam, io), userName: plan.userName, accessKeyId });
  } catch (error) {
    outcome =
      `deleting it failed too (${translateAwsError(error, 'DeleteAccessKey').message}): ` +
      `delete it with \`aws iam delete-access-key --user-name ${plan.userName} --access-key-id ${accessKeyId}\``;
  }
  const old = `the old key ${maskKeyId(plan.source.keys.accessKeyId)} is unchanged and still in ${keyPlace(plan.settings, plan.source.origin)}`;
  return new AwsMfaError(`cannot rotate the access key of ${plan.settings.profile}`, `${failure}; ${outcome}; ${old}`);
}

async function deleteOldKey(plan: RotatePlan, newKeys: LongTermKeys, io: Io): Promise<void> {
  const oldKeyId = plan.source.keys.accessKeyId;
  try {
    await deleteAccessKey({ ...clientRequest(plan.session, plan.settings.iam, io), userName: plan.userName, accessKeyId: oldKeyId });
  } catch (error) {
    const failure = translateAwsError(error, 'DeleteAccessKey');
    throw new AwsMfaError(
      `cannot delete the old access key of ${plan.settings.profile}`,
      `the new key ${maskKeyId(newKeys.accessKeyId)} is stored and works, but ${failure.message}`,
      {
        hint: `delete the old key with \`aws iam delete-access-key --user-name ${plan.userName} --access-key-id ${oldKeyId}\``,
        cause: failure,
      },
    );
  }
}
