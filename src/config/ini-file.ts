/**
 * ~/.aws/credentials and ~/.aws/config, read as botocore reads them and edited one section at a
 * time. Deliberate differences from botocore: a UTF-8 BOM is skipped (botocore fails on it with
 * "no section headers"), and a NUL byte is an error.
 */
import { DEFAULT_SECTION, ownSectionValues, readDocument } from './ini-document.js';

export { removeSection, removeSectionKeys, setSectionKeys } from './ini-edit.js';

/** section name -> (lowercased key -> value). Botocore semantics. */
export type IniSections = Map<string, Map<string, string>>;

/**
 * As botocore sees the file: `[DEFAULT]` is not a section; its keys are defaults that every other
 * section has unless it sets them itself (configparser's default_section). A multi-line value
 * (`s3 =` and indented lines) stays one string, its lines joined with `\n`.
 */
export function parseIni(text: string, label: string): IniSections {
  const own = ownSectionValues(readDocument(text, label));
  const defaults = own.get(DEFAULT_SECTION) ?? new Map<string, string>();
  const sections: IniSections = new Map();
  for (const [name, values] of own) {
    if (name === DEFAULT_SECTION) continue;
    const withDefaults = new Map(values);
    for (const [key, value] of defaults) if (!withDefaults.has(key)) withDefaults.set(key, value);
    sections.set(name, withDefaults);
  }
  return sections;
}
