/** Test support shared by the INI tests: botocore's reader (configparser underneath) as the reference, and the edit model. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { removeSection, removeSectionKeys, setSectionKeys, type IniSections } from '../../../src/config/ini-file.js';
import { DEFAULT_SECTION } from '../../../src/config/ini-document.js';

type Values = Record<string, string>;

/** Each section's own keys, and DEFAULT's keys apart, as configparser keeps them. */
export interface OwnView {
  own: Record<string, Values>;
  defaults: Values;
}

export type BotocoreResult =
  | ({
      sections: Record<string, Values>;
      /** botocore's profiles (build_profile_map) of the text read as a config file; a sub-setting block is null. */
      profiles: Record<string, Record<string, string | null>>;
    } & OwnView)
  | { error: string; line: number | null };

const READER = fileURLToPath(new URL('read_like_botocore.py', import.meta.url));

/** One python process reads every text with botocore's configloader, as the AWS CLI reads ~/.aws files. */
export function readWithBotocore(texts: readonly string[]): BotocoreResult[] {
  const output = execFileSync('python3', [READER], {
    input: JSON.stringify(texts),
    env: { ...process.env, PYTHONUTF8: '1', PYTHONIOENCODING: 'utf-8' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(output.toString('utf8')) as BotocoreResult[];
}

export function readOk(result: BotocoreResult | undefined): Exclude<BotocoreResult, { error: string }> {
  if (result === undefined || 'error' in result) throw new Error(`botocore failed: ${JSON.stringify(result)}`);
  return result;
}

export function corpusFile(name: string): string {
  return readFileSync(new URL(name, import.meta.url), 'utf8');
}

export type Edit =
  | { op: 'set'; section: string; values: [string, string][] }
  | { op: 'removeKeys'; section: string; keys: string[] }
  | { op: 'removeSection'; section: string };

export function applyEdit(text: string, edit: Edit): string {
  switch (edit.op) {
    case 'set':
      return setSectionKeys(text, edit.section, edit.values);
    case 'removeKeys':
      return removeSectionKeys(text, edit.section, edit.keys);
    case 'removeSection':
      return removeSection(text, edit.section);
  }
}

/** The edited text, or the error, so that one failing case does not hide the others. */
export function tryEdit(text: string, edit: Edit): string | Error {
  try {
    return applyEdit(text, edit);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The text of an edit that worked; throws the error of one that did not. */
export function editedText(result: string | Error | undefined): string {
  if (result instanceof Error) throw result;
  if (result === undefined) throw new Error('no such edit');
  return result;
}

/** What configparser must read after the edit: the target section changed as asked, nothing else. */
export function expectedView(before: OwnView, edit: Edit): OwnView {
  const own = structuredClone(before.own);
  let defaults = { ...before.defaults };
  const target = (): Values => {
    if (edit.section === DEFAULT_SECTION) return defaults;
    own[edit.section] ??= {};
    return own[edit.section] ?? {};
  };
  switch (edit.op) {
    case 'set':
      for (const [key, value] of edit.values) target()[key.toLowerCase()] = value;
      break;
    case 'removeKeys':
      if (edit.section === DEFAULT_SECTION || edit.section in own) {
        for (const key of edit.keys) delete target()[key.toLowerCase()];
      }
      break;
    case 'removeSection':
      if (edit.section === DEFAULT_SECTION) defaults = {};
      else delete own[edit.section];
      break;
  }
  return { own, defaults };
}

export function ownViewOf(result: BotocoreResult | undefined): OwnView {
  const { own, defaults } = readOk(result);
  return { own, defaults };
}

export function sectionsAsObject(sections: IniSections): Record<string, Values> {
  return Object.fromEntries([...sections].map(([name, values]) => [name, Object.fromEntries(values)]));
}
