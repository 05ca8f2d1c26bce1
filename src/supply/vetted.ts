import { readFile } from 'node:fs/promises';
import type { WantedDependency } from './dependency-verifier.js';

/**
 * The offline scaffold's dependencies: pinned in the worker's own source with their lockfile,
 * so they were vetted when they were committed, not chosen by an engine at build time. Asking
 * the registry about them again would put a network round trip (seconds for TypeScript's
 * packument) in front of every new app without checking anything a build could have changed.
 * Only the exact name and spec are vetted: an engine that bumps one is checked as usual.
 */
let vetted: Promise<ReadonlyMap<string, string>> | null = null;

function scaffoldDependencies(): Promise<ReadonlyMap<string, string>> {
  vetted ??= readFile(new URL('../ai/offline/scaffold/package.json', import.meta.url), 'utf8').then(
    (text) => {
      const pkg = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
      return new Map(Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }));
    },
  );
  return vetted;
}

/** The dependencies in `wanted` that the scaffold does not already pin at the same spec. */
export async function withoutVetted(wanted: WantedDependency[]): Promise<WantedDependency[]> {
  const known = await scaffoldDependencies();
  return wanted.filter((d) => known.get(d.name) !== d.spec);
}
