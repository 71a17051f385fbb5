/**
 * The line tokenizer shared by the INI reader and the editor. It mirrors what botocore does:
 * `configparser.RawConfigParser()` with its defaults (strict, `=` and `:` delimiters, `#`/`;`
 * full-line comments, no inline comments, empty lines allowed in values) reading a file opened in
 * text mode (universal newlines: CRLF, LF and a lone CR all end a line).
 */
import { UsageError } from '../core/errors.js';

/** configparser's `default_section`: its keys are defaults for every other section. */
export const DEFAULT_SECTION = 'DEFAULT';

/** Python's whitespace (`str.isspace`, `re` `\s`): unlike JavaScript's `\s`, no BOM but \x1c-\x1f and \x85. */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_SPACE = new RegExp(`^[${PY_SPACE}]*`);
const PYTHON_SPACE = new RegExp(`[${PY_SPACE}]`);
/** configparser's SECTCRE `\[(?P<header>.+)\]` with `re.match`: anchored at the start only, greedy to the last `]`. */
const SECTION_HEADER = /^\[([^\n]+)\]/;
const BOM = '\ufeff';

export function leadingSpace(text: string): string {
  // Never Python whitespace: most lines need no regular expression.
  if (isPlainAscii(text.charCodeAt(0))) return '';
  return LEADING_SPACE.exec(text)?.[0] ?? '';
}

function pyRstrip(text: string): string {
  if (isPlainAscii(text.charCodeAt(text.length - 1))) return text;
  let end = text.length;
  while (end > 0 && PYTHON_SPACE.test(text.charAt(end - 1))) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

export function pyStrip(text: string): string {
  return pyRstrip(text.slice(leadingSpace(text).length));
}

export interface IniLine {
  /** The line without its terminator. */
  readonly text: string;
  /** `\r\n`, `\n`, `\r`, or `` for a last line without one. */
  readonly eol: string;
}

export function joinLines(bom: string, lines: readonly IniLine[]): string {
  return bom + lines.map((line) => line.text + line.eol).join('');
}

/** An option line cut into the pieces the editor keeps when it rewrites the value. */
export interface OptionParts {
  readonly indent: string;
  /** The key as spelled in the file. */
  readonly name: string;
  /** Whitespace between the key and the delimiter. */
  readonly gap: string;
  readonly delimiter: '=' | ':';
  /** Whitespace between the delimiter and the value. */
  readonly space: string;
  readonly value: string;
}

/** configparser's OPTCRE: the key runs up to the first `=` or `:`, both sides are stripped. */
export function splitOption(text: string): OptionParts | undefined {
  const indent = leadingSpace(text);
  const rest = text.slice(indent.length);
  const at = rest.search(/[=:]/);
  if (at < 0) return undefined;
  const nameWithGap = rest.slice(0, at);
  const name = pyRstrip(nameWithGap);
  const afterDelimiter = rest.slice(at + 1);
  const space = leadingSpace(afterDelimiter);
  return {
    indent,
    name,
    gap: nameWithGap.slice(name.length),
    delimiter: rest[at] === '=' ? '=' : ':',
    space,
    value: pyRstrip(afterDelimiter.slice(space.length)),
  };
}

export function formatOption(parts: OptionParts): string {
  const { indent, name, gap, delimiter, space, value } = parts;
  return value === '' ? `${indent}${name}${gap}${delimiter}` : `${indent}${name}${gap}${delimiter}${space}${value}`;
}

export function lowerKey(name: string): string {
  return name.toLowerCase();
}

/** What a line is on its own, before the state of the lines above can make it a continuation. */
export type StandaloneLine =
  | { readonly kind: 'blank' }
  | { readonly kind: 'comment' }
  | { readonly kind: 'section'; readonly name: string }
  | { readonly kind: 'option'; readonly key: string; readonly value: string }
  | { readonly kind: 'invalid'; readonly why: string };

const NOT_A_LINE = 'not a [section] header, key = value line or comment';

function keyMissing(delimiter: string): string {
  return `key name missing before "${delimiter}"`;
}

export function classifyStandalone(text: string): StandaloneLine {
  const stripped = pyStrip(text);
  if (stripped === '') return { kind: 'blank' };
  if (stripped.startsWith('#') || stripped.startsWith(';')) return { kind: 'comment' };
  const header = SECTION_HEADER.exec(stripped);
  if (header?.[1] !== undefined) return { kind: 'section', name: header[1] };
  const option = splitOption(text);
  if (option === undefined) return { kind: 'invalid', why: NOT_A_LINE };
  if (option.name === '') return { kind: 'invalid', why: keyMissing(option.delimiter) };
  return { kind: 'option', key: lowerKey(option.name), value: option.value };
}

/** A `continuation` is an indented line (deeper than the option line above) that extends that option's value. */
export type LineKind = StandaloneLine['kind'] | 'continuation';

/** One `key = value` with its continuation lines: lines [start, end) of the document. */
export interface IniEntry {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  /** The value as configparser returns it: lines joined with `\n`, blank lines kept inside, right-stripped. */
  readonly value: string;
}

/** A section header and the entries under it. Only `[DEFAULT]` may have several blocks. */
export interface IniBlock {
  readonly name: string;
  readonly header: number;
  readonly entries: readonly IniEntry[];
}

/** A line configparser would reject; `why` never quotes the line (a pasted secret must not reach the terminal). */
export interface IniProblem {
  readonly index: number;
  readonly why: string;
}

export interface IniDocument {
  readonly bom: string;
  readonly lines: readonly IniLine[];
  readonly kinds: readonly LineKind[];
  readonly blocks: readonly IniBlock[];
  readonly problems: readonly IniProblem[];
}

/**
 * Receives each line as the tokenizer reads it: the line's text is `text.slice(start, end)`, its
 * terminator `text.slice(end, next)`. `name` is a section's name or an option's lowercased key.
 */
export interface LineVisitor {
  line(kind: LineKind, index: number, start: number, end: number, next: number, name: string): void;
  /** A line configparser would reject; the walk goes on unless this throws. */
  problem(index: number, why: string): void;
}

const NUL = 0;
const TAB = 9;
const LF = 10;
const SPACE = 32;
const UPPERCASE_A = 65;
const UPPERCASE_Z = 90;
/** Up to here (ASCII), lowercasing changes only A-Z. */
const LAST_LOWERCASE_SAFE = 0x7f;
const HASH = 35;
const SEMICOLON = 59;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = ']';
const EQUALS = 61;
const COLON = 58;

/** A printable ASCII character other than space: a line starting with one has no indentation to measure. */
function isPlainAscii(code: number): boolean {
  return code > 0x20 && code < 0x7f;
}

/**
 * Tokenizes the text from `from` as configparser's `_read` does, line by line, noting every
 * problem instead of stopping at the first. Lines that start at column 0 with a printable ASCII
 * character (nearly all of them) are read by offsets, without a regular expression or a copy of
 * the line: a 2 MB file with 10,000 profiles is read in a few milliseconds.
 */
export function walkLines(text: string, from: number, visitor: LineVisitor): void {
  const end = text.length;
  const seenSections = new Set<string>();
  const defaultKeys = new SeenKeys();
  const blockKeys = new SeenKeys();
  // The keys of the current block; undefined before the first header.
  let keys: SeenKeys | undefined;
  let blockName = '';
  let inEntry = false;
  // Indent of the last line that was not a continuation; deeper lines continue the entry.
  let indentLevel = 0;
  let nextLf = -1;
  let nextCr = -1;
  let nextNul = -1;
  let index = 0;
  for (let start = from; start < end; index += 1) {
    if (nextLf < start) nextLf = text.indexOf('\n', start) >>> 0;
    if (nextCr < start) nextCr = text.indexOf('\r', start) >>> 0;
    const lineEnd = Math.min(nextLf, nextCr, end);
    const next = lineEnd === nextCr && text.charCodeAt(lineEnd + 1) === LF ? lineEnd + 2 : Math.min(lineEnd + 1, end);
    if (nextNul < start) nextNul = text.indexOf('\0', start) >>> 0;
    if (nextNul < lineEnd) visitor.problem(index, 'NUL byte');

    let kind: LineKind;
    let name = '';
    let why = '';
    let indent = 0;
    const first = start < lineEnd ? text.charCodeAt(start) : NUL;
    if (start === lineEnd) kind = 'blank';
    else if (first === HASH || first === SEMICOLON) kind = 'comment';
    else if (isPlainAscii(first)) {
      const close = first === OPEN_BRACKET ? text.lastIndexOf(CLOSE_BRACKET, lineEnd - 1) : -1;
      if (close > start + 1) {
        kind = 'section';
        name = text.slice(start + 1, close);
      } else {
        let at = start;
        let plainLowercase = true;
        for (let code = first; at < lineEnd && code !== EQUALS && code !== COLON; ) {
          if (code > LAST_LOWERCASE_SAFE || (code >= UPPERCASE_A && code <= UPPERCASE_Z)) plainLowercase = false;
          at += 1;
          code = text.charCodeAt(at);
        }
        let keyEnd = at;
        while (keyEnd > start && (text.charCodeAt(keyEnd - 1) === SPACE || text.charCodeAt(keyEnd - 1) === TAB)) keyEnd -= 1;
        const plainEnd = isPlainAscii(text.charCodeAt(keyEnd - 1)) || keyEnd === start;
        const key = at === lineEnd ? '' : plainEnd ? text.slice(start, keyEnd) : pyRstrip(text.slice(start, keyEnd));
        kind = key === '' ? 'invalid' : 'option';
        if (at === lineEnd) why = NOT_A_LINE;
        else if (key === '') why = keyMissing(text.charAt(at));
        else name = plainLowercase ? key : lowerKey(key);
      }
    } else {
      const lineText = text.slice(start, lineEnd);
      const standalone = classifyStandalone(lineText);
      kind = standalone.kind;
      if (standalone.kind === 'section') name = standalone.name;
      else if (standalone.kind === 'option') name = standalone.key;
      else if (standalone.kind === 'invalid') why = standalone.why;
      indent = leadingSpace(lineText).length;
    }

    if (kind !== 'blank' && kind !== 'comment') {
      if (inEntry && indent > indentLevel) kind = 'continuation';
      else {
        indentLevel = indent;
        if (kind === 'section') {
          if (seenSections.has(name)) visitor.problem(index, `duplicate section [${name}]`);
          if (name === DEFAULT_SECTION) keys = defaultKeys;
          else {
            seenSections.add(name);
            blockKeys.clear();
            keys = blockKeys;
          }
          blockName = name;
          inEntry = false;
        } else if (keys === undefined) {
          visitor.problem(index, 'text before the first [section] header');
          kind = 'invalid';
        } else if (kind === 'invalid') {
          visitor.problem(index, why);
        } else {
          if (!keys.add(name)) visitor.problem(index, `duplicate key "${name}" in [${blockName}]`);
          inEntry = true;
        }
      }
    }
    visitor.line(kind, index, start, lineEnd, next, name);
    start = next;
  }
}

const MAX_LISTED_KEYS = 16;

/** The keys of one section: a list while there are a few (most sections), a set beyond. */
class SeenKeys {
  private readonly listed: string[] = [];
  private count = 0;
  private set: Set<string> | undefined;

  /** False when the key was already there. */
  add(key: string): boolean {
    if (this.set) return this.set.size < this.set.add(key).size;
    for (let at = 0; at < this.count; at += 1) if (this.listed[at] === key) return false;
    this.listed[this.count] = key;
    this.count += 1;
    if (this.count > MAX_LISTED_KEYS) this.set = new Set(this.listed.slice(0, this.count));
    return true;
  }

  clear(): void {
    this.count = 0;
    this.set = undefined;
  }
}

interface EntryInProgress {
  key: string;
  start: number;
  end: number;
  pieces: string[];
}

/**
 * The whole document, line by line, as the editor needs it; with `lines: false`, only its blocks
 * and entries (the reader's view of one section, without a copy of every line).
 */
export function analyzeText(text: string, { lines: keepLines = true }: { lines?: boolean } = {}): IniDocument {
  const bom = text.startsWith(BOM) ? BOM : '';
  const lines: IniLine[] = [];
  const kinds: LineKind[] = [];
  const problems: IniProblem[] = [];
  const blocks: { name: string; header: number; entries: EntryInProgress[] }[] = [];
  let entry: EntryInProgress | undefined;
  walkLines(text, bom.length, {
    line(kind, index, start, end, next, name) {
      if (keepLines) {
        lines.push({ text: text.slice(start, end), eol: text.slice(end, next) });
        kinds.push(kind);
      }
      if (kind === 'blank') entry?.pieces.push('');
      else if (kind === 'continuation' && entry) {
        entry.pieces.push(pyStrip(text.slice(start, end)));
        entry.end = index + 1;
      } else if (kind === 'section') {
        blocks.push({ name, header: index, entries: [] });
        entry = undefined;
      } else if (kind === 'option') {
        entry = { key: name, start: index, end: index + 1, pieces: [firstPiece(text.slice(start, end))] };
        blocks.at(-1)?.entries.push(entry);
      }
    },
    problem(index, why) {
      problems.push({ index, why });
    },
  });
  const finished = blocks.map((block) => ({
    name: block.name,
    header: block.header,
    entries: block.entries.map(({ key, start, end, pieces }) => ({ key, start, end, value: joinPieces(pieces) })),
  }));
  return { bom, lines, kinds, blocks: finished, problems };
}

/** An option line's own part of its value. */
function firstPiece(line: string): string {
  return splitOption(line)?.value ?? '';
}

/** A value as configparser returns it: its lines joined with `\n`, blank lines kept inside, right-stripped. */
function joinPieces(pieces: readonly string[]): string {
  return pyRstrip(pieces.join('\n'));
}

/**
 * What ownSectionValues(analyzeText(text)) gives, in one pass without the document: a reader's
 * way through every section of a large file.
 */
export function readSectionValues(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let values: Map<string, string> | undefined;
  let key = '';
  let pieces: string[] | undefined;
  const finishEntry = (): void => {
    if (pieces && values) values.set(key, joinPieces(pieces));
    pieces = undefined;
  };
  walkLines(text, text.startsWith(BOM) ? BOM.length : 0, {
    line(kind, _index, start, end, _next, name) {
      if (kind === 'blank') pieces?.push('');
      else if (kind === 'continuation' && pieces) pieces.push(pyStrip(text.slice(start, end)));
      else if (kind === 'section') {
        finishEntry();
        values = sections.get(name) ?? new Map<string, string>();
        sections.set(name, values);
      } else if (kind === 'option') {
        finishEntry();
        key = name;
        pieces = [firstPiece(text.slice(start, end))];
      }
    },
    problem() {
      // The caller read the file in full before: there are none.
    },
  });
  finishEntry();
  return sections;
}

/** The document of edited lines. */
export function analyzeLines(bom: string, lines: readonly IniLine[]): IniDocument {
  return analyzeText(joinLines(bom, lines));
}

/** Reads the text and throws a UsageError naming the first line configparser would reject. */
export function readDocument(text: string, label: string): IniDocument {
  const document = analyzeText(text);
  const problem = document.problems[0];
  if (problem) throw new UsageError(`malformed ${label}`, `line ${problem.index + 1}: ${problem.why}`);
  return document;
}

/** Each section's own keys, by section name (`DEFAULT` included, its blocks merged), in file order. */
export function ownSectionValues(document: IniDocument): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  for (const block of document.blocks) {
    const values = sections.get(block.name) ?? new Map<string, string>();
    for (const entry of block.entries) values.set(entry.key, entry.value);
    sections.set(block.name, values);
  }
  return sections;
}
