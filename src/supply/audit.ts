import semver from 'semver';
import {
  ADVISORY_SEVERITIES,
  type Advisory,
  type AdvisorySeverity,
  type PackageRegistry,
  type PackageSummary,
} from './package-registry.js';
import type { InstalledTree } from './installed-tree.js';

/** One installed version an advisory covers, with the version that leaves all of them behind. */
export interface Finding {
  name: string;
  version: string;
  id: string;
  title: string;
  url: string;
  severity: AdvisorySeverity;
  vulnerableVersions: string;
  /** The lowest later version no advisory of the package covers; null when none is known. */
  fixVersion: string | null;
}

export interface AuditReport {
  findings: Finding[];
  counts: Record<AdvisorySeverity, number>;
  /** The most severe finding, if any. */
  worst: AdvisorySeverity | undefined;
}

export type AuditFailLevel = 'none' | 'high' | 'critical';

/**
 * Asks the registry's bulk advisory endpoint (the one `npm audit` uses) about every installed
 * version, keeps the advisories whose range covers an installed version, and works out the fix
 * version from the package's metadata. Throws RegistryUnavailable like the registry does.
 */
export async function auditTree(
  installed: InstalledTree,
  registry: PackageRegistry,
  summary: (name: string) => Promise<PackageSummary | undefined>,
  signal?: AbortSignal,
): Promise<AuditReport> {
  const advisories = await registry.advisories(installed, signal);
  const findings: Finding[] = [];
  for (const [name, list] of Object.entries(advisories)) {
    const versions = installed[name] ?? [];
    for (const version of versions) {
      const hits = list.filter((a) => covers(a, version));
      if (hits.length === 0) continue;
      const fixVersion = await fixFor(name, version, list, summary).catch(() => null);
      for (const a of hits) findings.push(toFinding(name, version, a, fixVersion));
    }
  }
  findings.sort((a, b) => rank(b.severity) - rank(a.severity) || a.name.localeCompare(b.name));
  const counts = Object.fromEntries(
    ADVISORY_SEVERITIES.map((s) => [s, 0]),
  ) as AuditReport['counts'];
  for (const f of findings) counts[f.severity] += 1;
  return { findings, counts, worst: findings[0]?.severity };
}

/** Whether a finding of this severity fails the build at AUDIT_FAIL_LEVEL. */
export function failsAt(level: AuditFailLevel, severity: AdvisorySeverity | undefined): boolean {
  if (level === 'none' || severity === undefined) return false;
  return rank(severity) >= rank(level);
}

function rank(s: AdvisorySeverity): number {
  return ADVISORY_SEVERITIES.indexOf(s);
}

function covers(advisory: Advisory, version: string): boolean {
  try {
    return semver.satisfies(version, advisory.vulnerable_versions, { includePrerelease: true });
  } catch {
    return false;
  }
}

async function fixFor(
  name: string,
  version: string,
  advisories: Advisory[],
  summary: (name: string) => Promise<PackageSummary | undefined>,
): Promise<string | null> {
  const meta = await summary(name);
  if (!meta) return null;
  const later = meta.versions
    .filter((v) => semver.valid(v) && !semver.prerelease(v) && semver.gt(v, version))
    .sort(semver.compare);
  return later.find((v) => !advisories.some((a) => covers(a, v))) ?? null;
}

function toFinding(name: string, version: string, a: Advisory, fixVersion: string | null): Finding {
  return {
    name,
    version,
    id: String(a.id),
    title: a.title.slice(0, 300),
    url: a.url.slice(0, 500),
    severity: a.severity,
    vulnerableVersions: a.vulnerable_versions.slice(0, 200),
    fixVersion,
  };
}
