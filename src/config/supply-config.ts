import { z } from 'zod';
import { int, urlWithProtocols } from './env-values.js';

/** Supply-chain settings: dependency verification and the vulnerability audit. */

export const DEPENDENCY_POLICIES = ['warn', 'refuse'] as const;
export const AUDIT_FAIL_LEVELS = ['none', 'high', 'critical'] as const;

export const supplyEnv = {
  /** What a young, rarely downloaded or typo-like package gets; a missing one is always refused. */
  DEPENDENCY_POLICY: z.enum(DEPENDENCY_POLICIES).default('warn'),
  DEPENDENCY_MIN_AGE_DAYS: int(7, 0, 3650),
  DEPENDENCY_MIN_WEEKLY_DOWNLOADS: int(50, 0, 1_000_000_000),
  /** Weekly download counts (`<url><name>`); on the public npm a separate host from the registry. */
  NPM_DOWNLOADS_URL: urlWithProtocols(['http:', 'https:']),
  /** One registry request (packument, downloads, advisories) may take this long. */
  REGISTRY_TIMEOUT_MS: int(10_000, 200, 120_000),
  /** How long a looked-up package stays trusted in memory. */
  DEPENDENCY_CACHE_TTL_SECONDS: int(3600, 0, 604_800),
  AUDIT_FAIL_LEVEL: z.enum(AUDIT_FAIL_LEVELS).default('none'),
};

type SupplyEnv = { [K in keyof typeof supplyEnv]: z.output<(typeof supplyEnv)[K]> };

export const DEFAULT_DOWNLOADS_URL = 'https://api.npmjs.org/downloads/point/last-week/';

export function supplySection(env: SupplyEnv) {
  return {
    policy: env.DEPENDENCY_POLICY,
    minAgeDays: env.DEPENDENCY_MIN_AGE_DAYS,
    minWeeklyDownloads: env.DEPENDENCY_MIN_WEEKLY_DOWNLOADS,
    downloadsUrl: withSlash(env.NPM_DOWNLOADS_URL ?? DEFAULT_DOWNLOADS_URL),
    timeoutMs: env.REGISTRY_TIMEOUT_MS,
    cacheTtlMs: env.DEPENDENCY_CACHE_TTL_SECONDS * 1000,
    auditFailLevel: env.AUDIT_FAIL_LEVEL,
  };
}

export type SupplySettings = ReturnType<typeof supplySection>;

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
