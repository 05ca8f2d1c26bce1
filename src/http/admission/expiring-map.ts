/** An entry that lapses at `until` (epoch ms). */
export interface Expiring {
  until: number;
}

/**
 * In-memory entries that lapse, bounded for a flood of distinct keys: at `maxEntries`, a new
 * key first sweeps the lapsed entries, and if none had lapsed, the oldest half go (entries are
 * kept in the order they were set). For the process-local rate-limit counters and the record
 * of recently refused clients, which must never grow without end.
 */
export class ExpiringMap<V extends Expiring> {
  readonly #entries = new Map<string, V>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The entry for `key` while it lasts; a lapsed one is dropped. */
  live(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.until > now) return entry;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, now: number): void {
    if (!this.#entries.has(key) && this.#entries.size >= this.maxEntries) this.prune(now);
    // Re-inserted, so the map stays ordered by when each entry was set (oldest first).
    this.#entries.delete(key);
    this.#entries.set(key, value);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.until <= now) this.#entries.delete(key);
    }
    if (this.#entries.size < this.maxEntries) return;
    // Still full (a flood of distinct keys): forget the oldest rather than grow.
    for (const key of this.#entries.keys()) {
      if (this.#entries.size < this.maxEntries / 2) break;
      this.#entries.delete(key);
    }
  }
}
