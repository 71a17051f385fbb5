import type { IniFile } from './aws-files.js';
import { DEFAULT_LONG_TERM_SUFFIX, longTermSuffixes } from './profile-settings.js';

/** `[NAME-long-term]` sections, with the suffix each config profile may set. */
export function longTermProfiles(credentials: IniFile, config: IniFile): string[] {
  const suffixes = longTermSuffixes(config);
  const profiles: string[] = [];
  for (const section of credentials.sections.keys()) {
    if (section.endsWith(DEFAULT_LONG_TERM_SUFFIX)) profiles.push(section.slice(0, -DEFAULT_LONG_TERM_SUFFIX.length));
  }
  for (const [profile, suffix] of suffixes) if (credentials.sections.has(`${profile}${suffix}`)) profiles.push(profile);
  return profiles.filter((profile) => profile !== '');
}
