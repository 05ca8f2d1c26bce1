import type { NonceStore } from '../../auth/nonce-store.js';
import type {
  Admission,
  AdmissionRequest,
  AdmissionStore,
  RateLimitSettings,
  WindowCount,
} from './admission.js';

import { ExpiringMap, type Expiring } from './expiring-map.js';

/** At this many counters, expired ones are swept; if none had expired, the oldest half go. */
const MAX_COUNTERS = 10_000;

/** A fixed window's count, which lapses when the window ends. */
interface Counter extends Expiring {
  count: number;
}

/**
 * Admission for a single process (the embedded profile): fixed-window counters in memory,
 * nonces in the given store (the database). Same order and stops as the Redis script.
 */
export class LocalAdmission implements AdmissionStore {
  private readonly counters = new ExpiringMap<Counter>(MAX_COUNTERS);

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
    let counter = this.counters.live(key, now);
    if (!counter) {
      counter = { count: 0, until: now + this.limits.windowMs };
      this.counters.set(key, counter, now);
    }
    counter.count += 1;
    return { count: counter.count, ttlMs: counter.until - now };
  }
}
