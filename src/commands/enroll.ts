import { createAndEnableDevice, type EnrollDeviceDependencies, recordSerialInProfile } from '../admin/enroll-device.js';
import { showQrCode } from '../admin/enroll-display.js';
import { type EnrollOptions, type EnrollPlan, type EnrollPlanDependencies, planEnrollment } from '../admin/enroll-plan.js';
import type { NewVirtualMfaDevice } from '../aws/iam.js';
import type { SessionDependencies } from '../providers/dependencies.js';
import { sessionForProfile } from '../providers/session-for-profile.js';

export type EnrollDependencies = EnrollPlanDependencies & EnrollDeviceDependencies;

/** The parser gives --no-qr and --no-store as qr and store, true unless the flag was given. */
export type EnrollFlags = Omit<EnrollOptions, 'qr' | 'store'> & { readonly qr?: boolean | undefined; readonly store?: boolean | undefined };

/** `enroll`: create and enable a virtual MFA device, store its seed with the profile (or show it once). */
export async function enrollCommand(flags: EnrollFlags, deps: SessionDependencies): Promise<number> {
  const options = { ...flags, qr: flags.qr !== false, store: flags.store !== false };
  await enroll(options, { ...deps, mfaSession: async () => (await sessionForProfile(options, deps)).credentials });
  return 0;
}

export async function enroll(options: EnrollOptions, deps: EnrollDependencies): Promise<void> {
  const plan = await planEnrollment(options, deps);
  const device = await createAndEnableDevice(plan, deps);
  if (plan.store && plan.qr) await showQrCode(plan, device, deps.io);
  if (plan.self) await recordSerialInProfile(plan, device, deps);
  deps.io.writeStderr(summary(plan, device));
}

function summary(plan: EnrollPlan, device: NewVirtualMfaDevice): string {
  const enabled = `aws-mfa: enabled the MFA device ${device.serialNumber} for ${plan.userName}`;
  if (!plan.self) return `${enabled}; give them its seed and serial (mfa_serial = ${device.serialNumber})\n`;
  const { settings } = plan;
  const seed = plan.store ? `its seed is stored with ${settings.profile} in the keychain` : 'its seed is stored nowhere';
  return `${enabled}; ${seed}, and mfa_serial is set in [${settings.configSectionName}] of ${settings.configFile.path}\n`;
}
