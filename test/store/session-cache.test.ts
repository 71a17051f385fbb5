import { describe, expect, it } from 'vitest';
import { profileFileStem } from '../../src/store/session-cache.js';

describe('profileFileStem', () => {
  it.each([
    ['prod', 'prod'],
    ['team.prod', 'team%2Eprod'],
    ['..', '%2E%2E'],
    ['a/b\\c', 'a%2Fb%5Cc'],
    ['my prof', 'my%20prof'],
    ["it's(x)*~!", 'it%27s%28x%29%2A%7E%21'],
    ['CON', '%43ON'],
    ['lpt1', '%6Cpt1'],
    ['Über', '%C3%9Cber'],
  ])('names %j as %j', (profile, stem) => {
    expect(profileFileStem(profile)).toBe(stem);
  });

  it('gives different names to different profiles', () => {
    const profiles = ['a.b', 'a%2Eb', 'A.b', 'a b', 'a+b', 'con', 'CON', '%43ON'];
    expect(new Set(profiles.map(profileFileStem)).size).toBe(profiles.length);
  });
});
