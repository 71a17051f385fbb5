import type { IniSections } from './ini-file.js';

/** `[NAME]` of the credentials file holds long-term keys: a key id and no session token (login never overwrites those). */
export function holdsLongTermKeys(sections: IniSections, name: string): boolean {
  const section = sections.get(name);
  return Boolean(section?.get('aws_access_key_id') && !section.get('aws_session_token'));
}
