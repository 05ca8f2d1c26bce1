import { describe, expect, it } from 'vitest';
import type { NonceStore } from '../../auth/nonce-store.js';
import { admissionSuite, SUITE_LIMITS } from '../../../test/support/admission-suite.js';
import { LocalAdmission } from './local-admission.js';

/** Nonces in a set: the database store has its own tests; these are about the counters. */
class SetNonces implements NonceStore {
  private readonly used = new Set<string>();
  async claim(nonce: string): Promise<boolean> {
    if (this.used.has(nonce)) return false;
    this.used.add(nonce);
    return true;
  }
  async close(): Promise<void> {}
}

describe('LocalAdmission', () => {
  admissionSuite(() => new LocalAdmission(SUITE_LIMITS, new SetNonces(), 600));

  it('starts a new window once the old one ended', async () => {
    let now = 1_000_000;
    const store = new LocalAdmission(SUITE_LIMITS, new SetNonces(), 600, () => now);
    await store.admit({ ip: 'a' });
    now += 30_000;
    expect((await store.admit({ ip: 'a' })).ip).toEqual({ count: 2, ttlMs: 30_000 });
    now += 30_000;
    expect((await store.admit({ ip: 'a' })).ip).toEqual({ count: 1, ttlMs: 60_000 });
  });

  it('stays bounded under a flood of distinct addresses, keeping recent counters', async () => {
    const now = 1_000_000;
    const store = new LocalAdmission(SUITE_LIMITS, new SetNonces(), 600, () => now);
    for (let i = 0; i < 25_000; i += 1) await store.admit({ ip: `flood-${i}` });
    const size = (store as unknown as { counters: Map<string, unknown> }).counters.size;
    expect(size).toBeLessThanOrEqual(10_000);
    // The newest addresses are still counted within their window.
    expect((await store.admit({ ip: 'flood-24999' })).ip?.count).toBe(2);
  });
});
