import { PassThrough } from 'node:stream';
import type { Io, Terminal } from '../../src/core/io.js';

export interface FakeIo extends Io {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly debugLines: string[];
  /** Sets the clock. */
  setNow(date: Date): void;
}

/** An Io with no terminal unless `terminal` is given, and a settable clock. */
export function createFakeIo(
  options: {
    env?: Record<string, string | undefined>;
    now?: Date;
    terminal?: () => Terminal;
    stdin?: string;
    stderrIsTerminal?: boolean;
  } = {},
): FakeIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const debugLines: string[] = [];
  let now = options.now ?? new Date('2026-11-22T08:00:00Z');
  return {
    env: options.env ?? {},
    platform: 'linux',
    stdout,
    stderr,
    debugLines,
    writeStdout: (text) => void stdout.push(text),
    writeStderr: (text) => void stderr.push(text),
    notice: (text) => void stderr.push(text),
    debug: (text) => void debugLines.push(text),
    now: () => now,
    stdinIsTerminal: options.stdin === undefined && options.terminal !== undefined,
    stderrIsTerminal: options.stderrIsTerminal ?? false,
    readStdin: async () => options.stdin ?? '',
    setNow: (date) => {
      now = date;
    },
    openTerminal:
      options.terminal ??
      (() => {
        throw Object.assign(new Error('ENXIO: no such device or address, open /dev/tty'), { code: 'ENXIO' });
      }),
  };
}

/** A terminal whose input is fed by the test; what the prompt writes collects in `written`. */
export function createFakeTerminal(): Terminal & { type(text: string): void; written(): string } {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    input,
    output,
    close: () => {},
    type: (text) => void input.write(text),
    written: () => Buffer.concat(chunks).toString('utf8'),
  };
}
