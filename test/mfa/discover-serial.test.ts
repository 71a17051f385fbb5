import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { chooseDiscoveredSerial } from '../../src/mfa/discover-serial.js';

const VIRTUAL = 'arn:aws:iam::123456789012:mfa/alice-phone';
const VIRTUAL_CN = 'arn:aws-cn:iam::123456789012:mfa/alice';
const VIRTUAL_GOV = 'arn:aws-us-gov:iam::123456789012:mfa/path/alice';
const HARDWARE = 'GAHT12345678';
const HARDWARE_ARN = 'arn:aws:iam::123456789012:mfa/GAHT12345678';
const SECURITY_KEY = 'arn:aws:iam::123456789012:u2f/user/alice/yubikey-EHIHE2RQW3XJ5KYM5RONLDOENQ';
const SECURITY_KEY_GOV = 'arn:aws-us-gov:iam::123456789012:u2f/user/alice/titan-QWERTYUIOPASDFGHJKLZXCVBNM';

function devices(...serials: string[]): Array<{ serialNumber: string }> {
  return serials.map((serialNumber) => ({ serialNumber }));
}

function failureOf(choose: () => unknown): UsageError {
  try {
    choose();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('chooseDiscoveredSerial', () => {
  it.each([
    ['one virtual device', [VIRTUAL], VIRTUAL],
    ['one virtual device in aws-cn', [VIRTUAL_CN], VIRTUAL_CN],
    ['one virtual device with a path in aws-us-gov', [VIRTUAL_GOV], VIRTUAL_GOV],
    ['one hardware token by its serial', [HARDWARE], HARDWARE],
    ['one hardware token by its ARN', [HARDWARE_ARN], HARDWARE_ARN],
    ['a virtual device and a FIDO security key', [SECURITY_KEY, VIRTUAL], VIRTUAL],
    ['a hardware token and FIDO security keys', [SECURITY_KEY, HARDWARE, SECURITY_KEY_GOV], HARDWARE],
  ])('uses the only TOTP device of %s, and says where it came from', (_case, serials, expected) => {
    expect(chooseDiscoveredSerial(devices(...serials), 'prod')).toEqual({
      serial: expected,
      note: `aws-mfa: using MFA device ${expected} (found with iam:ListMFADevices; save it with --save)`,
    });
  });

  it.each([
    ['no device', [], 'the user has none'],
    ['only FIDO security keys', [SECURITY_KEY, SECURITY_KEY_GOV], 'the user has only FIDO security keys, which STS cannot use'],
  ])('refuses %s with exit 2, saying how to set mfa_serial', (_case, serials, why) => {
    const error = failureOf(() => chooseDiscoveredSerial(devices(...serials), 'prod'));

    expect(error.exitCode).toBe(2);
    expect(error.toLine()).toBe(
      `aws-mfa: no MFA device for profile prod: ${why} (enable a virtual or hardware TOTP device (\`aws-mfa enroll -p prod\`); to use a known one, set mfa_serial in profile prod of the AWS config file or pass --mfa-serial)`,
    );
  });

  it('refuses several TOTP devices with exit 2, listing them on one line without the security keys', () => {
    const error = failureOf(() => chooseDiscoveredSerial(devices(VIRTUAL, SECURITY_KEY, HARDWARE), 'team.prod'));

    expect(error.exitCode).toBe(2);
    expect(error.toLine()).toBe(
      `aws-mfa: several MFA devices for profile team.prod: iam:ListMFADevices found ${VIRTUAL}, ${HARDWARE} (pass --mfa-serial with one of them, or set mfa_serial in profile team.prod of the AWS config file)`,
    );
  });

  it('keeps a device whose name merely contains u2f', () => {
    const serial = 'arn:aws:iam::123456789012:mfa/u2f/alice';

    expect(chooseDiscoveredSerial(devices(serial), 'prod').serial).toBe(serial);
  });
});
