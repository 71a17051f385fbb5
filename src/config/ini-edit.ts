/**
 * Edits one section of an INI file and leaves every other byte as it was. Each edit works on the
 * document the shared tokenizer reads, then re-reads its own result and throws rather than return
 * a file in which anything but the intended keys reads differently.
 */
import {
  analyzeLines,
  classifyStandalone,
  formatOption,
  type IniBlock,
  type IniDocument,
  type IniLine,
  joinLines,
  leadingSpace,
  lowerKey,
  type OptionParts,
  ownSectionValues,
  pyStrip,
  readDocument,
  splitOption,
} from './ini-document.js';

/** Callers that hold a path should run parseIni first, so that a malformed file is reported with its name. */
const EDITED_LABEL = 'INI file';
const DEFAULT_OPTION_STYLE = { indent: '', gap: ' ', delimiter: '=', space: ' ' } as const;

export function setSectionKeys(text: string, section: string, values: ReadonlyArray<readonly [key: string, value: string]>): string {
  assertSectionName(section);
  const before = readDocument(text, EDITED_LABEL);
  let document = before;
  for (const [key, value] of values) document = setKey(document, section, key, value);
  const expected = ownSectionValues(before);
  if (values.length > 0) {
    const target = expected.get(section) ?? new Map<string, string>();
    for (const [key, value] of values) target.set(lowerKey(key), value);
    expected.set(section, target);
  }
  return checkedResult(document, expected, section);
}

export function removeSectionKeys(text: string, section: string, keys: readonly string[]): string {
  const before = readDocument(text, EDITED_LABEL);
  let document = before;
  for (const key of keys) {
    const found = findEntry(document, section, lowerKey(key));
    if (found) document = replaceLines(document, found.start, found.end, []);
  }
  const expected = ownSectionValues(before);
  for (const key of keys) expected.get(section)?.delete(lowerKey(key));
  return checkedResult(document, expected, section);
}

export function removeSection(text: string, section: string): string {
  const before = readDocument(text, EDITED_LABEL);
  let document = before;
  for (let block = findBlocks(document, section).at(-1); block; block = findBlocks(document, section).at(-1)) {
    document = removeBlock(document, block);
  }
  const expected = ownSectionValues(before);
  expected.delete(section);
  return checkedResult(document, expected, section);
}

function assertSectionName(section: string): void {
  const header = classifyStandalone(`[${section}]`);
  if (/[[\]\r\n\0]/.test(section) || header.kind !== 'section' || header.name !== section) {
    throw new Error(`cannot write a section named ${JSON.stringify(section)}`);
  }
}

/** The value is never echoed: it may be a secret. */
function assertOptionLine(line: string, key: string, value: string): void {
  const read = classifyStandalone(line);
  const readsBack = read.kind === 'option' && read.key === lowerKey(key) && read.value === value;
  if (/[\r\n\0]/.test(key + value) || !readsBack) {
    throw new Error(`cannot write key ${JSON.stringify(key)}: the key or its value would not read back as written`);
  }
}

function setKey(document: IniDocument, section: string, key: string, value: string): IniDocument {
  const existing = findEntry(document, section, lowerKey(key));
  if (existing) {
    const line = optionLine({ ...optionStyle(document, existing.start), value }, key, value);
    return replaceLines(document, existing.start, existing.end, [line]);
  }
  const block = findBlocks(document, section).at(-1);
  if (!block) return appendSection(document, section, key, value);
  const last = block.entries.at(-1);
  const style = last ? optionStyle(document, last.start) : { ...fileOptionStyle(document), indent: indentOfNextHeader(document, block) };
  const line = optionLine({ ...style, name: key, value }, key, value);
  const at = last ? last.end : block.header + 1;
  return replaceLines(document, at, at, [line]);
}

/**
 * A key written into an empty section is indented as the header that follows it: a header
 * indented deeper than the key above it would read as that key's continuation line.
 */
function indentOfNextHeader(document: IniDocument, block: IniBlock): string {
  const next = document.kinds.findIndex((kind, index) => index > block.header && kind !== 'blank' && kind !== 'comment');
  return next < 0 ? '' : leadingSpace(document.lines[next]?.text ?? '');
}

function appendSection(document: IniDocument, section: string, key: string, value: string): IniDocument {
  const style = fileOptionStyle(document);
  const lastLine = document.lines.at(-1);
  const separator = lastLine && pyStrip(lastLine.text) !== '' ? [''] : [];
  const at = document.lines.length;
  return replaceLines(document, at, at, [...separator, `[${section}]`, optionLine({ ...style, name: key, value }, key, value)]);
}

/** Removes the header and entries of a block, and the blank lines that separated it from what follows (or, at the end, from what precedes). */
function removeBlock(document: IniDocument, block: IniBlock): IniDocument {
  const isBlank = (index: number): boolean => document.kinds[index] === 'blank';
  let start = block.header;
  let end = block.entries.at(-1)?.end ?? block.header + 1;
  while (isBlank(end)) end += 1;
  if (end === document.lines.length) {
    while (isBlank(start - 1)) start -= 1;
  }
  return keepHeaderBelow(replaceLines(document, start, end, []), start);
}

function optionLine(parts: OptionParts, key: string, value: string): string {
  const line = formatOption(parts);
  assertOptionLine(line, key, value);
  return line;
}

/** An option line's indentation and spacing; `key =` with no value lends its key-side spacing to the value side. */
function optionStyle(document: IniDocument, index: number): OptionParts {
  const parts = splitOption(document.lines[index]?.text ?? '');
  if (!parts) throw new Error(`line ${index + 1} is not an option line`);
  return parts.space === '' && parts.value === '' ? { ...parts, space: parts.gap } : parts;
}

/** The spacing of the file's first option line (unindented), for keys written into a section that has none. */
function fileOptionStyle(document: IniDocument): Omit<OptionParts, 'name' | 'value'> {
  const first = document.kinds.indexOf('option');
  if (first < 0) return DEFAULT_OPTION_STYLE;
  const { gap, delimiter, space } = optionStyle(document, first);
  return { indent: '', gap, delimiter, space };
}

function findBlocks(document: IniDocument, section: string): IniBlock[] {
  return document.blocks.filter((block) => block.name === section);
}

function findEntry(document: IniDocument, section: string, key: string): { start: number; end: number } | undefined {
  for (const block of findBlocks(document, section)) {
    const entry = block.entries.find((candidate) => candidate.key === key);
    if (entry) return entry;
  }
  return undefined;
}

/**
 * Replaces lines [start, end) with new lines. A replaced range's last line passes its terminator
 * on; new lines take the file's first terminator (LF in a file without one). The file keeps
 * ending with, or without, a line terminator.
 */
function replaceLines(document: IniDocument, start: number, end: number, texts: readonly string[]): IniDocument {
  const { lines } = document;
  const eol = lines.find((line) => line.eol !== '')?.eol ?? '\n';
  const inserted = texts.map((text): IniLine => ({ text, eol }));
  const replacedLast = lines[end - 1];
  const insertedLast = inserted.at(-1);
  if (end > start && replacedLast && insertedLast) inserted[inserted.length - 1] = { ...insertedLast, eol: replacedLast.eol };
  const spliced = [...lines.slice(0, start), ...inserted, ...lines.slice(end)];
  const endsWithEol = lines.at(-1)?.eol !== '';
  const result = spliced.map((line, index): IniLine => {
    if (index < spliced.length - 1) return line.eol === '' ? { ...line, eol } : line;
    if (!endsWithEol) return { ...line, eol: '' };
    return line.eol === '' ? { ...line, eol } : line;
  });
  return analyzeLines(document.bom, result);
}

/**
 * Once a section is removed, a section header indented deeper than the option now above it would
 * read as that option's continuation. Its indentation means nothing to configparser, so the
 * header is moved to column 0.
 */
function keepHeaderBelow(document: IniDocument, from: number): IniDocument {
  const next = document.kinds.findIndex((kind, index) => index >= from && kind !== 'blank' && kind !== 'comment');
  const line = document.lines[next];
  if (next < 0 || !line || document.kinds[next] !== 'continuation' || classifyStandalone(line.text).kind !== 'section') {
    return document;
  }
  const dedented = { ...line, text: line.text.slice(leadingSpace(line.text).length) };
  return analyzeLines(
    document.bom,
    document.lines.map((old, index) => (index === next ? dedented : old)),
  );
}

function checkedResult(document: IniDocument, expected: Map<string, Map<string, string>>, section: string): string {
  if (document.problems.length > 0 || !sameSections(ownSectionValues(document), expected)) {
    throw new Error(`editing [${section}] would change how other lines read; the file is left as it was`);
  }
  return joinLines(document.bom, document.lines);
}

function sameSections(actual: Map<string, Map<string, string>>, expected: Map<string, Map<string, string>>): boolean {
  if (actual.size !== expected.size) return false;
  for (const [name, values] of expected) {
    const other = actual.get(name);
    if (!other || other.size !== values.size) return false;
    for (const [key, value] of values) if (other.get(key) !== value) return false;
  }
  return true;
}
