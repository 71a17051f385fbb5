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
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]*$`);
/** configparser's SECTCRE `\[(?P<header>.+)\]` with `re.match`: anchored at the start only, greedy to the last `]`. */
const SECTION_HEADER = /^\[([^\n]+)\]/;
const LINE_BREAK = /\r\n|\r|\n/g;
const BOM = '\ufeff';

export function leadingSpace(text: string): string {
  return LEADING_SPACE.exec(text)?.[0] ?? '';
}

function pyRstrip(text: string): string {
  return text.replace(TRAILING_SPACE, '');
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

/** Splits the text after an optional BOM into lines, keeping each line's own terminator. */
function splitLines(text: string): { bom: string; lines: IniLine[] } {
  const bom = text.startsWith(BOM) ? BOM : '';
  const body = text.slice(bom.length);
  const lines: IniLine[] = [];
  let start = 0;
  for (const match of body.matchAll(LINE_BREAK)) {
    lines.push({ text: body.slice(start, match.index), eol: match[0] });
    start = match.index + match[0].length;
  }
  if (start < body.length) lines.push({ text: body.slice(start), eol: '' });
  return { bom, lines };
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

export function classifyStandalone(text: string): StandaloneLine {
  const stripped = pyStrip(text);
  if (stripped === '') return { kind: 'blank' };
  if (stripped.startsWith('#') || stripped.startsWith(';')) return { kind: 'comment' };
  const header = SECTION_HEADER.exec(stripped);
  if (header?.[1] !== undefined) return { kind: 'section', name: header[1] };
  const option = splitOption(text);
  if (option === undefined) return { kind: 'invalid', why: 'not a [section] header, key = value line or comment' };
  if (option.name === '') return { kind: 'invalid', why: `key name missing before "${option.delimiter}"` };
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

interface EntryInProgress {
  key: string;
  start: number;
  end: number;
  pieces: string[];
}

/** Tokenizes lines as configparser's `_read` does, noting every problem instead of stopping at the first. */
export function analyzeLines(bom: string, lines: readonly IniLine[]): IniDocument {
  const kinds: LineKind[] = [];
  const problems: IniProblem[] = [];
  const blocks: { name: string; header: number; entries: EntryInProgress[] }[] = [];
  const seenSections = new Set<string>();
  const seenKeys = new Set<string>();
  let entry: EntryInProgress | undefined;
  // Indent of the last line that was not a continuation; deeper lines continue `entry`.
  let indentLevel = 0;

  lines.forEach((line, index) => {
    if (line.text.includes('\0')) problems.push({ index, why: 'NUL byte' });
    const standalone = classifyStandalone(line.text);
    if (standalone.kind === 'blank' || standalone.kind === 'comment') {
      if (standalone.kind === 'blank') entry?.pieces.push('');
      kinds.push(standalone.kind);
      return;
    }
    const indent = leadingSpace(line.text).length;
    if (entry !== undefined && indent > indentLevel) {
      entry.pieces.push(pyStrip(line.text));
      entry.end = index + 1;
      kinds.push('continuation');
      return;
    }
    indentLevel = indent;
    const block = blocks.at(-1);
    if (standalone.kind === 'section') {
      const { name } = standalone;
      if (seenSections.has(name)) problems.push({ index, why: `duplicate section [${name}]` });
      if (name !== DEFAULT_SECTION) seenSections.add(name);
      blocks.push({ name, header: index, entries: [] });
      entry = undefined;
      kinds.push(standalone.kind);
    } else if (block === undefined) {
      problems.push({ index, why: 'text before the first [section] header' });
      kinds.push('invalid');
    } else if (standalone.kind === 'invalid') {
      problems.push({ index, why: standalone.why });
      kinds.push('invalid');
    } else {
      const sectionKey = JSON.stringify([block.name, standalone.key]);
      if (seenKeys.has(sectionKey)) problems.push({ index, why: `duplicate key "${standalone.key}" in [${block.name}]` });
      seenKeys.add(sectionKey);
      entry = { key: standalone.key, start: index, end: index + 1, pieces: [standalone.value] };
      block.entries.push(entry);
      kinds.push(standalone.kind);
    }
  });

  const finished = blocks.map((block) => ({
    name: block.name,
    header: block.header,
    entries: block.entries.map(({ key, start, end, pieces }) => ({ key, start, end, value: pyRstrip(pieces.join('\n')) })),
  }));
  return { bom, lines, kinds, blocks: finished, problems };
}

/** Reads the text and throws a UsageError naming the first line configparser would reject. */
export function readDocument(text: string, label: string): IniDocument {
  const { bom, lines } = splitLines(text);
  const document = analyzeLines(bom, lines);
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
