import { toCredentialProcessObject } from '../output/credential-process-json.js';
import type { SessionDependencies } from '../providers/dependencies.js';
import { type SessionOptions, sessionForProfile } from '../providers/session-for-profile.js';

/** `credential-process`: exactly one JSON object on stdout, for the AWS CLI and SDKs. */
export async function credentialProcessCommand(options: SessionOptions, deps: SessionDependencies): Promise<number> {
  const { credentials } = await sessionForProfile(options, deps);
  deps.io.writeStdout(`${JSON.stringify(toCredentialProcessObject(credentials))}\n`);
  return 0;
}
