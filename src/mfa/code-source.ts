import type { Io } from '../cli/io.js';
import { validateMfaCode } from '../config/validate.js';
import { promptForMfaCode } from './prompt.js';

export interface MfaCodeRequest {
  readonly profile: string;
  readonly mfaSerial: string;
  /** `--code`, already typed by the user. */
  readonly codeFlag: string | undefined;
}

/** The MFA code sources in order: the --code flag, then a prompt on the terminal. */
export async function resolveMfaCode(request: MfaCodeRequest, io: Io): Promise<string> {
  if (request.codeFlag !== undefined) return validateMfaCode(request.codeFlag, '--code');
  return promptForMfaCode(io, request.profile, request.mfaSerial);
}
