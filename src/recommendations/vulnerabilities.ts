import { measured, type Recommendation, type Severity } from './recommendation.js';

/** One installed version with advisories, as the build's `audit.done` event recorded it. */
export interface VulnerableDependency {
  name: string;
  version: string;
  /** The worst advisory's severity, in npm's words (low, moderate, high, critical). */
  severity: string;
  fixVersion: string | null;
  advisories: { id: string; title: string; url: string; severity: string }[];
}

const SEVERITY: Record<string, Severity> = {
  critical: 'high',
  high: 'high',
  moderate: 'medium',
  low: 'low',
  info: 'info',
};
const ORDER = ['info', 'low', 'moderate', 'high', 'critical'];
const MAX_ITEMS = 20;

/** Findings of the `audit.done` event's data, grouped per installed version; read defensively. */
export function auditFindings(data: Record<string, unknown> | null): VulnerableDependency[] {
  const findings = Array.isArray(data?.findings) ? (data.findings as unknown[]) : [];
  const byVersion = new Map<string, VulnerableDependency>();
  for (const raw of findings) {
    if (typeof raw !== 'object' || raw === null) continue;
    const f = raw as Record<string, unknown>;
    const [name, version, severity] = [f.name, f.version, f.severity].map(String) as [
      string,
      string,
      string,
    ];
    if (!f.name || !f.version) continue;
    const key = `${name}@${version}`;
    const entry = byVersion.get(key) ?? {
      name,
      version,
      severity,
      fixVersion: typeof f.fixVersion === 'string' ? f.fixVersion : null,
      advisories: [],
    };
    if (ORDER.indexOf(severity) > ORDER.indexOf(entry.severity)) entry.severity = severity;
    entry.advisories.push({
      id: String(f.id),
      title: String(f.title),
      url: String(f.url),
      severity,
    });
    byVersion.set(key, entry);
  }
  return [...byVersion.values()].slice(0, MAX_ITEMS);
}

/** One upgrade recommendation per vulnerable installed version. */
export function vulnerabilityItems(list: VulnerableDependency[]): Recommendation[] {
  return list.map((v) => {
    const first = v.advisories[0];
    return measured('build.vulnerable-dependency', {
      key: `${v.name}@${v.version}`,
      severity: SEVERITY[v.severity] ?? 'medium',
      title: `Upgrade ${v.name}: ${v.severity} vulnerability in ${v.version}`,
      detail: `${v.name}@${v.version} is installed and has ${v.advisories.length} known advisor${v.advisories.length === 1 ? 'y' : 'ies'}${first ? `, first: ${first.title}` : ''}.`,
      action: v.fixVersion
        ? `Upgrade ${v.name} to ${v.fixVersion} or later (npm install ${v.name}@${v.fixVersion}).`
        : `No fixed version of ${v.name} is published: replace it, or remove it if it is not needed.`,
      evidence: { ...v },
    });
  });
}
