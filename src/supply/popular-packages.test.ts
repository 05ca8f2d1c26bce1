import { describe, expect, it } from 'vitest';
import { editDistanceAtMostOne, nearPopularName } from './popular-packages.js';

describe('names one edit from a popular package', () => {
  it.each([
    ['raect', 'react', 'two neighbours swapped'],
    ['lodahs', 'lodash', 'two neighbours swapped at the end'],
    ['axois', 'axios', 'swap'],
    ['expresss', 'express', 'one letter too many'],
    ['reac', 'react', 'one letter missing'],
    ['vite-', 'vite', 'a trailing dash'],
    ['zed', 'zod', 'one letter changed'],
    ['@types/nod', '@types/node', 'inside a scope'],
  ])('%s is one edit from %s (%s)', (name, popular) => {
    expect(nearPopularName(name)).toBe(popular);
  });

  it.each(['react', 'lodash', 'preact', 'nuxt', 'my-own-widget', 'reactjs-toolkit', 'lodash-fp'])(
    '%s is not flagged',
    (name) => {
      expect(nearPopularName(name)).toBeUndefined();
    },
  );

  it('counts exactly one insert, delete, substitution or adjacent swap', () => {
    expect(editDistanceAtMostOne('abcd', 'abdc')).toBe(true);
    expect(editDistanceAtMostOne('abcd', 'badc')).toBe(false);
    expect(editDistanceAtMostOne('abcd', 'abcd')).toBe(false);
    expect(editDistanceAtMostOne('abcd', 'ab')).toBe(false);
    expect(editDistanceAtMostOne('abcd', 'xbcd')).toBe(true);
    expect(editDistanceAtMostOne('abcd', 'abcde')).toBe(true);
    expect(editDistanceAtMostOne('abcd', 'acbd')).toBe(true);
    expect(editDistanceAtMostOne('abcd', 'axcy')).toBe(false);
  });
});
