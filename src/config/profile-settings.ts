import type { ServiceTarget } from '../aws/service-target.js';
import type { LongTermKeys } from '../core/credentials.js';
import { UsageError } from '../core/errors.js';
import type { Env } from '../core/io.js';
import { type PromptName, parsePromptName } from '../prompt/mfa-prompt.js';
import { type IniFile, readIniFile } from './aws-files.js';
import { DEFAULT_SESSION_SECONDS, parseBoundedDuration, parseSessionDuration } from './duration.js';
import { type IniSections, isPlainProfileSection } from './ini-file.js';
import { cacheDirectory, configFilePath, credentialsFilePath } from './paths.js';
import { pythonShlexSplit } from './python-shlex.js';
import { validateMfaSerial } from './validate.js';
import { ValidatedFiles } from './validated-files.js';

export const DEFAULT_LONG_TERM_SUFFIX = '-long-term';
const LONG_TERM_SUFFIX_KEY = 'aws_mfa_long_term_suffix';
const VALIDATED_FILES_RECORD = 'validated-aws-files.json';
const DEFAULT_REFRESH_MARGIN_SECONDS = 15 * 60;
/** botocore refreshes credentials 15 min before expiry and gives up at 10: a smaller margin hands out dying sessions. */
const MIN_REFRESH_MARGIN_SECONDS = 10 * 60;
const MAX_REFRESH_MARGIN_SECONDS = 2 * 60 * 60;

export interface SettingsFlags {
  readonly profile?: string | undefined;
  readonly mfaSerial?: string | undefined;
  readonly duration?: string | undefined;
  readonly prompt?: string | undefined;
}

/** Everything about one profile that the files, the environment and the flags say. */
export interface ProfileSettings {
  readonly profile: string;
  readonly credentialsFile: IniFile;
  readonly configFile: IniFile;
  /** `profile NAME` (`profile "NAME"` when NAME has spaces or quotes), or `default` for the default profile without a `[profile default]`. */
  readonly configSectionName: string;
  readonly longTermSectionName: string;
  /** Keys in `[NAME-long-term]`, with the serial that section names, if any. */
  readonly fileKeys: LongTermKeys | undefined;
  readonly mfaSerial: string | undefined;
  readonly durationSeconds: number;
  readonly refreshMarginSeconds: number;
  readonly region: string | undefined;
  readonly sts: ServiceTarget;
  readonly iam: ServiceTarget;
  readonly organizations: ServiceTarget;
  readonly credentialProcess: string | undefined;
  /** Either file names the profile: `[profile NAME]`, `[NAME]` or `[NAME-long-term]`. */
  readonly namedInFiles: boolean;
  /** A command that prints the current MFA code (aws-vault's mfa_process). */
  readonly mfaProcess: string | undefined;
  /** How to ask for the MFA code: `--prompt`, else `aws_mfa_prompt`, else auto. */
  readonly mfaPrompt: PromptName;
}

/** An explicit `-p ''` stays empty (and is refused); an empty AWS_PROFILE counts as unset, as in a shell. */
export function selectProfileName(flag: string | undefined, env: Env): string {
  return flag ?? (env.AWS_PROFILE || 'default');
}

/** The credentials and config files, each read once. */
export interface AwsFiles {
  readonly credentialsFile: IniFile;
  readonly configFile: IniFile;
}

/** Files found valid before (same version) are not checked again: see validated-files.ts. */
export async function readAwsFiles(env: Env, platform: NodeJS.Platform = process.platform): Promise<AwsFiles> {
  const validated = validatedFilesRecord(env, platform);
  const credentialsFile = await readIniFile(credentialsFilePath(env), validated);
  const configFile = await readIniFile(configFilePath(env), validated);
  await validated.save();
  return { credentialsFile, configFile };
}

/** The record of file versions found valid before, in the cache folder. */
export function validatedFilesRecord(env: Env, platform: NodeJS.Platform): ValidatedFiles {
  return new ValidatedFiles(cacheDirectory(env, platform), VALIDATED_FILES_RECORD);
}

export async function loadProfileSettings(profile: string, flags: SettingsFlags, env: Env): Promise<ProfileSettings> {
  return profileSettingsFrom(await readAwsFiles(env), profile, flags, env);
}

export function profileSettingsFrom(files: AwsFiles, profile: string, flags: SettingsFlags, env: Env): ProfileSettings {
  const { credentialsFile, configFile } = files;
  const configSectionName = findConfigSectionName(configFile, profile);
  const config = configFile.sections.get(configSectionName) ?? new Map<string, string>();
  const suffix = config.get(LONG_TERM_SUFFIX_KEY) || DEFAULT_LONG_TERM_SUFFIX;
  const longTermSectionName = `${profile}${suffix}`;
  const longTerm = credentialsFile.sections.get(longTermSectionName);
  const session = credentialsFile.sections.get(profile);

  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || config.get('region') || undefined;
  return {
    profile,
    credentialsFile,
    configFile,
    configSectionName,
    longTermSectionName,
    fileKeys: longTerm ? readLongTermKeys(longTerm, longTermSectionName, credentialsFile.path) : undefined,
    mfaSerial: configuredMfaSerial(flags, config, longTerm, configFile.path, credentialsFile.path),
    durationSeconds: resolveDuration(flags, config, configFile.path),
    refreshMarginSeconds: resolveRefreshMargin(config, configFile.path),
    region,
    sts: serviceTarget('STS', region, env, config),
    iam: serviceTarget('IAM', region, env, config),
    organizations: serviceTarget('ORGANIZATIONS', region, env, config),
    credentialProcess: config.get('credential_process') || undefined,
    namedInFiles: configFile.sections.has(configSectionName) || longTerm !== undefined || session !== undefined,
    mfaProcess: config.get('mfa_process') || undefined,
    mfaPrompt: resolvePrompt(flags, config, configFile.path),
  };
}

/**
 * The config section botocore reads for the profile (the last one, as its dict update keeps), else
 * the one to write: `profile NAME`, with NAME double-quoted when botocore's shlex split needs it.
 */
export function findConfigSectionName(configFile: IniFile, profile: string): string {
  const found = lastConfigSectionOf(configFile.sections, profile);
  if (found !== undefined) return found;
  if (profile === 'default') return 'default';
  return /[\s"'\\]/.test(profile) ? `profile "${profile.replace(/["\\]/g, '\\$&')}"` : `profile ${profile}`;
}

/**
 * Of the sections botocore reads as the profile, the last: `[profile NAME]` as written, `[default]`
 * for default, and the few sections whose name needs shell-style unquoting. No other section can
 * name the profile, so the file's other sections are never looked at.
 */
function lastConfigSectionOf(sections: IniSections, profile: string): string | undefined {
  const plain = `profile ${profile}`;
  const candidates = sections.quotedProfileSections.filter((section) => profileOfConfigSection(section) === profile);
  if (isPlainProfileSection(plain)) candidates.push(plain);
  if (profile === 'default') candidates.push('default');
  let last: string | undefined;
  for (const section of candidates) if (sections.position(section) > (last === undefined ? -1 : sections.position(last))) last = section;
  return last;
}

/**
 * The profile a config section configures, as botocore sees it: `default`, or a section starting
 * with `profile` that shlex splits into two words (`[profile prod]`, `[profile "my prof"]`).
 */
export function profileOfConfigSection(section: string): string | undefined {
  if (section === 'default') return 'default';
  if (isPlainProfileSection(section)) return section.slice('profile '.length);
  if (!section.startsWith('profile')) return undefined;
  const words = pythonShlexSplit(section);
  return words?.length === 2 ? words[1] : undefined;
}

/**
 * Every profile name the files give, sorted: the config file's profiles as botocore names them,
 * and the credentials file's sections, a `[NAME-long-term]` section (or the suffix the profile
 * sets) counting as NAME. For completion and diagnostics: linear in the size of the files.
 */
export function listProfileNames(files: AwsFiles): string[] {
  const { configFile, credentialsFile } = files;
  const names = new Set<string>();
  for (const section of configFile.sections.keys()) {
    const profile = profileOfConfigSection(section);
    if (profile !== undefined) names.add(profile);
  }
  const suffixed = new Map([...longTermSuffixes(configFile)].map(([profile, suffix]) => [`${profile}${suffix}`, profile]));
  for (const section of credentialsFile.sections.keys()) {
    const profile =
      suffixed.get(section) ?? (section.endsWith(DEFAULT_LONG_TERM_SUFFIX) ? section.slice(0, -DEFAULT_LONG_TERM_SUFFIX.length) : section);
    if (profile !== '') names.add(profile);
  }
  return [...names].sort();
}

/**
 * Each config profile's own aws_mfa_long_term_suffix (of its last section, as botocore reads it).
 * With thousands of profiles, reading every section is most of a listing's work: the sections are
 * read only when the file spells the key somewhere.
 */
export function longTermSuffixes(configFile: IniFile): Map<string, string> {
  const suffixes = new Map<string, string>();
  if (!configFile.sections.mayHave(LONG_TERM_SUFFIX_KEY)) return suffixes;
  for (const [section, values] of configFile.sections) {
    const suffix = values.get(LONG_TERM_SUFFIX_KEY);
    const profile = profileOfConfigSection(section);
    if (suffix && profile !== undefined) suffixes.set(profile, suffix);
  }
  return suffixes;
}

function resolvePrompt(flags: SettingsFlags, config: ReadonlyMap<string, string>, configPath: string): PromptName {
  if (flags.prompt !== undefined) return parsePromptName(flags.prompt, '--prompt');
  const fromConfig = config.get('aws_mfa_prompt');
  return fromConfig ? parsePromptName(fromConfig, configPath) : 'auto';
}

function readLongTermKeys(section: ReadonlyMap<string, string>, sectionName: string, file: string): LongTermKeys | undefined {
  const accessKeyId = section.get('aws_access_key_id');
  const secretAccessKey = section.get('aws_secret_access_key');
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) {
    throw new UsageError(`malformed ${file}`, `[${sectionName}] needs both aws_access_key_id and aws_secret_access_key`);
  }
  return { accessKeyId, secretAccessKey };
}

function configuredMfaSerial(
  flags: SettingsFlags,
  config: ReadonlyMap<string, string>,
  longTerm: ReadonlyMap<string, string> | undefined,
  configPath: string,
  credentialsPath: string,
): string | undefined {
  if (flags.mfaSerial !== undefined) return validateMfaSerial(flags.mfaSerial, '--mfa-serial');
  const fromConfig = config.get('mfa_serial');
  if (fromConfig) return validateMfaSerial(fromConfig, configPath);
  const fromLongTerm = longTerm?.get('aws_mfa_device');
  if (fromLongTerm) return validateMfaSerial(fromLongTerm, credentialsPath);
  return undefined;
}

function resolveDuration(flags: SettingsFlags, config: ReadonlyMap<string, string>, configPath: string): number {
  if (flags.duration !== undefined) return parseSessionDuration(flags.duration, '--duration');
  const fromConfig = config.get('aws_mfa_duration');
  if (fromConfig) return parseSessionDuration(fromConfig, `aws_mfa_duration in ${configPath}`);
  return DEFAULT_SESSION_SECONDS;
}

function resolveRefreshMargin(config: ReadonlyMap<string, string>, configPath: string): number {
  const fromConfig = config.get('aws_mfa_refresh_margin');
  if (!fromConfig) return DEFAULT_REFRESH_MARGIN_SECONDS;
  return parseBoundedDuration(fromConfig, `aws_mfa_refresh_margin in ${configPath}`, {
    min: MIN_REFRESH_MARGIN_SECONDS,
    max: MAX_REFRESH_MARGIN_SECONDS,
  });
}

function serviceTarget(
  serviceId: 'STS' | 'IAM' | 'ORGANIZATIONS',
  region: string | undefined,
  env: Env,
  config: ReadonlyMap<string, string>,
): ServiceTarget {
  return {
    region,
    endpoint: resolveServiceEndpoint(serviceId, env, config),
    caBundle: env.AWS_CA_BUNDLE || config.get('ca_bundle') || undefined,
  };
}

/** The precedence of the AWS CLI and SDKs for service-specific endpoints (AWS_ENDPOINT_URL_<SERVICE> first). */
function resolveServiceEndpoint(serviceId: string, env: Env, config: ReadonlyMap<string, string>): string | undefined {
  if (isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) || isTrue(config.get('ignore_configured_endpoint_urls'))) {
    return undefined;
  }
  return env[`AWS_ENDPOINT_URL_${serviceId}`] || env.AWS_ENDPOINT_URL || config.get('endpoint_url') || undefined;
}

function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}
