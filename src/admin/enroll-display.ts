import QRCode from 'qrcode';
import type { NewVirtualMfaDevice } from '../aws/iam.js';
import { AwsMfaError } from '../core/errors.js';
import type { Io, Terminal } from '../core/io.js';
import type { EnrollPlan } from './enroll-plan.js';

/** The Key URI that authenticator apps read from the QR code: label `AWS:<user>@<account>`. */
export function otpauthUri(plan: EnrollPlan, device: NewVirtualMfaDevice): string {
  const label = `AWS:${encodeURIComponent(plan.userName)}@${plan.account}`;
  return `otpauth://totp/${label}?secret=${device.totpSeed}&issuer=AWS&algorithm=SHA1&digits=6&period=30`;
}

/** The QR code holds the seed: it goes to the terminal, never to stdout or stderr, which may be logged. */
export async function showQrCode(plan: EnrollPlan, device: NewVirtualMfaDevice, io: Io): Promise<void> {
  let terminal: Terminal;
  try {
    terminal = io.openTerminal();
  } catch {
    io.writeStderr(`aws-mfa: no terminal to draw the QR code on; \`aws-mfa code ${plan.settings.profile}\` prints the current code\n`);
    return;
  }
  await writeAndClose(
    terminal,
    `Scan this with an authenticator app to have the codes on your phone too:\n${await drawQrCode(plan, device)}`,
  );
}

/** With --no-store the seed is shown on the terminal only: checked before anything is created. */
export function requireTerminalForSeed(io: Io): void {
  openTerminalForSeed(io).close();
}

/** The seed (and the QR code, unless --no-qr) once, on the terminal; it is stored nowhere. */
export async function showSeedOnce(plan: EnrollPlan, device: NewVirtualMfaDevice, io: Io): Promise<void> {
  const qrCode = plan.qr ? await drawQrCode(plan, device) : '';
  await writeAndClose(
    openTerminalForSeed(io),
    `${qrCode}The TOTP seed of ${plan.userName}'s MFA device, shown this once and stored nowhere. It is a secret, like a password:\n` +
      `hand it over in person or through a password manager, then clear this screen.\n\n    ${device.totpSeed}\n\n`,
  );
}

function openTerminalForSeed(io: Io): Terminal {
  try {
    return io.openTerminal();
  } catch (error) {
    throw new AwsMfaError('cannot show the TOTP seed', 'no terminal to show it on', {
      hint: 'run enroll --no-store in a terminal: the seed never goes to stdout, stderr or a file',
      cause: error,
    });
  }
}

function drawQrCode(plan: EnrollPlan, device: NewVirtualMfaDevice): Promise<string> {
  return QRCode.toString(otpauthUri(plan, device), { type: 'terminal', small: true });
}

async function writeAndClose(terminal: Terminal, text: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => terminal.output.write(text, (error) => (error ? reject(error) : resolve())));
  } finally {
    terminal.close();
  }
}
