import { describe, expect, it } from 'vitest';
import {
  domainNameString,
  eventCursor,
  projectNameString,
  promptString,
  userIdString,
} from './schemas.js';

const issues = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  result.success ? [] : (result.error?.issues.map((i) => i.message) ?? []);

describe('client strings', () => {
  it('refuse NUL, other controls and unpaired surrogates in free text', () => {
    for (const bad of [
      '\u0000',
      '\u0007',
      '\u007f',
      '\u009b',
      '\ud800',
      '\udc00',
      '\udc00\ud800',
    ]) {
      expect(issues(promptString.safeParse(`a${bad}b`)), JSON.stringify(bad)).not.toEqual([]);
    }
    expect(issues(promptString.safeParse('a\u0000b'))).toEqual([
      'must not contain control characters (U+0000 at character 2)',
    ]);
    expect(issues(promptString.safeParse('a\ud800'))).toEqual([
      'must be valid Unicode text (unpaired surrogate U+D800 at character 2)',
    ]);
  });

  it('keep tabs and line breaks in free text, and no control at all in names', () => {
    expect(promptString.safeParse('line one\n\tline two\r\n').success).toBe(true);
    for (const bad of ['\n', '\t', '\r', '\u0000']) {
      expect(projectNameString.safeParse(`a${bad}b`).success).toBe(false);
    }
    expect(projectNameString.safeParse('Café 😀').success).toBe(true);
  });

  it('bound length after trimming, at the column limits', () => {
    expect(projectNameString.safeParse('n'.repeat(200)).success).toBe(true);
    expect(projectNameString.safeParse(`  ${'n'.repeat(200)}  `).success).toBe(true);
    expect(projectNameString.safeParse('n'.repeat(201)).success).toBe(false);
    expect(projectNameString.safeParse('   ').success).toBe(false);
    expect(promptString.safeParse('p'.repeat(20_000)).success).toBe(true);
    expect(promptString.safeParse('p'.repeat(20_001)).success).toBe(false);
    expect(userIdString.safeParse('u'.repeat(128)).success).toBe(true);
    expect(userIdString.safeParse('u'.repeat(129)).success).toBe(false);
  });
});

describe('event cursor', () => {
  it('accepts what an int4 column can compare and nothing else', () => {
    expect(eventCursor.safeParse('2147483647').success).toBe(true);
    for (const bad of ['2147483648', '-1', '1.5', 'x', '1e400']) {
      expect(eventCursor.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('domainNameString', () => {
  it('parses to the normalized name and reports the same reasons', () => {
    const schema = domainNameString(['preview.sheen.app']);
    expect(schema.parse(' Bücher.Shop.de. ')).toBe('xn--bcher-kva.shop.de');
    const refused = schema.safeParse('x.preview.sheen.app');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.message)).toEqual([
      '`preview.sheen.app` and the names under it belong to this service and cannot be claimed',
    ]);
    expect(schema.safeParse(42).success).toBe(false);
    expect(schema.safeParse('shop\u0000.com').success).toBe(false);
  });
});
