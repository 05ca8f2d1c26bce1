import { DEFAULT_REGISTRY } from '../build/install.js';
import type { SupplySettings } from '../config/supply-config.js';
import { CachedAdvisories } from './cached-advisories.js';
import { DependencyVerifier } from './dependency-verifier.js';
import { NpmRegistry } from './npm-registry.js';

/** What the install stage uses to check dependencies; one per process, so its cache is shared. */
export interface SupplyChecks {
  verifier: DependencyVerifier;
  settings: SupplySettings;
}

export function createSupplyChecks(
  settings: SupplySettings,
  registry: string | undefined,
): SupplyChecks {
  const client = new NpmRegistry({
    registry: registry ?? DEFAULT_REGISTRY,
    downloadsUrl: settings.downloadsUrl,
    timeoutMs: settings.timeoutMs,
  });
  const registryWithCache = new CachedAdvisories(client, settings.cacheTtlMs);
  return { verifier: new DependencyVerifier(registryWithCache, settings), settings };
}
