import { AwsCallError, translateAwsError } from '../aws/aws-error.js';
import { clientRequest } from '../aws/client-request.js';
import { createVirtualMfaDevice, deleteVirtualMfaDevice, enableMfaDevice, type NewVirtualMfaDevice } from '../aws/iam.js';
import { AwsMfaError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { codeFromSeed, type MfaCodeDependencies } from '../mfa/code-source.js';
import { normalizeTotpSeed } from '../mfa/totp.js';
import { saveMfaSerial } from '../providers/mfa-serial.js';
import type { ProfileKeychain } from '../store/profile-keychain.js';
import type { SessionCache } from '../store/session-cache.js';
import { showSeedOnce } from './enroll-display.js';
import type { EnrollPlan } from './enroll-plan.js';

export interface EnrollDeviceDependencies extends MfaCodeDependencies {
  readonly openProfileKeychain: () => Promise<ProfileKeychain>;
  readonly cache: SessionCache;
}

/**
 * Creates the virtual MFA device and enables it with codes of two consecutive time steps. The seed
 * is stored in the keychain item (or, with --no-store, shown) after the wait for the second step,
 * so that an interrupted wait leaves no trace but the device, and before the device is enabled, so
 * that no enabled device lacks its seed. Anything failing after the device was created deletes it again.
 */
export async function createAndEnableDevice(plan: EnrollPlan, deps: EnrollDeviceDependencies): Promise<NewVirtualMfaDevice> {
  const created = await createVirtualMfaDevice({
    ...clientRequest(plan.credentials, plan.settings.iam, deps.io),
    deviceName: plan.deviceName,
  }).catch((error: unknown) => {
    throw withEnrollHint(plan, error);
  });
  let keychainUpdated = false;
  try {
    const device = { serialNumber: created.serialNumber, totpSeed: normalizeTotpSeed(created.totpSeed) };
    const codes = await codesOfTwoSteps(device, deps);
    keychainUpdated = await updateKeychainItem(plan, device, deps);
    if (!plan.store) await showSeedOnce(plan, device, deps.io);
    await enableMfaDevice({
      ...clientRequest(plan.credentials, plan.settings.iam, deps.io),
      userName: plan.userName,
      serialNumber: device.serialNumber,
      codes,
    });
    return device;
  } catch (error) {
    throw await undoEnrolment(plan, created.serialNumber, withEnrollHint(plan, error), { keychainUpdated, deps });
  }
}

/** Names the enabled device in the profile's config; the profile's cached session was made with another. */
export async function recordSerialInProfile(plan: EnrollPlan, device: NewVirtualMfaDevice, deps: EnrollDeviceDependencies): Promise<void> {
  const { settings } = plan;
  try {
    await saveMfaSerial(settings, device.serialNumber, deps.io);
  } catch (error) {
    const seed = plan.store ? ' and its seed is stored in the keychain' : '';
    throw new AwsMfaError(
      `cannot record the MFA device in [${settings.configSectionName}]`,
      `${translateAwsError(error, 'writing mfa_serial').message}; the MFA device ${device.serialNumber} is enabled for ${plan.userName}${seed}`,
      {
        hint: `add \`mfa_serial = ${device.serialNumber}\` to [${settings.configSectionName}] of ${settings.configFile.path}`,
        cause: error,
      },
    );
  }
  await deps.cache.delete(settings.profile);
}

/** The item keeps its keys and names the new device; its seed is the new one, or none with --no-store (an old one would not fit). */
async function updateKeychainItem(plan: EnrollPlan, device: NewVirtualMfaDevice, deps: EnrollDeviceDependencies): Promise<boolean> {
  const item = plan.keychainItem;
  if (!item) return false;
  const { accessKeyId, secretAccessKey } = item;
  const seed = plan.store ? { totpSeed: device.totpSeed } : {};
  await (await deps.openProfileKeychain()).put(plan.settings.profile, {
    accessKeyId,
    secretAccessKey,
    mfaSerial: device.serialNumber,
    ...seed,
  });
  return true;
}

/** Both steps are recorded as used, so no later login sends their codes again. */
async function codesOfTwoSteps(device: NewVirtualMfaDevice, deps: EnrollDeviceDependencies): Promise<[string, string]> {
  deps.io.notice(`aws-mfa: enabling ${device.serialNumber} takes the codes of two consecutive 30 s steps\n`);
  const first = await codeFromSeed(device.totpSeed, deps);
  const second = await codeFromSeed(device.totpSeed, deps);
  return [first.code, second.code];
}

async function undoEnrolment(
  plan: EnrollPlan,
  serialNumber: string,
  failure: AwsMfaError,
  undo: { keychainUpdated: boolean; deps: EnrollDeviceDependencies },
): Promise<AwsMfaError> {
  const deleted = await deleteDevice(plan, serialNumber, undo.deps.io);
  const restored = undo.keychainUpdated ? await restoreKeychainItem(plan, undo.deps) : undefined;
  const why = [failure.why, deleted, restored].filter((part) => part !== undefined).join('; ');
  return new AwsMfaError(failure.what, why, { hint: failure.hint, exitCode: failure.exitCode, cause: failure });
}

async function deleteDevice(plan: EnrollPlan, serialNumber: string, io: Io): Promise<string> {
  try {
    await deleteVirtualMfaDevice({ ...clientRequest(plan.credentials, plan.settings.iam, io), serialNumber });
    return `the MFA device ${serialNumber} was deleted again`;
  } catch (error) {
    const deactivate =
      error instanceof AwsCallError && error.code === 'DeleteConflict'
        ? `\`aws iam deactivate-mfa-device --user-name ${plan.userName} --serial-number ${serialNumber}\`, then `
        : '';
    return (
      `deleting the MFA device ${serialNumber} failed too (${translateAwsError(error, 'DeleteVirtualMFADevice').message}): ` +
      `delete it with ${deactivate}\`aws iam delete-virtual-mfa-device --serial-number ${serialNumber}\``
    );
  }
}

async function restoreKeychainItem(plan: EnrollPlan, deps: EnrollDeviceDependencies): Promise<string | undefined> {
  const { profile } = plan.settings;
  try {
    if (plan.keychainItem) await (await deps.openProfileKeychain()).put(profile, plan.keychainItem);
    return undefined;
  } catch (error) {
    return (
      `restoring the keychain item of ${profile} failed (${translateAwsError(error, 'writing the keychain').message}): it names a device that does not exist; ` +
      `store the keys again with \`aws-mfa remove ${profile}\` and \`aws-mfa add ${profile}\``
    );
  }
}

const SELF_SERVICE_HINT =
  'enrolling with long-term keys needs the self-service policy (`aws-mfa policy --self-service`); ' +
  'a user who already has an MFA device configures mfa_serial, and enroll then uses an MFA session';

/** Advice that fits enrolment better than the general one. */
function withEnrollHint(plan: EnrollPlan, error: unknown): AwsMfaError {
  const failure = translateAwsError(error, 'enrolment');
  const hint = enrollHint(plan, failure);
  return hint === undefined ? failure : new AwsMfaError(failure.what, failure.why, { hint, exitCode: failure.exitCode, cause: failure });
}

function enrollHint(plan: EnrollPlan, failure: AwsMfaError): string | undefined {
  if (!(failure instanceof AwsCallError)) return undefined;
  if (failure.kind === 'access-denied' && plan.authentication === 'long-term keys') return SELF_SERVICE_HINT;
  if (failure.code === 'InvalidAuthenticationCode') return "the codes came from the new device's seed: check this computer's clock";
  if (failure.code === 'EntityAlreadyExists') {
    return `pass another --device-name; if the device named ${plan.deviceName} is a leftover, never enabled, delete it (see \`aws iam list-virtual-mfa-devices --assignment-status Unassigned\`)`;
  }
  return undefined;
}
