import { describe, expect, it } from 'vitest';
import { formatDuration, parseDurationSeconds, parseSessionDuration } from '../../src/config/duration.js';
import { UsageError } from '../../src/core/errors.js';

describe('parseDurationSeconds', () => {
  it.each([
    ['900', 900],
    ['15m', 900],
    ['8h', 28800],
    ['1h30m', 5400],
    ['36h', 129600],
    ['90s', 90],
    ['1h0m30s', 3630],
    [' 2H ', 7200],
  ])('reads %j as %d seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it.each(['', 'h', '8 h', '1.5h', '-900', '30m1h', 'eight hours', '8d', '1h 30m'])('refuses %j', (text) => {
    expect(parseDurationSeconds(text)).toBeNull();
  });
});

describe('parseSessionDuration', () => {
  it('accepts the bounds 15m and 36h', () => {
    expect(parseSessionDuration('15m', '--duration')).toBe(900);
    expect(parseSessionDuration('129600', '--duration')).toBe(129600);
  });

  it.each([
    ['899', "aws-mfa: bad --duration: '899' is outside 15m..36h"],
    ['36h1s', "aws-mfa: bad --duration: '36h1s' is outside 15m..36h"],
    ['soon', "aws-mfa: bad --duration: 'soon' is not a duration (use seconds or h/m, e.g. 900, 15m, 8h, 1h30m)"],
  ])('refuses %j with exit 2 and one line', (text, line) => {
    const error = catchError(() => parseSessionDuration(text, '--duration'));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).toLine()).toBe(line);
  });
});

describe('formatDuration', () => {
  it.each([
    [900, '15m'],
    [5400, '1h30m'],
    [28800, '8h'],
    [45, '45s'],
  ])('writes %d as %s, which reads back', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
    expect(parseDurationSeconds(text)).toBe(seconds);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
