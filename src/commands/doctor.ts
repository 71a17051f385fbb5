import type { CallerIdentity } from '../aws/sts.js';
import { type AwsFiles, type ProfileSettings, profileSettingsFrom, readAwsFiles, selectProfileName } from '../config/profile-settings.js';
import { validateProfileName } from '../config/validate.js';
import type { LongTermKeys } from '../core/credentials.js';
import { AwsMfaError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { checkCallerIdentity } from '../doctor/caller-identity-check.js';
import { type CheckResult, failed, failedWith, passed } from '../doctor/check-result.js';
import { checkClock } from '../doctor/clock-check.js';
import { checkEndpoint, stsUrl } from '../doctor/endpoint-check.js';
import { checkEnvironment } from '../doctor/environment-check.js';
import { checkKeychain } from '../doctor/keychain-check.js';
import { checkLongTermKeys } from '../doctor/long-term-keys-check.js';
import { checkMfaSerial } from '../doctor/mfa-serial-check.js';
import { checkNetwork } from '../doctor/network-check.js';
import { formatReport, reportExitCode } from '../doctor/report.js';
import { checkRoleChain } from '../doctor/role-chain-check.js';
import { checkCachedSession } from '../doctor/session-cache-check.js';
import { checkShadowing } from '../doctor/shadowing-check.js';
import type { KeychainInventory } from '../store/keychain-inventory.js';
import type { CachedSession } from '../store/session-cache.js';

export interface DoctorOptions {
  readonly profile?: string | undefined;
  readonly online?: boolean | undefined;
  readonly json?: boolean | undefined;
}

/** What doctor reads: files through io.env, the keychain's item names, the cache, STS's clock; --online the keys. Nothing it writes. */
export interface DoctorDependencies {
  readonly io: Io;
  /** stdout is a terminal and NO_COLOR is not set. */
  readonly colour: boolean;
  readonly inventoryKeychain: () => Promise<KeychainInventory>;
  readonly readCachedSession: (profile: string) => Promise<CachedSession | undefined>;
  readonly fetchServerDate: (url: string, caBundle: string | undefined) => Promise<Date>;
  readonly readLongTermKeys: (settings: ProfileSettings) => Promise<LongTermKeys>;
  readonly getCallerIdentity: (keys: LongTermKeys, settings: ProfileSettings) => Promise<CallerIdentity>;
}

/** `doctor [-p NAME] [--online] [--json]`: one line per check, a summary; exit 1 when something the profile needs is wrong. */
export async function doctorCommand(options: DoctorOptions, deps: DoctorDependencies): Promise<number> {
  const profile = validateProfileName(selectProfileName(options.profile, deps.io.env));
  const results = await runChecks(profile, options.online ?? false, deps);
  deps.io.writeStdout(options.json ? `${JSON.stringify(results, null, 2)}\n` : formatReport(profile, results, deps.colour));
  return reportExitCode(results);
}

async function runChecks(profile: string, online: boolean, deps: DoctorDependencies): Promise<CheckResult[]> {
  const { env } = deps.io;
  const results = [checkEnvironment(env, profile)];
  const files = await attempt('files', results, async () => {
    const read = await readAwsFiles(env);
    results.push(passed('files', `${read.credentialsFile.path} and ${read.configFile.path} read as the AWS CLI reads them`));
    return read;
  });
  if (!files) return results;
  const settings = await attempt('profile', results, async () => profileSettingsFrom(files, profile, {}, env));
  if (!settings) return results;
  const inventory = await deps.inventoryKeychain();
  const inKeychain = inventory.reached && inventory.items.some((item) => item.account === profile);
  if (!settings.namedInFiles && !inKeychain) {
    results.push(
      failed(
        'profile',
        `${profile} is in neither file nor the keychain`,
        `\`aws-mfa add ${profile}\`, or put its keys under [${settings.longTermSectionName}]`,
      ),
    );
    return results;
  }
  results.push(passed('profile', settings.namedInFiles ? `[${settings.configSectionName}] and its sections read` : 'a keychain item only'));
  results.push(checkShadowing(files, profile, settings.configSectionName));
  const root = await attempt('role chain', results, async () => rootOfChain(files, profile, deps, inventory, results));
  results.push(checkEndpoint(settings.sts));
  const url = stsUrl(settings.sts);
  results.push(checkNetwork(url, env, settings.sts.caBundle));
  results.push(
    await checkClock(
      url,
      (target) => deps.fetchServerDate(target, settings.sts.caBundle),
      () => deps.io.now(),
    ),
  );
  await attempt('cached session', results, async () => {
    results.push(checkCachedSession(await deps.readCachedSession(profile), settings.refreshMarginSeconds, deps.io.now()));
  });
  if (online && root) {
    await attempt('long-term key', results, async () => {
      const keys = await deps.readLongTermKeys(root);
      results.push(await checkCallerIdentity(keys.accessKeyId, () => deps.getCallerIdentity(keys, root)));
    });
  }
  return results;
}

/** The chain's checks, then the root's keys, keychain and serial; the root's settings when it has keys to sign with. */
async function rootOfChain(
  files: AwsFiles,
  profile: string,
  deps: DoctorDependencies,
  inventory: KeychainInventory,
  results: CheckResult[],
): Promise<ProfileSettings | undefined> {
  const { env } = deps.io;
  const { result, hops, chain } = checkRoleChain(files, profile, env, inventory);
  results.push(result);
  if (!hops || !chain) return undefined;
  const { root } = chain;
  const keychain = checkKeychain(inventory, root.profile, root.fileKeys !== undefined);
  const keys = checkLongTermKeys(root, inventory);
  results.push(keychain, keys);
  const itemPresent = inventory.reached && inventory.items.some((item) => item.account === root.profile);
  results.push(checkMfaSerial(files, hops, env, itemPresent));
  // Reading keys from a locked keyring could bring up its unlock prompt: --online then checks nothing.
  return keys.status === 'fail' || keychain.status === 'fail' ? undefined : root;
}

/** Runs one step; an AwsMfaError becomes a failed check of that name, and the step's value undefined. */
async function attempt<T>(check: string, results: CheckResult[], step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof AwsMfaError)) throw error;
    results.push(failedWith(check, error));
    return undefined;
  }
}
