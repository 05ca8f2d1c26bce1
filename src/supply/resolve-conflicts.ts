import semver from 'semver';
import type { WorkspaceTools } from '../ai/engine.js';
import { KNOWN_CONFLICTS, KNOWN_CONFLICTS_VERSION, type KnownConflict } from './known-conflicts.js';

/** One known conflict found in a project and fixed. */
export interface AppliedFix {
  id: string;
  tableVersion: number;
  package: string;
  from: string;
  /** `name@range` of what replaced or bumped it, and anything added beside it. */
  to: string[];
  /** Source files whose imports were rewritten (replacements). */
  rewritten: string[];
  why: string;
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;
type Field = (typeof DEP_FIELDS)[number];
type Manifest = Partial<Record<Field, Record<string, string>>> & Record<string, unknown>;

const SOURCE = /\.(m?[jt]sx?|cjs|vue|svelte)$/;
const MAX_SOURCE_FILES = 2000;

/**
 * Applies every entry of the known-conflicts table that matches the project's package.json,
 * before any install or engine call. Returns what it changed (empty when nothing matched).
 */
export async function resolveKnownConflicts(
  tools: WorkspaceTools,
  table: readonly KnownConflict[] = KNOWN_CONFLICTS,
): Promise<AppliedFix[]> {
  let pkg: Manifest;
  try {
    pkg = JSON.parse(await tools.readFile('package.json')) as Manifest;
  } catch {
    return [];
  }
  const applied: AppliedFix[] = [];
  for (const entry of table) {
    const fix = applyEntry(pkg, entry);
    if (!fix) continue;
    if (entry.fix.kind === 'replace')
      fix.rewritten = await rewriteImports(tools, entry.package, entry.fix.to);
    applied.push(fix);
  }
  if (applied.length > 0)
    await tools.writeFile('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  return applied;
}

/** Changes `pkg` in place when the entry matches; the fix applied, or undefined. */
export function applyEntry(pkg: Manifest, entry: KnownConflict): AppliedFix | undefined {
  const field = DEP_FIELDS.find((f) => typeof pkg[f]?.[entry.package] === 'string');
  if (!field) return undefined;
  const deps = pkg[field] as Record<string, string>;
  const declared = deps[entry.package] as string;
  const partner = DEP_FIELDS.map((f) => pkg[f]?.[entry.with.name]).find((s) => s !== undefined);
  if (!partner || !onlyAtLeast(partner, entry.with.atLeast)) return undefined;
  if (entry.fixedIn !== null && reaches(declared, entry.fixedIn)) return undefined;
  const to: string[] = [];
  if (entry.fix.kind === 'bump') {
    deps[entry.package] = entry.fix.range;
    to.push(`${entry.package}@${entry.fix.range}`);
    for (const [name, range] of Object.entries(entry.fix.add ?? {})) {
      if (DEP_FIELDS.some((f) => pkg[f]?.[name] !== undefined)) continue;
      deps[name] = range;
      to.push(`${name}@${range}`);
    }
  } else {
    delete deps[entry.package];
    deps[entry.fix.to] = entry.fix.range;
    to.push(`${entry.fix.to}@${entry.fix.range}`);
  }
  return {
    id: entry.id,
    tableVersion: KNOWN_CONFLICTS_VERSION,
    package: entry.package,
    from: declared,
    to,
    rewritten: [],
    why: entry.why,
  };
}

/** Whether every version the range admits is at least `min` (unknown specs: no). */
function onlyAtLeast(spec: string, min: string): boolean {
  const range = semver.validRange(spec, { loose: true });
  return range !== null && semver.subset(range, `>=${min}`, { includePrerelease: true });
}

/** Whether the range admits some version at or above `fixedIn` (tags and unknowns: yes). */
function reaches(spec: string, fixedIn: string): boolean {
  const range = semver.validRange(spec, { loose: true });
  return range === null || semver.intersects(range, `>=${fixedIn}`, { includePrerelease: true });
}

/** Rewrites `from 'old'`, `import('old')`, `require('old')` and `'old/sub'` to the new name. */
export async function rewriteImports(
  tools: WorkspaceTools,
  from: string,
  to: string,
): Promise<string[]> {
  const escaped = from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const specifier = new RegExp(`(['"])${escaped}(/[^'"]*)?\\1`, 'g');
  const changed: string[] = [];
  const files = (await tools.listFiles()).filter((f) => SOURCE.test(f)).slice(0, MAX_SOURCE_FILES);
  for (const file of files) {
    const source = await tools.readFile(file).catch(() => undefined);
    if (source === undefined || !source.includes(from)) continue;
    const next = source.replace(
      specifier,
      (_m, q: string, sub: string | undefined) => `${q}${to}${sub ?? ''}${q}`,
    );
    if (next === source) continue;
    await tools.writeFile(file, next);
    changed.push(file);
  }
  return changed;
}
