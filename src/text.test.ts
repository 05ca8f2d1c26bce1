import { describe, expect, it } from 'vitest';
import { ANY_CONTROL, clipText, describeFirst, LONE_SURROGATE, storableText } from './text.js';

describe('clipText', () => {
  it('leaves short text alone and counts characters, not code units', () => {
    expect(clipText('Bakery', 10)).toBe('Bakery');
    expect(clipText('😀'.repeat(10), 10)).toBe('😀'.repeat(10));
  });

  it('cuts at the last space in the second half, else at a character', () => {
    expect(clipText('one two three four', 12)).toBe('one two');
    expect(clipText('a'.repeat(20_000), 200)).toBe('a'.repeat(200));
  });

  it('never splits a surrogate pair', () => {
    const clipped = clipText('a' + '😀'.repeat(300), 200);
    expect(LONE_SURROGATE.test(clipped)).toBe(false);
    expect([...clipped]).toHaveLength(200);
  });
});

describe('storableText', () => {
  it('replaces unpaired surrogates and drops controls, keeping line breaks and pairs', () => {
    expect(storableText('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(storableText('x\u0000y\u001bz\n\t\r😀')).toBe('xyz\n\t\r😀');
  });
});

describe('describeFirst', () => {
  it('names the character and its position in characters', () => {
    expect(describeFirst('😀a\u0000', ANY_CONTROL)).toBe('U+0000 at character 3');
    expect(describeFirst('fine', ANY_CONTROL)).toBeUndefined();
  });
});
