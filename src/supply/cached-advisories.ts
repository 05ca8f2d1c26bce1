import type { Advisory, PackageRegistry } from './package-registry.js';
import { RegistryUnavailable } from './package-registry.js';

/** How long an advisory service that failed is not asked again: builds go on with a warning. */
export const UNAVAILABLE_MS = 60_000;
const MAX_ENTRIES = 500;

interface Entry {
  until: number;
  result?: Record<string, Advisory[]>;
  error?: RegistryUnavailable;
}

/**
 * The registry with its advisory answers remembered per installed tree. Builds of the same
 * kind install the same pinned tree, and each audit is a POST of the whole tree (1.5 s through
 * this machine's registry), so asking once per tree and TTL keeps it off every build's path. A
 * failed service is remembered briefly too, so an outage costs one wait, not one per build.
 */
export class CachedAdvisories implements PackageRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly registry: PackageRegistry,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get url(): string {
    return this.registry.url;
  }

  packument(name: string, signal?: AbortSignal, abbreviated?: boolean) {
    return this.registry.packument(name, signal, abbreviated);
  }

  weeklyDownloads(name: string, signal?: AbortSignal) {
    return this.registry.weeklyDownloads(name, signal);
  }

  async advisories(
    installed: Record<string, string[]>,
    signal?: AbortSignal,
  ): Promise<Record<string, Advisory[]>> {
    const key = treeKey(installed);
    const known = this.entries.get(key);
    if (known && known.until > this.now()) {
      if (known.error) throw known.error;
      if (known.result) return known.result;
    }
    try {
      const result = await this.registry.advisories(installed, signal);
      this.remember(key, { until: this.now() + this.ttlMs, result });
      return result;
    } catch (err) {
      // Only the service's own failure is remembered; a cancelled build's abort is not.
      if (err instanceof RegistryUnavailable && !signal?.aborted)
        this.remember(key, {
          until: this.now() + Math.min(UNAVAILABLE_MS, this.ttlMs),
          error: err,
        });
      throw err;
    }
  }

  private remember(key: string, entry: Entry): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, entry);
  }
}

/** The same tree gives the same key whatever order its packages and versions came in. */
function treeKey(installed: Record<string, string[]>): string {
  return JSON.stringify(
    Object.keys(installed)
      .sort()
      .map((name) => [name, [...(installed[name] ?? [])].sort()]),
  );
}
