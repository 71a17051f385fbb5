import { describe, expect, it } from 'vitest';
import { editDistance, suggestSimilar } from '../../src/cli/suggest.js';

describe('editDistance', () => {
  it.each([
    ['login', 'login', 0],
    ['logn', 'login', 1],
    ['lgoin', 'login', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['ab', 'abcdef', 4],
    ['ca', 'abc', 3],
  ])('%s → %s is %i edits', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe('suggestSimilar', () => {
  it.each([
    ['logn', ['login', 'list', 'env'], ['login']],
    ['Login', ['login'], ['login']],
    ['--forc', ['--force', '--format', '--code'], ['--force']],
    ['--prof', ['--profile', '--debug'], ['--profile']],
    ['--bat', ['--hat', '--cat', '--batch'], ['--cat', '--hat']],
    ['--frob', ['--force', '--profile'], []],
    ['x', ['y', 'z'], []],
    ['--qr', ['--no-qr'], []],
    ['anything', [], []],
  ])('%s among %j suggests %j', (word, candidates, expected) => {
    expect(suggestSimilar(word, candidates)).toEqual(expected);
  });

  it('suggests each candidate once', () => {
    expect(suggestSimilar('--forc', ['--force', '--force'])).toEqual(['--force']);
  });
});
