import type { ServiceTarget } from '../aws/service-target.js';
import { editIniFile } from '../config/edit-ini-file.js';
import { setSectionKeys } from '../config/ini-file.js';
import type { ProfileSettings } from '../config/profile-settings.js';
import type { LongTermKeys } from '../core/credentials.js';
import { type Io, noticeOnce } from '../core/io.js';
import { chooseDiscoveredSerial } from '../mfa/discover-serial.js';
import type { KeySource } from './key-source.js';

export type ListMfaDevices = (request: {
  credentials: LongTermKeys;
  target: ServiceTarget;
  env: Io['env'];
  debug?: (line: string) => void;
}) => Promise<Array<{ serialNumber: string }>>;

/** The configured serial, else the one device iam:ListMFADevices finds for the keys' user. */
export async function resolveDeviceSerial(
  settings: ProfileSettings,
  source: KeySource,
  saveDiscovered: boolean,
  deps: { io: Io; listMfaDevices: ListMfaDevices },
): Promise<string> {
  if (source.mfaSerial !== undefined) return source.mfaSerial;
  const devices = await deps.listMfaDevices({ credentials: source.keys, target: settings.iam, env: deps.io.env, debug: deps.io.debug });
  const { serial, note } = chooseDiscoveredSerial(devices, settings.profile);
  if (saveDiscovered) {
    await saveMfaSerial(settings, serial, deps.io);
    noticeOnce(
      deps.io,
      `aws-mfa: using MFA device ${serial}, saved as mfa_serial in [${settings.configSectionName}] of ${settings.configFile.path}\n`,
    );
  } else {
    noticeOnce(deps.io, `${note}\n`);
  }
  return serial;
}

/** Records mfa_serial in the config profile, keeping every other byte of the file and its mode. */
export async function saveMfaSerial(settings: ProfileSettings, serial: string, io: Io): Promise<void> {
  await editIniFile(settings.configFile.path, {
    mode: 0o600,
    keepMode: true,
    debug: io.debug,
    edit: (current) => setSectionKeys(current.text ?? '', settings.configSectionName, [['mfa_serial', serial]]),
  });
}
