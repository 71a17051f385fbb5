import type { Io } from '../core/io.js';
import { toCredentialProcessObject } from '../output/credential-process-json.js';
import { type SessionOptions, sessionForProfile } from '../session/session-for-profile.js';

/** `credential-process`: exactly one JSON object on stdout, for the AWS CLI and SDKs. */
export async function credentialProcessCommand(options: SessionOptions, io: Io): Promise<number> {
  const { credentials } = await sessionForProfile(options, io);
  io.writeStdout(`${JSON.stringify(toCredentialProcessObject(credentials))}\n`);
  return 0;
}
