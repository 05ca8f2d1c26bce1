import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { AdmissionStore, RateLimitSettings } from '../../src/http/admission/admission.js';

export const SUITE_LIMITS: RateLimitSettings = { windowMs: 60_000, ipMax: 3, userMax: 2 };

/**
 * The admission contract both stores keep: IP count, nonce claim, user count, in that order,
 * stopping at the first refusal. `open` gets a store with SUITE_LIMITS.
 */
export function admissionSuite(open: () => AdmissionStore): void {
  const id = () => randomUUID().replaceAll('-', '');

  it('counts an IP in a window that ends, and says how long is left', async () => {
    const store = open();
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}-${id()}`;
    const first = await store.admit({ ip });
    const second = await store.admit({ ip });
    expect(first.ip?.count).toBe(1);
    expect(second.ip?.count).toBe(2);
    expect(second.ip?.ttlMs).toBeGreaterThan(50_000);
    expect(second.ip?.ttlMs).toBeLessThanOrEqual(60_000);
    expect(second.nonceFresh).toBeUndefined();
    expect(second.user).toBeUndefined();
  });

  it('claims a nonce once, and counts the user only for the fresh claim', async () => {
    const store = open();
    const nonce = id();
    const user = `user-${id()}`;
    const fresh = await store.admit({ nonce, user });
    expect(fresh).toEqual({ nonceFresh: true, user: { count: 1, ttlMs: expect.any(Number) } });
    const replay = await store.admit({ nonce, user });
    expect(replay).toEqual({ nonceFresh: false });
    // The replay spent nothing: the next fresh request is the user's second.
    const next = await store.admit({ nonce: id(), user });
    expect(next.user?.count).toBe(2);
  });

  it('neither claims the nonce nor counts the user of a request over its IP limit', async () => {
    const store = open();
    const ip = `ip-${id()}`;
    const user = `user-${id()}`;
    for (let i = 0; i < SUITE_LIMITS.ipMax; i += 1) await store.admit({ ip });
    const nonce = id();
    const over = await store.admit({ ip, nonce, user });
    expect(over.ip?.count).toBe(SUITE_LIMITS.ipMax + 1);
    expect(over.nonceFresh).toBeUndefined();
    expect(over.user).toBeUndefined();
    // The nonce is still unused, and the user was not counted.
    expect(await store.admit({ nonce, user })).toMatchObject({
      nonceFresh: true,
      user: { count: 1 },
    });
  });

  it('lets exactly one of many concurrent claims of a nonce win', async () => {
    const store = open();
    const nonce = id();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.admit({ nonce })));
    expect(results.filter((r) => r.nonceFresh === true)).toHaveLength(1);
    expect(results.filter((r) => r.nonceFresh === false)).toHaveLength(19);
  });

  it('admits concurrent requests each as if alone, in the order they came', async () => {
    const store = open();
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}-${id()}`;
    const user = `batch-${id()}`;
    const nonces = [id(), id(), id(), id(), id()];
    const results = await Promise.all(nonces.map((nonce) => store.admit({ ip, nonce, user })));
    // Counts 1..5 for the IP; over its limit (3) from the fourth, which claims no nonce.
    expect(results.map((r) => r.ip?.count)).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((r) => r.nonceFresh)).toEqual([true, true, true, undefined, undefined]);
    expect(results.map((r) => r.user?.count)).toEqual([1, 2, 3, undefined, undefined]);
    // The nonces the refused requests carried were never claimed.
    const later = await store.admit({ nonce: nonces[3]!, user });
    expect(later.nonceFresh).toBe(true);
    // Mixed steps in one batch: a bare IP count, a bare nonce, a user alone.
    const other = `198.51.100.${Math.floor(Math.random() * 250)}-${id()}`;
    const [a, b, c] = await Promise.all([
      store.admit({ ip: other }),
      store.admit({ nonce: nonces[0]! }),
      store.admit({ user: `solo-${id()}` }),
    ]);
    expect(a).toEqual({ ip: { count: 1, ttlMs: expect.any(Number) } });
    expect(b).toEqual({ nonceFresh: false });
    expect(c).toEqual({ user: { count: 1, ttlMs: expect.any(Number) } });
  });
}
