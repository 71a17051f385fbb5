/**
 * ~/.aws/credentials and ~/.aws/config, read as botocore reads them and edited one section at a
 * time. Deliberate differences from botocore: a UTF-8 BOM is skipped (botocore fails on it with
 * "no section headers"), and a NUL byte is an error.
 */
import { UsageError } from '../core/errors.js';
import { analyzeText, DEFAULT_SECTION, type LineVisitor, pyStrip, readSectionValues, splitOption, walkLines } from './ini-document.js';

export { removeSection, removeSectionKeys, setSectionKeys } from './ini-edit.js';

/** section name -> (lowercased key -> value), botocore's reading, with where each section is. */
export interface IniSections extends ReadonlyMap<string, ReadonlyMap<string, string>> {
  /** Where the section's (last) header starts in the text, -1 when there is none: of sections naming one profile, botocore reads the last. */
  position(name: string): number;
  /** Sections starting with `profile` that are not `profile NAME` with a plain NAME, in file order: the only ones whose profile needs Python's shlex. */
  readonly quotedProfileSections: readonly string[];
  /** False when no section can have the (lowercased) key: the file never spells it, in any case. Spares reading every section to find a rare key. */
  mayHave(key: string): boolean;
}

/**
 * What a full read of a valid file leaves for the next reads of the same bytes
 * (validated-files.ts): every header is at column 0, and these are the odd profile sections.
 */
export interface ValidatedLayout {
  readonly quotedProfileSections: readonly string[];
}

/** Python's `str.splitlines` breaks a line on these too; botocore's sub-setting reader does. */
const PYTHON_LINE_BREAK_CHARS = '\\v\\f\\x1c-\\x1e\\x85\\u2028\\u2029';
const PYTHON_LINE_BREAKS = new RegExp(`[${PYTHON_LINE_BREAK_CHARS}]`);
/** `[profile NAME]` that shlex splits into `profile` and NAME with nothing to unquote. */
const PLAIN_PROFILE_SECTION = /^profile [^ \t\r\n'"\\]+$/;
/** A header at the start of a line (Python's universal newlines: CR, LF, CRLF), name up to the line's last `]`. */
const HEADER_AT_LINE_START = /(?<=^\ufeff?|[\r\n])\[([^\r\n]+)\]/g;
const HEADER_HERE = new RegExp(HEADER_AT_LINE_START.source, 'y');

export function isPlainProfileSection(name: string): boolean {
  return PLAIN_PROFILE_SECTION.test(name);
}

/**
 * As botocore sees the file: `[DEFAULT]` is not a section; its keys are defaults that every other
 * section has unless it sets them itself (configparser's default_section). A multi-line value
 * (`s3 =` and indented lines) stays one string, its lines joined with `\n`.
 *
 * The whole file is checked as botocore checks it (every line, duplicates, sub-settings), but only
 * where each section starts is kept: a section's values are read when asked for.
 */
export function parseIni(text: string, label: string): IniSections {
  const { blocks, quotedProfileSections, headersAtColumn0 } = indexSections(text, label);
  return new IndexedSections(
    text,
    quotedProfileSections,
    headersAtColumn0,
    (name) => blocks.get(name),
    () => blocks.keys(),
  );
}

/** The layout to remember of a file parseIni read, or undefined when a header is indented (those files are read whole each time). */
export function validatedLayout(sections: IniSections): ValidatedLayout | undefined {
  return sections instanceof IndexedSections && sections.headersAtColumn0
    ? { quotedProfileSections: sections.quotedProfileSections }
    : undefined;
}

/**
 * The same bytes parseIni found valid (validated-files.ts): nothing is checked again, and only the
 * sections asked for are looked up, by searching for their header.
 */
export function parseValidatedIni(text: string, layout: ValidatedLayout): IniSections {
  let index: BlockIndex | undefined;
  const searched = new Map<string, number[] | undefined>();
  // A few sections (the cached path) are searched for; a caller that asks for many (list) gets an index.
  const indexed = (): BlockIndex => {
    index ??= indexHeaders(text);
    return index;
  };
  return new IndexedSections(
    text,
    layout.quotedProfileSections,
    true,
    (name) => {
      if (index !== undefined || (searched.size >= MAX_HEADER_SEARCHES && !searched.has(name))) return indexed().get(name);
      if (!searched.has(name)) searched.set(name, findBlocks(text, name));
      return searched.get(name);
    },
    () => indexed().keys(),
  );
}

const MAX_HEADER_SEARCHES = 16;
/** Beyond this many sections read one at a time, the rest are read in one pass over the file (list). */
const MAX_SECTION_READS = 16;

function findBlocks(text: string, name: string): number[] | undefined {
  const header = `[${name}]`;
  const blocks: number[] = [];
  for (let at = text.indexOf(header); at >= 0; at = text.indexOf(header, at + 1)) {
    HEADER_HERE.lastIndex = at;
    if (HEADER_HERE.exec(text)?.[1] !== name) continue;
    HEADER_AT_LINE_START.lastIndex = at + header.length;
    blocks.push(at, HEADER_AT_LINE_START.exec(text)?.index ?? text.length);
    // In a valid file only DEFAULT has several blocks: the rest of the text need not be searched.
    if (name !== DEFAULT_SECTION) break;
  }
  return blocks.length > 0 ? blocks : undefined;
}

/**
 * Every header of a file found valid, all at the start of a line: what HEADER_AT_LINE_START
 * matches, found by `indexOf` (a regular expression with a look-behind tries every position).
 */
function indexHeaders(text: string): BlockIndex {
  const blocks: BlockIndex = new Map();
  let open: number[] | undefined;
  const first = text.startsWith('\ufeff') ? 1 : 0;
  let nextLf = -1;
  let nextCr = -1;
  for (let at = text.indexOf('[', first); at >= 0; at = text.indexOf('[', at + 1)) {
    const before = text.charCodeAt(at - 1);
    if (at !== first && before !== LF && before !== CR) continue;
    if (nextLf < at) nextLf = text.indexOf('\n', at) >>> 0;
    if (nextCr < at) nextCr = text.indexOf('\r', at) >>> 0;
    const close = text.lastIndexOf(']', Math.min(nextLf, nextCr, text.length) - 1);
    if (close <= at + 1) continue;
    const name = text.slice(at + 1, close);
    open?.push(at);
    open = blocks.get(name) ?? [];
    open.push(at);
    blocks.set(name, open);
  }
  open?.push(text.length);
  return blocks;
}

/** Each section's blocks as [start, end) offsets of the text; only `DEFAULT` may have several. */
type BlockIndex = Map<string, number[]>;

interface SectionIndex {
  readonly blocks: BlockIndex;
  readonly quotedProfileSections: string[];
  readonly headersAtColumn0: boolean;
}

function indexSections(text: string, label: string): SectionIndex {
  const malformed = (index: number, why: string): UsageError => new UsageError(`malformed ${label}`, `line ${index + 1}: ${why}`);
  const blocks: BlockIndex = new Map();
  let open: number[] | undefined;
  let section = '';
  let entry = { key: '', start: 0, end: 0, nested: undefined as boolean | undefined };
  const defaultsToCheck: { key: string; index: number }[] = [];
  const quotedProfileSections: string[] = [];
  let headersAtColumn0 = true;
  const visitor: LineVisitor = {
    line(kind, index, start, end, _next, name) {
      if (kind === 'section') {
        open?.push(start);
        open = blocks.get(name) ?? [];
        open.push(start);
        blocks.set(name, open);
        section = name;
        if (text.charCodeAt(start) !== OPEN_BRACKET) headersAtColumn0 = false;
        if (name.startsWith('profile') && !isPlainProfileSection(name)) quotedProfileSections.push(name);
      } else if (kind === 'option') {
        entry = { key: name, start, end, nested: undefined };
      } else if (kind === 'continuation') {
        entry.nested ??= splitOption(text.slice(entry.start, entry.end))?.value === '';
        if (!entry.nested || isSubSettingLine(text.slice(start, end))) return;
        if (section !== DEFAULT_SECTION) throw malformed(index, SUB_SETTING_WITHOUT_EQUALS);
        defaultsToCheck.push({ key: entry.key, index });
      }
    },
    problem(index, why) {
      throw malformed(index, why);
    },
  };
  walkLines(text, text.startsWith('\ufeff') ? 1 : 0, visitor);
  open?.push(text.length);
  // botocore reads DEFAULT's keys only through the sections that do not set them.
  for (const { key, index } of defaultsToCheck) {
    const sections = new IndexedSections(
      text,
      [],
      false,
      (name) => blocks.get(name),
      () => blocks.keys(),
    );
    if ([...sections.keys()].some((name) => !sections.own(name).has(key))) throw malformed(index, SUB_SETTING_WITHOUT_EQUALS);
  }
  return { blocks, quotedProfileSections, headersAtColumn0 };
}

const OPEN_BRACKET = 91;
const LF = 10;
const CR = 13;

const SUB_SETTING_WITHOUT_EQUALS = 'an indented line under "key =" has no "=" (botocore reads such lines as key = value sub-settings)';

/** botocore's `_parse_nested`: each non-empty line of a value that starts on the next line splits on `=`. */
function isSubSettingLine(line: string): boolean {
  return pyStrip(line)
    .split(PYTHON_LINE_BREAKS)
    .every((part) => pyStrip(part) === '' || part.includes('='));
}

/** The sections of a file, each read (and kept) when first asked for. */
class IndexedSections implements IniSections {
  readonly #text: string;
  readonly #blocksOf: (name: string) => readonly number[] | undefined;
  readonly #names: () => Iterable<string>;
  readonly #read = new Map<string, ReadonlyMap<string, string>>();
  #defaults: ReadonlyMap<string, string> | undefined;
  #size: number | undefined;
  #ownReads = 0;
  #everySection: ReadonlyMap<string, ReadonlyMap<string, string>> | undefined;
  #lowercaseText: string | undefined;

  constructor(
    text: string,
    readonly quotedProfileSections: readonly string[],
    readonly headersAtColumn0: boolean,
    blocksOf: (name: string) => readonly number[] | undefined,
    names: () => Iterable<string>,
  ) {
    this.#text = text;
    this.#blocksOf = blocksOf;
    this.#names = names;
  }

  mayHave(key: string): boolean {
    this.#lowercaseText ??= this.#text.toLowerCase();
    return this.#lowercaseText.includes(key);
  }

  position(name: string): number {
    return this.has(name) ? (this.#blocksOf(name)?.at(-2) ?? -1) : -1;
  }

  get size(): number {
    this.#size ??= [...this.keys()].length;
    return this.#size;
  }

  has(name: string): boolean {
    return name !== DEFAULT_SECTION && this.#blocksOf(name) !== undefined;
  }

  get(name: string): ReadonlyMap<string, string> | undefined {
    if (!this.has(name)) return undefined;
    let values = this.#read.get(name);
    if (values === undefined) {
      this.#defaults ??= this.own(DEFAULT_SECTION);
      values = this.own(name);
      if (this.#defaults.size > 0) {
        const merged = new Map(values);
        for (const [key, value] of this.#defaults) if (!merged.has(key)) merged.set(key, value);
        values = merged;
      }
      this.#read.set(name, values);
    }
    return values;
  }

  /** A section's own keys, without DEFAULT's: its blocks read alone, or, for a caller that asks for many, every section read in one pass. */
  own(name: string): ReadonlyMap<string, string> {
    this.#ownReads += 1;
    if (this.#ownReads > MAX_SECTION_READS) {
      this.#everySection ??= readSectionValues(this.#text);
      return this.#everySection.get(name) ?? new Map();
    }
    const values = new Map<string, string>();
    const offsets = this.#blocksOf(name) ?? [];
    for (let at = 0; at < offsets.length; at += 2) {
      const block = analyzeText(this.#text.slice(offsets[at], offsets[at + 1]), { lines: false }).blocks[0];
      for (const entry of block?.entries ?? []) values.set(entry.key, entry.value);
    }
    return values;
  }

  *keys(): MapIterator<string> {
    for (const name of this.#names()) if (name !== DEFAULT_SECTION) yield name;
  }

  *values(): MapIterator<ReadonlyMap<string, string>> {
    for (const name of this.keys()) yield this.get(name) as ReadonlyMap<string, string>;
  }

  *entries(): MapIterator<[string, ReadonlyMap<string, string>]> {
    for (const name of this.keys()) yield [name, this.get(name) as ReadonlyMap<string, string>];
  }

  [Symbol.iterator](): MapIterator<[string, ReadonlyMap<string, string>]> {
    return this.entries();
  }

  forEach(callback: (value: ReadonlyMap<string, string>, key: string, map: IniSections) => void): void {
    for (const [name, values] of this.entries()) callback(values, name, this);
  }
}
