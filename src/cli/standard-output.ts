import fs from 'node:fs';
import { AwsMfaError } from '../core/errors.js';
import { isCode } from '../core/file-errors.js';

export interface StdoutChannels {
  /** Writes bytes from `offset` on, synchronously; returns how many it wrote. */
  writeSync(bytes: Uint8Array, offset: number): number;
  /** The queued stream, for output that a full non-blocking pipe cannot take at once. */
  stream(): NodeJS.WritableStream;
}

const PROCESS_STDOUT: StdoutChannels = {
  writeSync: (bytes, offset) => fs.writeSync(1, bytes, offset),
  stream: () => process.stdout,
};

/**
 * Writes stdout through its file descriptor, not process.stdout: creating that stream costs the
 * cached path 2-3 ms (a pipe's stream loads node:net). Once a write would block (a non-blocking
 * pipe that is full), this and every later write go through the stream, which queues them in order.
 */
export function stdoutWriter(channels: StdoutChannels = PROCESS_STDOUT): (text: string) => void {
  let queued = false;
  return (text) => {
    if (queued) {
      channels.stream().write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += channels.writeSync(bytes, offset);
      } catch (error) {
        if (!isCode(error, 'EAGAIN')) throw writeFailure(error);
        queued = true;
        channels.stream().write(bytes.subarray(offset));
        return;
      }
    }
  };
}

function writeFailure(error: unknown): AwsMfaError {
  const why = isCode(error, 'EPIPE') ? 'the reading end was closed' : String((error as { code?: unknown }).code ?? error);
  return new AwsMfaError('cannot write to stdout', why, { cause: error });
}
