import { expect } from 'vitest';
import type { MotoServer, RecordedRequest } from './moto.js';
import { repoRoot } from './paths.js';
import { type RunResult, runProcess } from './process.js';
import type { EnvOverrides, Sandbox } from './sandbox.js';

/** Long-term keys that the tests put into `[NAME-long-term]`: never the session's. */
export const longTermKeys = { accessKeyId: 'AKIALONGTERMTEST0001', secretAccessKey: 'long-term-secret/For+Tests' } as const;
export const mfaSerial = 'arn:aws:iam::123456789012:mfa/alice';
/** moto returns these fixed session credentials from every GetSessionToken. */
export const motoSession = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
} as const;
export const motoAccount = '123456789012';
export const eightHours = 8 * 60 * 60;

/** `[NAME-long-term]` with the test's long-term keys, plus extra lines. */
export function longTermSection(profile: string, ...extraLines: string[]): string {
  return [
    `[${profile}-long-term]`,
    `aws_access_key_id = ${longTermKeys.accessKeyId}`,
    `aws_secret_access_key = ${longTermKeys.secretAccessKey}`,
    ...extraLines,
    '',
  ].join('\n');
}

/** [prod-long-term] keys and [profile prod] with mfa_serial and the given extra lines. */
export function setUpProd(box: Sandbox, configLines = ''): void {
  box.writeCredentials(longTermSection('prod'));
  box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n${configLines}`);
}

/**
 * A deliberately simple INI reader for assertions, independent of src/: section → key → value.
 * Comment lines and blank lines are skipped; `key = value` is split at the first `=`.
 */
export function iniSections(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1] !== undefined) {
      if (sections.has(header[1])) throw new Error(`duplicate section [${header[1]}]`);
      current = new Map();
      sections.set(header[1], current);
      continue;
    }
    const equals = line.indexOf('=');
    if (current === undefined || equals < 0) throw new Error(`unexpected line: ${rawLine}`);
    current.set(line.slice(0, equals).trim(), line.slice(equals + 1).trim());
  }
  return sections;
}

/** The keys of one section, as a plain object (for toEqual). */
export function sectionOf(text: string, name: string): Record<string, string> | undefined {
  const section = iniSections(text).get(name);
  return section === undefined ? undefined : Object.fromEntries(section);
}

/** Times around a run: an expiration of `start + duration .. end + duration` is STS's own. */
export interface RunWindow {
  startMs: number;
  endMs: number;
}

export async function timed<T>(run: () => Promise<T>): Promise<[T, RunWindow]> {
  const startMs = Date.now();
  const result = await run();
  return [result, { startMs, endMs: Date.now() }];
}

const isoUtcSeconds = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
/** Slack for second truncation and moto's own clock reading. */
const slackMs = 5_000;

/** An ISO 8601 UTC expiration that equals moto's `now + durationSeconds` for a call made within `window`. */
export function expectExpiration(text: string | undefined, durationSeconds: number, window: RunWindow): void {
  expect(text).toMatch(isoUtcSeconds);
  const at = Date.parse(text ?? '');
  expect(at).toBeGreaterThanOrEqual(window.startMs + durationSeconds * 1000 - slackMs);
  expect(at).toBeLessThanOrEqual(window.endMs + durationSeconds * 1000 + slackMs);
}

/** The GetSessionToken requests moto received since its recording was last cleared. */
export async function sessionTokenCalls(moto: MotoServer): Promise<RecordedRequest[]> {
  return (await moto.recordedRequests()).filter((request) => request.action === 'GetSessionToken');
}

/** A result's output, for failure messages. */
export function describeRun(result: RunResult): string {
  return `exit ${result.code ?? result.signal}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
}

/**
 * Runs ESM code in a child node with the sandbox's environment (HOME, PATH, AWS_*), from the
 * repository so that `import "@aws-sdk/credential-providers"` resolves: the SDK as an app runs it.
 */
export function runNode(box: Sandbox, code: string, env: EnvOverrides = {}): Promise<RunResult> {
  return runProcess(process.execPath, ['--input-type=module', '-e', code], { env: box.env(env), cwd: repoRoot });
}

/**
 * A sandbox snapshot without the folders of the cache (`.cache/aws-mfa/locks` is made before the
 * lock is taken) and the lock's record of a failure, for the processes waiting on it: files
 * anywhere else, and every folder outside the cache, still count.
 */
export function withoutCacheFolders(snapshot: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(snapshot).filter(
      ([path, entry]) =>
        !(path.startsWith('.cache') && (entry.startsWith('folder') || /^\.cache\/aws-mfa\/locks\/[^/]+\.lock\.failed$/.test(path))),
    ),
  );
}
