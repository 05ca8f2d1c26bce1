import { decodeTime, monotonicFactory } from 'ulid';
import { describe, expect, it } from 'vitest';
import { ULID_PATTERN, newId, pooledPrng } from './ids.js';

describe('newId', () => {
  it('makes valid ULIDs that carry the time', () => {
    const now = Date.UTC(2026, 11, 5, 8, 30, 0, 123);
    const id = newId(now);
    expect(id).toMatch(ULID_PATTERN);
    expect(decodeTime(id)).toBe(now);
  });

  it('never repeats over many ids in one millisecond and across pool refills', () => {
    const ids = Array.from({ length: 5000 }, () => newId(1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(ULID_PATTERN);
  });

  it("feeds the package's monotonic factory: ids in order within one millisecond", () => {
    const draws = Array.from({ length: 10_000 }, pooledPrng);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    // All 32 characters come up: the draws cover the range, not a slice of it.
    expect(new Set(draws.map((d) => Math.floor(d * 32))).size).toBe(32);
    const next = monotonicFactory(pooledPrng);
    const ids = Array.from({ length: 1000 }, () => next(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
