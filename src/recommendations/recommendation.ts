/**
 * What a recommendation is, and the closed catalog of the kinds the worker measures. Kinds
 * are a stable contract like error codes: add new ones, never rename or reuse. Engine ideas
 * use `idea.<name>` and are always marked with origin 'idea'.
 */

/** How much it matters, lowest first. */
export const SEVERITIES = ['info', 'low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 'measured': found by the worker's own checks; 'idea': suggested by an engine. */
export const ORIGINS = ['measured', 'idea'] as const;
export type Origin = (typeof ORIGINS)[number];

export interface Recommendation {
  kind: string;
  /** Tells items of one kind apart (e.g. one per unmet ask); '' when a kind has one item. */
  key: string;
  severity: Severity;
  origin: Origin;
  title: string;
  detail: string;
  /** What the user should do, in a sentence. */
  action: string;
  /** The measured facts the item rests on: file names, byte counts, messages. */
  evidence: Record<string, unknown>;
}

export interface StoredRecommendation extends Recommendation {
  id: string;
}

/** Which checks produced an answer, and why any did not run: "ran", "skipped: ..." or "failed: ...". */
export interface CheckReport {
  html: string;
  bundle: string;
  build: string;
  prompt: string;
  code: string;
  browser: string;
  /** The engine's ranking, wording and ideas. */
  engine: string;
}

/** Kinds found without a browser: the recommend stage and the routes recompute all of them. */
export const STATIC_KINDS = [
  'html.lang',
  'html.title',
  'html.meta-description',
  'html.img-alt',
  'html.viewport',
  'bundle.size',
  'build.warnings',
  'build.vulnerable-dependency',
  'prompt.unmet',
  'code.strict',
  'code.tests',
] as const;

/** Kinds only a run in a real browser finds (on demand, in the routes). */
export const BROWSER_KINDS = ['page.errors'] as const;

export type MeasuredKind = (typeof STATIC_KINDS)[number] | (typeof BROWSER_KINDS)[number];

const CHECK_OF_FAMILY: Record<string, keyof CheckReport> = {
  html: 'html',
  bundle: 'bundle',
  build: 'build',
  prompt: 'prompt',
  code: 'code',
  page: 'browser',
  idea: 'engine',
};

/**
 * The static kinds a measurement looked at: only these may be replaced by its findings, so a
 * check that could not run never wipes out what an earlier run of it found.
 */
export function kindsChecked(checks: CheckReport): MeasuredKind[] {
  return STATIC_KINDS.filter((kind) => {
    const check = CHECK_OF_FAMILY[kind.split('.')[0] ?? ''];
    return check !== undefined && checks[check] === 'ran';
  });
}

/** Highest severity first, then measured before ideas, then by kind and key: a stable order. */
export function compareRecommendations(a: Recommendation, b: Recommendation): number {
  const bySeverity = SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity);
  if (bySeverity !== 0) return bySeverity;
  if (a.origin !== b.origin) return a.origin === 'measured' ? -1 : 1;
  return a.kind === b.kind ? a.key.localeCompare(b.key) : a.kind.localeCompare(b.kind);
}

/** A measured item of a catalog kind. */
export function measured(
  kind: MeasuredKind,
  fields: Omit<Recommendation, 'kind' | 'origin' | 'key'> & { key?: string },
): Recommendation {
  return { ...fields, kind, origin: 'measured', key: fields.key ?? '' };
}
