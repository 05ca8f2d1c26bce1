import semver from 'semver';
import type { PackageSummary } from './package-registry.js';
import { isPopular, nearPopularName } from './popular-packages.js';

/**
 * What the worker decides about one dependency it is about to install, from what the registry
 * says about it. Pure: the same facts and settings always give the same decision.
 */

export type Verdict = 'ok' | 'warn' | 'refuse';

export type ReasonCode =
  'missing' | 'no-matching-version' | 'young' | 'low-downloads' | 'near-popular';

export interface Reason {
  code: ReasonCode;
  message: string;
  /** A replacement the fix loop may use (the popular name a typo is one edit from). */
  suggestion?: string;
}

export interface Decision {
  name: string;
  spec: string;
  verdict: Verdict;
  /** The version the spec resolves to on the registry, when it does. */
  version: string | undefined;
  reasons: Reason[];
  weeklyDownloads: number | undefined;
}

export interface PolicySettings {
  policy: 'warn' | 'refuse';
  minAgeDays: number;
  minWeeklyDownloads: number;
}

export interface Facts {
  name: string;
  spec: string;
  /** undefined: the registry has no such package. */
  summary: PackageSummary | undefined;
  weeklyDownloads: number | undefined;
  now: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function decide(facts: Facts, settings: PolicySettings): Decision {
  const { name, spec, summary, weeklyDownloads } = facts;
  const base = { name, spec, weeklyDownloads };
  if (!summary) {
    return {
      ...base,
      verdict: 'refuse',
      version: undefined,
      reasons: [missing(name)],
    };
  }
  const version = resolveSpec(spec, summary);
  if (version === undefined) {
    const reason: Reason = {
      code: 'no-matching-version',
      message: `no published version of ${name} matches "${spec}"`,
    };
    return { ...base, verdict: 'refuse', version, reasons: [reason] };
  }
  const reasons = heuristics(facts, settings);
  const verdict = reasons.length === 0 ? 'ok' : settings.policy === 'refuse' ? 'refuse' : 'warn';
  return { ...base, verdict, version, reasons };
}

function missing(name: string): Reason {
  const near = nearPopularName(name);
  return {
    code: 'missing',
    message: near
      ? `${name} does not exist on the registry (did you mean ${near}?)`
      : `${name} does not exist on the registry`,
    ...(near ? { suggestion: near } : {}),
  };
}

/** Young, rarely downloaded, or one edit from a popular name: each alone is a reason. */
function heuristics(facts: Facts, settings: PolicySettings): Reason[] {
  const { name, summary, weeklyDownloads, now } = facts;
  if (isPopular(name)) return [];
  const reasons: Reason[] = [];
  const created = summary?.created ? Date.parse(summary.created) : NaN;
  if (Number.isFinite(created)) {
    const days = (now.getTime() - created) / DAY_MS;
    if (days < settings.minAgeDays) {
      reasons.push({
        code: 'young',
        message: `${name} was first published ${age(days)} ago (under ${settings.minAgeDays} days)`,
      });
    }
  }
  if (weeklyDownloads !== undefined && weeklyDownloads < settings.minWeeklyDownloads) {
    reasons.push({
      code: 'low-downloads',
      message: `${name} was downloaded ${weeklyDownloads} times last week (under ${settings.minWeeklyDownloads})`,
    });
  }
  const near = nearPopularName(name);
  if (near) {
    reasons.push({
      code: 'near-popular',
      message: `${name} is one letter away from the popular package ${near}`,
      suggestion: near,
    });
  }
  return reasons;
}

function age(days: number): string {
  if (days < 1) return 'less than a day';
  const whole = Math.floor(days);
  return whole === 1 ? '1 day' : `${whole} days`;
}

/**
 * The version a spec installs: a dist-tag, an exact version or the highest in the range
 * (`npm:other@range` aliases are resolved by the caller). Prereleases only when asked for.
 */
export function resolveSpec(spec: string, summary: PackageSummary): string | undefined {
  const s = spec.trim() === '' ? 'latest' : spec.trim();
  const tagged = summary.distTags[s];
  if (tagged !== undefined) return summary.versions.includes(tagged) ? tagged : undefined;
  if (semver.valid(s))
    return summary.versions.includes(semver.clean(s) ?? s) ? (semver.clean(s) ?? s) : undefined;
  const range = semver.validRange(s, { loose: true });
  if (range === null) return undefined;
  const latest = summary.distTags.latest;
  // npm prefers `latest` when it is in range.
  if (latest && semver.satisfies(latest, range, { loose: true })) return latest;
  return semver.maxSatisfying(summary.versions, range, { loose: true }) ?? undefined;
}
