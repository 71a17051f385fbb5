import type { ExpectStatic } from 'vitest';
import type { RunResult } from './process.js';

/** What a refused run must show: its exit status and the key words of its one stderr line. */
export interface Refusal {
  exit: number;
  /** Each must appear in the line: a string as is, a RegExp by test(). */
  words: readonly (string | RegExp)[];
}

/** A JavaScript stack frame (`    at fn (file:line:col)`) or Node's own crash banner. */
const STACK_TRACE = /^\s+at\s|node:internal|\n\s*\^\s*\n|Error: .*\n\s+at /m;

/**
 * The contract for every error (PRODUCT.md "Errors and exit codes"): the exit status, stdout
 * empty, and stderr exactly one line `aws-mfa: <what>: <why>` with no stack trace. Returns it.
 */
export function expectRefusal(expect: ExpectStatic, result: RunResult, refusal: Refusal): string {
  const context = `stdout: ${JSON.stringify(result.stdout)}\nstderr: ${JSON.stringify(result.stderr)}`;
  expect(result.signal, context).toBeNull();
  expect(result.code, context).toBe(refusal.exit);
  expect(result.stdout, context).toBe('');
  expect(result.stderr, context).toMatch(/^aws-mfa: [^\n]+: [^\n]+\n$/);
  expect(result.stderr, context).not.toMatch(STACK_TRACE);
  const line = result.stderr.trimEnd();
  for (const word of refusal.words) {
    if (typeof word === 'string') expect(line).toContain(word);
    else expect(line).toMatch(word);
  }
  return line;
}

/** Asserts that no secret, nor anything shaped like an access key id, appears in text. */
export function expectNoSecrets(expect: ExpectStatic, text: string, secrets: readonly string[]): void {
  expect(text).not.toMatch(/\b(?:AKIA|ASIA)[A-Z0-9]{12,}/);
  for (const secret of secrets) {
    const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(text).not.toMatch(new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`));
  }
}

/** The session cache's folders that taking its lock creates; they stay behind, empty. */
const LOCK_FOLDERS = new Set(['.cache', '.cache/aws-mfa', '.cache/aws-mfa/locks']);
/** What a lock's holder failed with, for the processes waiting on it (one line, no secret): part of the lock. */
const LOCK_FAILURE_RECORD = /^\.cache\/aws-mfa\/locks\/[^/]+\.lock\.failed$/;

/**
 * Asserts that a run changed nothing under HOME except, possibly, the empty lock folders of the
 * session cache (a run takes the profile's lock before it prompts or calls STS) and the lock's
 * record of a failure: no other file was written, none changed, none removed.
 */
export function expectOnlyLockFoldersAdded(expect: ExpectStatic, before: Record<string, string>, after: Record<string, string>): void {
  const unchanged = Object.fromEntries(Object.entries(after).filter(([path]) => path in before));
  expect(unchanged).toEqual(before);
  const added = Object.entries(after).filter(([path]) => !(path in before));
  for (const [path, entry] of added) {
    const lockBookkeeping = (LOCK_FOLDERS.has(path) && entry.startsWith('folder ')) || LOCK_FAILURE_RECORD.test(path);
    expect(lockBookkeeping, `${path} (${entry}) was created`).toBe(true);
  }
}
