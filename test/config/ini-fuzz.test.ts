/**
 * Random credentials/config files (seeded, deterministic) read by parseIni and by botocore's own
 * reader (configloader), then edited: only the target section may read differently afterwards.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { IniFile } from '../../src/config/aws-files.js';
import { parseIni, parseValidatedIni, validatedLayout } from '../../src/config/ini-file.js';
import { findConfigSectionName, listProfileNames } from '../../src/config/profile-settings.js';
import { UsageError } from '../../src/core/errors.js';
import {
  applyEdit,
  type BotocoreResult,
  type Edit,
  editedText,
  expectedView,
  ownViewOf,
  readOk,
  readWithBotocore,
  sectionsAsObject,
  tryEdit,
} from './ini-corpus/harness.js';

const SEED = 20261122;
const FILE_COUNT = 300;

const SECTION_NAMES = [
  'default',
  'Default',
  'DEFAULT',
  'profile a.b',
  'team.prod-long-term',
  'team.prod',
  'profile with  spaces',
  ' padded ',
  'ünïcødé 東京',
  'sso-session corp',
  'a=b',
  'x:y',
  '#hash',
  ';semi',
  'profile default',
  "profile $'p'",
  'profile $"q"',
  "profile 'x y'",
  'profile "a\\"b"',
  'profile\tt',
  'profilex y',
  'profile a\\ b',
  'profile "open',
  'profile   spaced  ',
  'profile \\',
];
const KEYS = [
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'expiration',
  'region',
  'output',
  'mfa_serial',
  'credential_process',
  's3',
  'x',
  'dotted.key',
  'key with spaces',
  'ключ',
  'Ünï',
];
const VALUES = [
  '',
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH==',
  'a=b:c',
  '# not a comment',
  '; nor this',
  'eu-west-1',
  '東京 🚀',
  'x ; y # z',
  '[x]',
  'aws-mfa credential-process --profile a.b',
  '2026-11-22T18:00:00Z',
  'no\u00a0break',
];
const DELIMITERS = ['=', ' = ', ' =', '= ', ':', ': ', ' : ', '\t=\t', '  =   '];
const TRAILING = ['', '', '', ' ', '\t', '  '];
const COMMENTS = ['# comment', '; comment', '  # indented comment', '#', '#[not a section]', '; key = value', '\t; tabbed'];
const BLANKS = ['', '', '  ', '\t'];
const HEADER_TAILS = ['', '', '', ' ; note', ' # note', '  '];
const SUB_SETTINGS = ['max_concurrent_requests = 20', 'multipart_threshold = 64MB', 'a=b', 'x = [y]', '\u2028= v'];
/** Only continuation lines: botocore refuses them under `key =`, whose value it reads as sub-settings. */
const TEXT_LINES = ['just text', '[x]', 'k: v', 'a = b\u2028no equals', 'k\vv'];
const DEFECTS = ['duplicate section', 'duplicate key', 'garbage line', 'key before header', 'empty key', 'sub-setting without ='] as const;

/** mulberry32: small, seeded, good enough to pick from lists. */
class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  shuffle<T>(items: readonly T[]): T[] {
    const shuffled = [...items];
    for (let index = shuffled.length - 1; index > 0; index -= 1) {
      const other = this.int(index + 1);
      [shuffled[index], shuffled[other]] = [shuffled[other] as T, shuffled[index] as T];
    }
    return shuffled;
  }
  caseOf(key: string): string {
    if (this.chance(0.5)) return key;
    return [...key].map((char) => (this.chance(0.5) ? char.toUpperCase() : char)).join('');
  }
}

interface GeneratedSection {
  name: string;
  /** Lowercased keys written under this name (all blocks). */
  keys: string[];
}

interface Header {
  name: string;
  line: number;
  /** Indentation of the keys under this header. */
  indent: string;
}

interface GeneratedFile {
  text: string;
  sections: GeneratedSection[];
  /** Per block: the name and its range in `text`, from its header up to the next header. */
  blocks: { name: string; start: number; end: number }[];
  defect: (typeof DEFECTS)[number] | undefined;
}

function generateFile(random: Random): GeneratedFile {
  const lines: string[] = [];
  const headers: Header[] = [];
  const sections = new Map<string, GeneratedSection>();
  const filler = (): void => {
    for (let count = random.int(3); count > 0; count -= 1) lines.push(random.pick(random.chance(0.5) ? COMMENTS : BLANKS));
  };

  filler();
  const names = SECTION_NAMES.filter(() => random.chance(0.3)).slice(0, 5);
  if (names.includes('DEFAULT') && random.chance(0.3)) names.push('DEFAULT');
  let keysAbove: string | undefined;
  for (const name of random.shuffle(names)) {
    const indent = random.chance(0.2) ? random.pick([' ', '  ', '\t', '    ']) : '';
    headers.push({ name, line: lines.length, indent });
    // Sometimes indented, never deeper than the keys above it, whose continuation it would become.
    const headerIndent = random.chance(0.15) ? (keysAbove ?? random.pick([' ', '  ', '\t'])) : '';
    lines.push(`${headerIndent}[${name}]${random.pick(HEADER_TAILS)}`);
    const section = sections.get(name) ?? { name, keys: [] };
    sections.set(name, section);
    const keys = KEYS.filter((candidate) => !section.keys.includes(candidate.toLowerCase()) && random.chance(0.25));
    for (const key of keys) {
      filler();
      section.keys.push(key.toLowerCase());
      writeEntry(random, lines, indent, key);
    }
    keysAbove = keys.length > 0 ? indent : undefined;
    filler();
  }

  const defect = names.length > 0 && random.chance(0.1) ? random.pick(DEFECTS) : undefined;
  if (defect) injectDefect(random, lines, headers, sections, defect);

  const eol = random.pick(['\n', '\n', '\r\n', 'mixed']);
  const endings = lines.map(() => (eol === 'mixed' ? random.pick(['\n', '\r\n', '\r']) : eol));
  if (random.chance(0.2) && endings.length > 0) endings[endings.length - 1] = '';
  const starts: number[] = [];
  let text = '';
  lines.forEach((line, index) => {
    starts.push(text.length);
    text += line + (endings[index] ?? '');
  });
  const blocks = headers.map((header, index) => ({
    name: header.name,
    start: starts[header.line] ?? text.length,
    end: starts[headers[index + 1]?.line ?? lines.length] ?? text.length,
  }));
  return { text, sections: [...sections.values()], blocks, defect };
}

function writeEntry(random: Random, lines: string[], indent: string, key: string): void {
  const multiLine = random.chance(0.2);
  const value = multiLine && random.chance(0.7) ? '' : random.pick(VALUES);
  const delimiter = random.pick(DELIMITERS);
  lines.push(`${indent}${random.caseOf(key)}${delimiter}${value}${value === '' ? '' : random.pick(TRAILING)}`);
  if (!multiLine) return;
  const deeper = `${indent}${random.pick([' ', '  ', '\t', '    '])}`;
  for (let count = 1 + random.int(3); count > 0; count -= 1) {
    if (random.chance(0.3)) lines.push(random.pick(random.chance(0.5) ? COMMENTS : BLANKS));
    const subLines = value === '' ? SUB_SETTINGS : random.pick([SUB_SETTINGS, TEXT_LINES]);
    lines.push(`${deeper}${random.pick(subLines)}${random.pick(TRAILING)}`);
  }
}

/** One defect that configparser rejects; a line that cannot read as a continuation of the line above. */
function injectDefect(
  random: Random,
  lines: string[],
  headers: Header[],
  sections: Map<string, GeneratedSection>,
  defect: (typeof DEFECTS)[number],
): void {
  const withKeys = [...sections.values()].filter((section) => section.keys.length > 0);
  const notDefault = [...sections.keys()].filter((name) => name !== 'DEFAULT');
  if (defect === 'duplicate section' && notDefault.length > 0) {
    const name = random.pick(notDefault);
    headers.push({ name, line: lines.length, indent: '' });
    lines.push(`[${name}]`);
  } else if (defect === 'duplicate key' && withKeys.length > 0) {
    const section = random.pick(withKeys);
    const header = headers.find((candidate) => candidate.name === section.name);
    // Indented as the keys below it, which would otherwise read as its continuation lines.
    insertLine(lines, headers, (header?.line ?? 0) + 1, `${header?.indent ?? ''}${random.pick(section.keys).toUpperCase()} = again`);
  } else if (defect === 'key before header') {
    insertLine(lines, headers, 0, 'region = us-east-1');
  } else if (defect === 'sub-setting without =') {
    headers.push({ name: 'nested', line: lines.length, indent: '' });
    lines.push('[nested]', 's3 =', `  ${random.pick(SUB_SETTINGS)}`, `${random.pick(['  ', '\t'])}${random.pick(TEXT_LINES)}`);
  } else {
    lines.push(defect === 'empty key' ? '= value' : 'garbage');
  }
}

function insertLine(lines: string[], headers: Header[], at: number, line: string): void {
  lines.splice(at, 0, line);
  for (const header of headers) if (header.line >= at) header.line += 1;
}

function randomEdit(random: Random, file: GeneratedFile): Edit {
  const present = file.sections.map((section) => section.name);
  const absent = SECTION_NAMES.filter((name) => !present.includes(name));
  const target = present.length > 0 && random.chance(0.8) ? random.pick(present) : random.pick(absent);
  const existingKeys = file.sections.find((section) => section.name === target)?.keys ?? [];
  const someKey = (): string =>
    random.caseOf(existingKeys.length > 0 && random.chance(0.6) ? random.pick(existingKeys) : random.pick(KEYS));
  const count = 1 + random.int(3);
  const roll = random.next();
  if (roll < 0.5) {
    return { op: 'set', section: target, values: Array.from({ length: count }, (): [string, string] => [someKey(), random.pick(VALUES)]) };
  }
  if (roll < 0.75) return { op: 'removeKeys', section: target, keys: Array.from({ length: count }, someKey) };
  return { op: 'removeSection', section: target };
}

function errorLine(action: () => unknown): number | undefined {
  try {
    action();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return Number(/^line (\d+):/.exec(error.why)?.[1]);
  }
  return undefined;
}

describe('random files and edits against configparser', () => {
  const random = new Random(SEED);
  const files = Array.from({ length: FILE_COUNT }, () => generateFile(random));
  let before: BotocoreResult[] = [];
  const edited: { index: number; edit: Edit; result: string | Error }[] = [];
  let after: BotocoreResult[] = [];

  beforeAll(() => {
    before = readWithBotocore(files.map((file) => file.text));
    files.forEach((file, index) => {
      if (file.defect === undefined) edited.push({ index, edit: randomEdit(random, file), result: '' });
    });
    for (const entry of edited) entry.result = tryEdit(files[entry.index]?.text ?? '', entry.edit);
    after = readWithBotocore(edited.map(({ result }) => (result instanceof Error ? '' : result)));
  });

  it('generates mostly valid files, some with a defect', () => {
    const failing = before.filter((result) => 'error' in result).length;
    expect(failing).toBe(files.filter((file) => file.defect !== undefined).length);
    expect(failing).toBeGreaterThan(10);
    expect(FILE_COUNT - failing).toBeGreaterThan(240);
  });

  it('parseIni reads every file as botocore does, and fails on the same line where botocore names one', () => {
    files.forEach((file, index) => {
      const reference = before[index];
      const label = `file ${index}: ${JSON.stringify(file.text)}`;
      if (reference && 'error' in reference) {
        const line = errorLine(() => parseIni(file.text, 'fuzz'));
        if (reference.line === null) expect(line, label).toEqual(expect.any(Number));
        else expect(line, label).toBe(reference.line);
      } else {
        const parsed = sectionsAsObject(parseIni(file.text, 'fuzz'));
        expect(parsed, label).toEqual(readOk(reference).sections);
        expect(Object.keys(parsed), label).toEqual(Object.keys(readOk(reference).sections));
      }
    });
  });

  it('reads a file found valid before, looking up only its headers, exactly as the full read does', () => {
    let remembered = 0;
    files.forEach((file, index) => {
      if ('error' in (before[index] ?? { error: '' })) return;
      const full = parseIni(file.text, 'fuzz');
      const layout = validatedLayout(full);
      if (!layout) return;
      remembered += 1;
      const quick = parseValidatedIni(file.text, layout);
      const label = `file ${index}: ${JSON.stringify(file.text)}`;
      expect(sectionsAsObject(quick), label).toEqual(sectionsAsObject(full));
      for (const name of [...SECTION_NAMES, 'DEFAULT', 'missing']) {
        expect([quick.has(name), quick.position(name), quick.get(name)], `${label} [${name}]`).toEqual([
          full.has(name),
          full.position(name),
          full.get(name),
        ]);
      }
      expect(quick.quotedProfileSections, label).toEqual(full.quotedProfileSections);
    });
    expect(remembered).toBeGreaterThan(150);
  });

  it('reads every section alike when a caller reads many of them (one pass over the file) and when it reads a few', () => {
    // Sections without keys before the file: reading them first puts the reader past its few one-at-a-time reads.
    const padding = Array.from({ length: 20 }, (_, index) => `[aws-mfa-pad-${index}]\n`).join('');
    let compared = 0;
    files.forEach((file, index) => {
      if ('error' in (before[index] ?? { error: '' }) || file.text.startsWith('\ufeff')) return;
      const label = `file ${index}: ${JSON.stringify(file.text)}`;
      const few = parseIni(file.text, 'fuzz');
      const expected = Object.fromEntries([...few.keys()].map((name) => [name, few.get(name)]));
      const padded = parseIni(padding + file.text, 'fuzz');
      const layout = validatedLayout(padded);
      for (const many of layout ? [padded, parseValidatedIni(padding + file.text, layout)] : [padded]) {
        for (let pad = 0; pad < 20; pad += 1) many.get(`aws-mfa-pad-${pad}`);
        const read = Object.fromEntries(
          [...many.keys()].filter((name) => !name.startsWith('aws-mfa-pad-')).map((name) => [name, many.get(name)]),
        );
        expect(read, label).toEqual(expected);
        expect(Object.keys(read), label).toEqual(Object.keys(expected));
      }
      compared += 1;
    });
    expect(compared).toBeGreaterThan(150);
  });

  it('names each config profile as botocore does, and reads the section botocore reads for it', () => {
    let profilesSeen = 0;
    files.forEach((file, index) => {
      const reference = before[index];
      if (!reference || 'error' in reference) return;
      const configFile: IniFile = { path: 'config', text: file.text, sections: parseIni(file.text, 'config') };
      const credentialsFile: IniFile = { path: 'credentials', text: undefined, sections: parseIni('', 'credentials') };
      const label = `file ${index}: ${JSON.stringify(file.text)}`;
      expect(listProfileNames({ configFile, credentialsFile }), label).toEqual(Object.keys(reference.profiles).sort());
      for (const [profile, values] of Object.entries(reference.profiles)) {
        const section = configFile.sections.get(findConfigSectionName(configFile, profile)) ?? new Map<string, string>();
        const read = Object.fromEntries([...section].map(([key, value]) => [key, value.startsWith('\n') ? null : value]));
        expect(read, `${label}, profile ${JSON.stringify(profile)}`).toEqual(values);
        profilesSeen += 1;
      }
    });
    expect(profilesSeen).toBeGreaterThan(100);
  });

  it('changes only the target section, as botocore reads it', () => {
    edited.forEach(({ index, edit, result: resultOrError }, position) => {
      const label = `file ${index}, ${JSON.stringify(edit)}: ${JSON.stringify(files[index]?.text)}`;
      const result = editedText(resultOrError);
      expect(ownViewOf(after[position]), label).toEqual(expectedView(ownViewOf(before[index]), edit));
      expect(sectionsAsObject(parseIni(result, 'fuzz')), label).toEqual(readOk(after[position]).sections);
    });
  });

  it('keeps every byte before and after the target section', () => {
    edited.forEach(({ index, edit, result: resultOrError }) => {
      const result = editedText(resultOrError);
      const file = files[index];
      if (!file) throw new Error(`no file ${index}`);
      const targets = file.blocks.filter((block) => block.name === edit.section);
      const start = Math.min(file.text.length, ...targets.map((block) => block.start));
      const end = Math.max(start, ...targets.map((block) => block.end));
      // Removing the last section also removes the blank lines (and final line ending) above it.
      const kept = file.text.slice(0, start).trimEnd();
      const label = `file ${index}, ${JSON.stringify(edit)}: ${JSON.stringify(file.text)} -> ${JSON.stringify(result)}`;
      expect(result.startsWith(kept), label).toBe(true);
      // Once a section is removed, the next header loses its indentation if it would otherwise read as a continuation.
      const after = file.text.slice(end);
      const dedented = edit.op === 'removeSection' && result.endsWith(after.replace(/^[ \t]+/, ''));
      expect(result.endsWith(after) || dedented, label).toBe(true);
      expect(result.length, label).toBeGreaterThanOrEqual(kept.length + after.trimStart().length);
    });
  });

  it('changes nothing when the same edit is made again', () => {
    edited.forEach(({ edit, result }) => {
      expect(applyEdit(editedText(result), edit), JSON.stringify(edit)).toBe(result);
    });
  });
});
