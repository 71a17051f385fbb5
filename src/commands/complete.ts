import { type IniFile, readIniFile } from '../config/aws-files.js';
import { parseIni } from '../config/ini-file.js';
import { configFilePath, credentialsFilePath } from '../config/paths.js';
import { listProfileNames, validatedFilesRecord } from '../config/profile-settings.js';
import type { ValidatedFiles } from '../config/validated-files.js';
import { AwsMfaError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { isProfileAccount } from '../store/keychain.js';
import type { KeychainInventory } from '../store/keychain-inventory.js';

/**
 * `__complete profiles`, run by the completion scripts: profile names, one a line, from the files
 * and the keychain's item names. A Tab press must never fail loudly: an unreadable file or
 * keychain gives fewer names, and nothing on stderr.
 */
export async function completeCommand(kind: string, io: Io, inventory: () => Promise<KeychainInventory>): Promise<number> {
  if (kind !== 'profiles') return 0;
  const validated = validatedRecord(io);
  const [credentialsFile, configFile] = await Promise.all([
    readQuietly(credentialsFilePath(io.env), validated),
    readQuietly(configFilePath(io.env), validated),
  ]);
  await validated?.save();
  const names = new Set(listProfileNames({ credentialsFile, configFile }));
  const keychain = await inventory();
  if (keychain.reached) for (const item of keychain.items) if (isProfileAccount(item.account)) names.add(item.account);
  const lines = [...names].filter((name) => name !== '' && !name.includes('\n')).sort();
  io.writeStdout(lines.map((name) => `${name}\n`).join(''));
  return 0;
}

/** Files found valid before are not checked again (thousands of profiles); without a cache folder, every read checks them. */
function validatedRecord(io: Io): ValidatedFiles | undefined {
  try {
    return validatedFilesRecord(io.env, io.platform);
  } catch (error) {
    if (!(error instanceof AwsMfaError)) throw error;
    return undefined;
  }
}

/** A file that cannot be read gives no names, and hides nothing of the other file. */
async function readQuietly(file: string, validated: ValidatedFiles | undefined): Promise<IniFile> {
  try {
    return await readIniFile(file, validated);
  } catch (error) {
    if (!(error instanceof AwsMfaError)) throw error;
    return { path: file, text: undefined, sections: parseIni('', file) };
  }
}
