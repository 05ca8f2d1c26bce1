import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { ULID_PATTERN, requestUlid } from './ids.js';

describe('requestUlid', () => {
  it('makes valid ULIDs that carry the time', () => {
    const now = Date.UTC(2026, 11, 5, 8, 30, 0, 123);
    const id = requestUlid(now);
    expect(id).toMatch(ULID_PATTERN);
    expect(decodeTime(id)).toBe(now);
  });

  it('never repeats over many ids in one millisecond and across pool refills', () => {
    const ids = Array.from({ length: 5000 }, () => requestUlid(1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(ULID_PATTERN);
  });
});
