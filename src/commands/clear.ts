import { validateProfileName } from '../config/validate.js';
import type { Io } from '../core/io.js';
import type { SessionCache } from '../store/session-cache.js';

/** `clear [NAME]`: drops cached sessions, of one profile or all; the next use asks for a code. */
export async function clearCommand(input: { readonly name: string | undefined }, deps: { io: Io; cache: SessionCache }): Promise<number> {
  if (input.name !== undefined) {
    const profile = validateProfileName(input.name);
    const dropped = await deps.cache.delete(profile);
    deps.io.writeStderr(dropped ? `aws-mfa: dropped the cached session of ${profile}\n` : `aws-mfa: no cached session for ${profile}\n`);
    return 0;
  }
  const count = await deps.cache.deleteAll();
  deps.io.writeStderr(`aws-mfa: dropped ${count} cached session${count === 1 ? '' : 's'}\n`);
  return 0;
}
