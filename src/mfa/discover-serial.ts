import { UsageError } from '../core/errors.js';

export interface DiscoveredSerial {
  serial: string;
  /** A notice for the user: which device is used, and how to stop looking it up each time. */
  note: string;
}

/** FIDO security keys: `arn:PARTITION:iam::ACCOUNT:u2f/...`. Virtual and hardware TOTP devices are `:mfa/` ARNs or plain serials. */
const SECURITY_KEY_ARN = /^arn:[^:]+:iam::[^:]*:u2f\//;

/**
 * The serial to use from what iam:ListMFADevices found: the only device that STS can check a code
 * against. FIDO security keys are skipped, since GetSessionToken takes TOTP codes only.
 */
export function chooseDiscoveredSerial(devices: ReadonlyArray<{ serialNumber: string }>, profile: string): DiscoveredSerial {
  const usable = devices.map((device) => device.serialNumber).filter((serial) => !SECURITY_KEY_ARN.test(serial));
  const [serial, ...others] = usable;
  if (serial === undefined) {
    const why = devices.length === 0 ? 'the user has none' : 'the user has only FIDO security keys, which STS cannot use';
    throw new UsageError(`no MFA device for profile ${profile}`, why, {
      hint: `enable a virtual or hardware TOTP device (\`aws-mfa enroll -p ${profile}\`); to use a known one, set mfa_serial in profile ${profile} of the AWS config file or pass --mfa-serial`,
    });
  }
  if (others.length > 0) {
    throw new UsageError(`several MFA devices for profile ${profile}`, `iam:ListMFADevices found ${usable.join(', ')}`, {
      hint: `pass --mfa-serial with one of them, or set mfa_serial in profile ${profile} of the AWS config file`,
    });
  }
  return { serial, note: `aws-mfa: using MFA device ${serial} (found with iam:ListMFADevices; save it with --save)` };
}
