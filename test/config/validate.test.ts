import { describe, expect, it } from 'vitest';
import { validateProfileName } from '../../src/config/validate.js';
import { UsageError } from '../../src/core/errors.js';

describe('validateProfileName', () => {
  it.each(['prod', 'team.prod-long', 'my prof', 'Ü'.repeat(32), 'x'.repeat(64)])('accepts %j', (name) => {
    expect(validateProfileName(name)).toBe(name);
  });

  it.each([
    ['', 'aws-mfa: bad profile name: "" is empty, has surrounding spaces, brackets or control characters'],
    ['a]b', 'aws-mfa: bad profile name: "a]b" is empty, has surrounding spaces, brackets or control characters'],
    ['a\nb', 'aws-mfa: bad profile name: "a\\nb" is empty, has surrounding spaces, brackets or control characters'],
    [' lead', 'aws-mfa: bad profile name: " lead" is empty, has surrounding spaces, brackets or control characters'],
    ['x'.repeat(65), 'aws-mfa: bad profile name: it is longer than 64 bytes'],
    ['Ü'.repeat(33), 'aws-mfa: bad profile name: it is longer than 64 bytes'],
  ])('refuses %j with exit 2 and one line', (name, line) => {
    let caught: unknown;
    try {
      validateProfileName(name);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).toLine()).toBe(line);
  });
});
