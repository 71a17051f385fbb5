import { closeSync, mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type StdoutChannels, stdoutWriter } from '../../src/cli/standard-output.js';
import { AwsMfaError } from '../../src/core/errors.js';

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: write`), { code });
}

/** A descriptor that takes at most `chunk` bytes per write, and refuses writes with `failures` in order. */
function fakeChannels(chunk: number, failures: (string | undefined)[] = []) {
  const written: Buffer[] = [];
  const streamed: string[] = [];
  const channels: StdoutChannels = {
    writeSync: (bytes, offset) => {
      const failure = failures.shift();
      if (failure) throw errnoError(failure);
      const part = Buffer.from(bytes.subarray(offset, offset + chunk));
      written.push(part);
      return part.length;
    },
    stream: () =>
      ({ write: (data: string | Uint8Array) => streamed.push(Buffer.from(data).toString('utf8')) }) as unknown as NodeJS.WritableStream,
  };
  return { channels, written: () => Buffer.concat(written).toString('utf8'), streamed };
}

describe('stdoutWriter', () => {
  it('writes UTF-8 text whole through a real file descriptor', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aws-mfa-stdout-')), 'out');
    const fd = openSync(file, 'w');
    const write = stdoutWriter({ writeSync: (bytes, offset) => writeSync(fd, bytes, offset), stream: () => process.stdout });
    write('{"Version":1}\n');
    write('export AWS_PROFILE=prod—é\n');
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe('{"Version":1}\nexport AWS_PROFILE=prod—é\n');
  });

  it('goes on after partial writes until every byte is out', () => {
    const fake = fakeChannels(3);
    stdoutWriter(fake.channels)('a longer line of output\n');
    expect(fake.written()).toBe('a longer line of output\n');
    expect(fake.streamed).toEqual([]);
  });

  it('queues the rest, and every later write, on the stream once the pipe is full (EAGAIN)', () => {
    const fake = fakeChannels(4, [undefined, 'EAGAIN']);
    const write = stdoutWriter(fake.channels);
    write('abcdefgh');
    write('next');
    expect(fake.written()).toBe('abcd');
    expect(fake.streamed).toEqual(['efgh', 'next']);
  });

  it('reports a closed reader as one line', () => {
    const write = stdoutWriter(fakeChannels(10, ['EPIPE']).channels);
    let caught: unknown;
    try {
      write('x');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AwsMfaError);
    expect((caught as AwsMfaError).toLine()).toBe('aws-mfa: cannot write to stdout: the reading end was closed');
  });
});
