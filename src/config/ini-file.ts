/**
 * ~/.aws/credentials and ~/.aws/config, read as botocore reads them and edited one section at a
 * time. Deliberate differences from botocore: a UTF-8 BOM is skipped (botocore fails on it with
 * "no section headers"), and a NUL byte is an error.
 */
import { UsageError } from '../core/errors.js';
import { analyzeText, DEFAULT_SECTION, type LineVisitor, pyStrip, splitOption, walkLines } from './ini-document.js';

export { removeSection, removeSectionKeys, setSectionKeys } from './ini-edit.js';

/** section name -> (lowercased key -> value). Botocore semantics. */
export type IniSections = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** Python's `str.splitlines` breaks a line on these too; botocore's sub-setting reader does. */
const PYTHON_LINE_BREAK_CHARS = '\\v\\f\\x1c-\\x1e\\x85\\u2028\\u2029';
const PYTHON_LINE_BREAKS = new RegExp(`[${PYTHON_LINE_BREAK_CHARS}]`);

/**
 * As botocore sees the file: `[DEFAULT]` is not a section; its keys are defaults that every other
 * section has unless it sets them itself (configparser's default_section). A multi-line value
 * (`s3 =` and indented lines) stays one string, its lines joined with `\n`.
 *
 * The whole file is checked as botocore checks it (every line, duplicates, sub-settings), but only
 * where each section starts is kept: a section's values are read when asked for.
 */
export function parseIni(text: string, label: string): IniSections {
  return new IndexedSections(text, indexSections(text, label));
}

/** Each section's blocks as [start, end) offsets of the text; only `DEFAULT` may have several. */
type BlockIndex = Map<string, number[]>;

function indexSections(text: string, label: string): BlockIndex {
  const malformed = (index: number, why: string): UsageError => new UsageError(`malformed ${label}`, `line ${index + 1}: ${why}`);
  const blocks: BlockIndex = new Map();
  let open: number[] | undefined;
  let section = '';
  let entry = { key: '', start: 0, end: 0, nested: undefined as boolean | undefined };
  const defaultsToCheck: { key: string; index: number }[] = [];
  const visitor: LineVisitor = {
    line(kind, index, start, end, _next, name) {
      if (kind === 'section') {
        open?.push(start);
        open = blocks.get(name) ?? [];
        open.push(start);
        blocks.set(name, open);
        section = name;
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
    const sections = new IndexedSections(text, blocks);
    if ([...sections.keys()].some((name) => !sections.own(name).has(key))) throw malformed(index, SUB_SETTING_WITHOUT_EQUALS);
  }
  return blocks;
}

const SUB_SETTING_WITHOUT_EQUALS = 'an indented line under "key =" has no "=" (botocore reads such lines as key = value sub-settings)';

/** botocore's `_parse_nested`: each non-empty line of a value that starts on the next line splits on `=`. */
function isSubSettingLine(line: string): boolean {
  return pyStrip(line)
    .split(PYTHON_LINE_BREAKS)
    .every((part) => pyStrip(part) === '' || part.includes('='));
}

/** The sections of an indexed file, each read (and kept) when first asked for. */
class IndexedSections implements IniSections {
  readonly #text: string;
  readonly #blocks: BlockIndex;
  readonly #read = new Map<string, ReadonlyMap<string, string>>();
  #defaults: ReadonlyMap<string, string> | undefined;

  constructor(text: string, blocks: BlockIndex) {
    this.#text = text;
    this.#blocks = blocks;
  }

  get size(): number {
    return this.#blocks.size - (this.#blocks.has(DEFAULT_SECTION) ? 1 : 0);
  }

  has(name: string): boolean {
    return name !== DEFAULT_SECTION && this.#blocks.has(name);
  }

  get(name: string): ReadonlyMap<string, string> | undefined {
    if (!this.has(name)) return undefined;
    let values = this.#read.get(name);
    if (values === undefined) {
      this.#defaults ??= this.own(DEFAULT_SECTION);
      const merged = this.own(name);
      for (const [key, value] of this.#defaults) if (!merged.has(key)) merged.set(key, value);
      values = merged;
      this.#read.set(name, values);
    }
    return values;
  }

  /** A section's own keys, without DEFAULT's. */
  own(name: string): Map<string, string> {
    const values = new Map<string, string>();
    const offsets = this.#blocks.get(name) ?? [];
    for (let at = 0; at < offsets.length; at += 2) {
      const block = analyzeText(this.#text.slice(offsets[at], offsets[at + 1])).blocks[0];
      for (const entry of block?.entries ?? []) values.set(entry.key, entry.value);
    }
    return values;
  }

  *keys(): MapIterator<string> {
    for (const name of this.#blocks.keys()) if (name !== DEFAULT_SECTION) yield name;
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
