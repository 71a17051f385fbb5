import type { IniFile } from './aws-files.js';
import { type AwsFiles, DEFAULT_LONG_TERM_SUFFIX, profileOfConfigSection } from './profile-settings.js';

/** `[NAME-long-term]` sections, with the suffix each config profile may set. */
export function longTermProfiles(credentials: IniFile, config: IniFile): string[] {
  const suffixes = new Map<string, string>();
  for (const [section, values] of config.sections) {
    const suffix = values.get('aws_mfa_long_term_suffix');
    const profile = profileOfConfigSection(section);
    if (suffix && profile) suffixes.set(profile, suffix);
  }
  const profiles: string[] = [];
  for (const section of credentials.sections.keys()) {
    if (section.endsWith(DEFAULT_LONG_TERM_SUFFIX)) profiles.push(section.slice(0, -DEFAULT_LONG_TERM_SUFFIX.length));
  }
  for (const [profile, suffix] of suffixes) if (credentials.sections.has(`${profile}${suffix}`)) profiles.push(profile);
  return profiles.filter((profile) => profile !== '');
}

/**
 * Every profile name the files give: config profiles, credentials sections, and the profiles of
 * `[NAME-long-term]` sections in place of those sections.
 */
export function profileNamesInFiles(files: AwsFiles): Set<string> {
  const longTerm = longTermProfiles(files.credentialsFile, files.configFile);
  const names = new Set(longTerm);
  for (const section of files.configFile.sections.keys()) {
    const profile = profileOfConfigSection(section);
    if (profile !== undefined) names.add(profile);
  }
  const longTermSections = new Set(longTerm.map((profile) => `${profile}${DEFAULT_LONG_TERM_SUFFIX}`));
  for (const section of files.credentialsFile.sections.keys()) {
    if (!longTermSections.has(section) && !section.endsWith(DEFAULT_LONG_TERM_SUFFIX)) names.add(section);
  }
  return names;
}
