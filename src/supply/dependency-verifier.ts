import { specKind } from '../build/install-input.js';
import { decide, type Decision, type PolicySettings } from './dependency-policy.js';
import type { PackageRegistry, PackageSummary } from './package-registry.js';
import { isPopular } from './popular-packages.js';

/** A dependency as package.json declares it. */
export interface WantedDependency {
  /** The key in package.json. */
  name: string;
  spec: string;
}

export interface VerifierSettings extends PolicySettings {
  cacheTtlMs: number;
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;
// Lookups at once: the registry sees a handful of requests per build, not hundreds.
const CONCURRENCY = 6;
const MAX_CACHED = 5000;

type Manifest = Partial<Record<(typeof DEP_FIELDS)[number], unknown>>;

/**
 * The registry dependencies a manifest adds or changes against the previous one (all of them
 * when there is none). Local (`file:`) and remote sources are left to the install's own
 * refusal; an `npm:` alias is checked under the name it really installs.
 */
export function changedDependencies(
  current: Manifest,
  previous: Manifest | undefined,
): WantedDependency[] {
  const before = new Map<string, string>();
  for (const field of DEP_FIELDS)
    for (const [name, spec] of entries(previous?.[field])) before.set(name, spec);
  const out = new Map<string, WantedDependency>();
  for (const field of DEP_FIELDS) {
    for (const [name, spec] of entries(current[field])) {
      if (before.get(name) === spec || specKind(spec) !== 'registry') continue;
      out.set(`${name}@${spec}`, unalias(name, spec));
    }
  }
  return [...out.values()];
}

function entries(deps: unknown): [string, string][] {
  if (typeof deps !== 'object' || deps === null) return [];
  return Object.entries(deps).filter((e): e is [string, string] => typeof e[1] === 'string');
}

function unalias(name: string, spec: string): WantedDependency {
  if (!spec.startsWith('npm:')) return { name, spec };
  const inner = spec.slice(4);
  const at = inner.lastIndexOf('@');
  return at > 0
    ? { name: inner.slice(0, at), spec: inner.slice(at + 1) }
    : { name: inner, spec: 'latest' };
}

interface Cached<T> {
  at: number;
  value: T;
}

/**
 * Looks dependencies up on the registry and applies the policy. Packuments and download counts
 * are kept in memory per package for `cacheTtlMs`, so the next build (or the next attempt of
 * this one) that names the same package and version costs no request.
 */
export class DependencyVerifier {
  private readonly summaries = new Map<string, Cached<PackageSummary | undefined>>();
  private readonly downloads = new Map<string, Cached<number | undefined>>();

  constructor(
    readonly registry: PackageRegistry,
    private readonly settings: VerifierSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** One decision per dependency; throws RegistryUnavailable when the registry cannot say. */
  async verify(wanted: WantedDependency[], signal?: AbortSignal): Promise<Decision[]> {
    const decisions: Decision[] = [];
    const queue = [...wanted];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        decisions.push(await this.decideOne(next, signal));
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
    return decisions.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async decideOne(dep: WantedDependency, signal?: AbortSignal): Promise<Decision> {
    const summary = await this.summary(dep.name, signal);
    // Popular names skip the download heuristic, so they cost no request to that service.
    const weekly =
      summary && !isPopular(dep.name) ? await this.weeklyDownloads(dep.name, signal) : undefined;
    return decide(
      { name: dep.name, spec: dep.spec, summary, weeklyDownloads: weekly, now: this.now() },
      this.settings,
    );
  }

  /**
   * The package's registry metadata, from the cache when fresh. Popular packages are judged
   * on existence and version only, so their (often many megabytes of) publish times are not
   * fetched.
   */
  summary(name: string, signal?: AbortSignal): Promise<PackageSummary | undefined> {
    return this.cached(this.summaries, name, () =>
      this.registry.packument(name, signal, isPopular(name)),
    );
  }

  private weeklyDownloads(name: string, signal?: AbortSignal): Promise<number | undefined> {
    return this.cached(this.downloads, name, () => this.registry.weeklyDownloads(name, signal));
  }

  private async cached<T>(map: Map<string, Cached<T>>, key: string, load: () => Promise<T>) {
    const hit = map.get(key);
    const at = Date.now();
    if (hit && at - hit.at < this.settings.cacheTtlMs) return hit.value;
    const value = await load();
    if (map.size >= MAX_CACHED) map.delete(map.keys().next().value as string);
    map.set(key, { at, value });
    return value;
  }
}
