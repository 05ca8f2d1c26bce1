import type { NonceStore } from '../../auth/nonce-store.js';
import type {
  Admission,
  AdmissionRequest,
  AdmissionStore,
  RateLimitSettings,
  WindowCount,
} from './admission.js';

/** At this many counters, expired ones are swept; if none had expired, the oldest half go. */
const MAX_COUNTERS = 10_000;

interface Counter {
  count: number;
  resetAt: number;
}

/**
 * Admission for a single process (the embedded profile): fixed-window counters in memory,
 * nonces in the given store (the database). Same order and stops as the Redis script.
 */
export class LocalAdmission implements AdmissionStore {
  private readonly counters = new Map<string, Counter>();

  constructor(
    private readonly limits: RateLimitSettings,
    private readonly nonces: NonceStore,
    private readonly nonceTtlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async admit(request: AdmissionRequest): Promise<Admission> {
    const admission: Admission = {};
    if (request.ip !== undefined) {
      admission.ip = this.count(`ip:${request.ip}`);
      if (admission.ip.count > this.limits.ipMax) return admission;
    }
    if (request.nonce !== undefined) {
      admission.nonceFresh = await this.nonces.claim(request.nonce, this.nonceTtlSeconds);
      if (!admission.nonceFresh) return admission;
    }
    if (request.user !== undefined) admission.user = this.count(`user:${request.user}`);
    return admission;
  }

  close(): Promise<void> {
    return this.nonces.close();
  }

  private count(key: string): WindowCount {
    const now = this.now();
    let counter = this.counters.get(key);
    if (!counter || counter.resetAt <= now) {
      if (!counter && this.counters.size >= MAX_COUNTERS) this.prune(now);
      counter = { count: 0, resetAt: now + this.limits.windowMs };
      // Re-inserted, so the map stays ordered by window start (oldest first).
      this.counters.delete(key);
      this.counters.set(key, counter);
    }
    counter.count += 1;
    return { count: counter.count, ttlMs: counter.resetAt - now };
  }

  private prune(now: number): void {
    for (const [key, counter] of this.counters) {
      if (counter.resetAt <= now) this.counters.delete(key);
    }
    if (this.counters.size < MAX_COUNTERS) return;
    // Still full (a flood of distinct keys): forget the oldest windows rather than grow.
    for (const key of this.counters.keys()) {
      if (this.counters.size < MAX_COUNTERS / 2) break;
      this.counters.delete(key);
    }
  }
}
