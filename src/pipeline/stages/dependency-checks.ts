import { createHash } from 'node:crypto';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { extractTarball } from '../../artifacts/tarball.js';
import { readRegularFile } from '../../build/install-input.js';
import { parsePackageJson, type PackageJson } from '../../build/detect.js';
import type { Decision } from '../../supply/dependency-policy.js';
import { changedDependencies } from '../../supply/dependency-verifier.js';
import { RegistryUnavailable } from '../../supply/package-registry.js';
import { resolveKnownConflicts } from '../../supply/resolve-conflicts.js';
import { withoutVetted } from '../../supply/vetted.js';
import type { BuildRun } from '../context.js';
import { StageFailure } from '../failure.js';
import { makeScratchDir } from '../leftovers.js';

/**
 * A dependency the registry check refused. Unlike a failed install it is worth a repair: the
 * fix loop may replace the package (a typo's popular name) or ask the engine for another.
 */
export class DependencyRefusal extends StageFailure {}

/**
 * Runs before the install: fixes known conflicts in package.json (no engine), then checks every
 * dependency added or changed since the parent version on the registry. Returns the manifest
 * to install (re-read when a fix changed it). Throws the build's failure when the check refuses.
 */
export async function checkDependencies(run: BuildRun, pkg: PackageJson): Promise<PackageJson> {
  const current = await fixKnownConflicts(run, pkg);
  const previous = await previousManifest(run);
  const wanted = await withoutVetted(changedDependencies(current, previous ?? undefined));
  if (wanted.length === 0) return current;
  let decisions: Decision[];
  try {
    decisions = await run.deps.supply.verifier.verify(wanted, run.signal);
  } catch (err) {
    if (!(err instanceof RegistryUnavailable)) throw err;
    throw new StageFailure(
      'DEPENDENCY_REGISTRY_UNREACHABLE',
      `The package registry could not be asked about new dependencies: ${err.message}`,
      'Try again later; if it persists, check that NPM_REGISTRY is reachable from the worker (REGISTRY_TIMEOUT_MS sets the wait).',
    );
  }
  await reportDecisions(run, decisions);
  const refused = decisions.filter((d) => d.verdict === 'refuse');
  if (refused.length > 0) throw refusal(refused);
  return current;
}

async function fixKnownConflicts(run: BuildRun, pkg: PackageJson): Promise<PackageJson> {
  const applied = await resolveKnownConflicts(run.workspace.tools());
  if (applied.length === 0) return pkg;
  for (const fix of applied) {
    await run.log.emit({
      type: 'dependency.conflict-fixed',
      stage: 'install',
      message: `Known conflict ${fix.id}: ${fix.package}@${fix.from} → ${fix.to.join(', ')}. ${fix.why}`,
      data: { ...fix },
    });
  }
  // The lockfile was made for the old ranges: the install may update it.
  run.state.dependenciesChanged = true;
  const text = await run.workspace.readFile('package.json');
  const fixed = parsePackageJson(text);
  if (!fixed) throw new Error('known-conflict fixes wrote a package.json that does not parse');
  run.state.packageJson = fixed;
  return fixed;
}

async function reportDecisions(run: BuildRun, decisions: Decision[]): Promise<void> {
  for (const d of decisions.filter((x) => x.verdict !== 'ok')) {
    const refused = d.verdict === 'refuse';
    await run.log.emit({
      type: refused ? 'dependency.refused' : 'dependency.warning',
      stage: 'install',
      level: refused ? 'error' : 'warn',
      message: `${refused ? 'Refused' : 'Warning about'} ${d.name}@${d.spec}: ${d.reasons.map((r) => r.message).join('; ')}.`,
      data: { ...d },
    });
  }
  const ok = decisions.filter((d) => d.verdict === 'ok').length;
  await run.log.emit({
    type: 'dependency.verified',
    stage: 'install',
    message: `Checked ${decisions.length} new or changed dependencies on the registry: ${ok} fine, ${decisions.length - ok} flagged.`,
    data: {
      checked: decisions.map((d) => ({
        name: d.name,
        spec: d.spec,
        version: d.version ?? null,
        verdict: d.verdict,
      })),
    },
  });
}

function refusal(refused: Decision[]): DependencyRefusal {
  const missing = refused.filter((d) => d.reasons.some((r) => r.code === 'missing'));
  const unresolved = refused.filter((d) => d.reasons.some((r) => r.code === 'no-matching-version'));
  const code =
    missing.length > 0
      ? 'DEPENDENCY_NOT_FOUND'
      : unresolved.length > 0
        ? 'DEPENDENCY_VERSION_NOT_FOUND'
        : 'DEPENDENCY_REFUSED';
  const why = refused.map((d) => `${d.reasons.map((r) => r.message).join('; ')}`);
  const message = `Dependencies refused before install: ${why.join('; ')}.`.slice(0, 1000);
  const hint =
    code === 'DEPENDENCY_REFUSED'
      ? 'Use the well-known package meant, or an established one (DEPENDENCY_POLICY=warn lets such packages through with a warning).'
      : 'Check the package name and version range in package.json against the registry.';
  // One line per suggestion, for the fixer that swaps a typo for the popular name.
  const suggestions = refused.flatMap((d) => {
    const s = d.reasons.find((r) => r.suggestion)?.suggestion;
    return s ? [`replace-dependency ${d.name} ${s}`] : [];
  });
  const excerpt = [...why, ...suggestions].join('\n');
  return new DependencyRefusal(
    code,
    message,
    hint,
    {
      category: 'dependency',
      code,
      message,
      hint,
      fingerprint: createHash('sha256')
        .update(refused.map((d) => `${d.name}@${d.spec}`).join('\n'))
        .digest('hex'),
      excerpt,
      files: ['package.json'],
    },
    excerpt,
  );
}

/**
 * The parent version's package.json: the plan stage keeps it when it restores the parent's
 * sources; a job that did not run the plan stage (a retry, a build's second half on another
 * worker) reads it from the stored sources.
 */
async function previousManifest(run: BuildRun): Promise<PackageJson | null> {
  if (run.state.previousPackageJson !== undefined) return run.state.previousPackageJson;
  const { deps, build } = run;
  const parent = await deps.versions.parentOf(build.versionId);
  const artifact = parent ? await deps.versions.sourceArtifact(parent) : undefined;
  let found: PackageJson | null = null;
  if (artifact) {
    const dir = await makeScratchDir(deps.settings.dataDir, 'prev');
    try {
      const file = path.join(dir, 'source.tar.gz');
      await deps.artifactStore.fetch(artifact, file);
      await extractTarball(file, path.join(dir, 'src'));
      const text = await readRegularFile(path.join(dir, 'src', 'package.json'));
      found = (text !== undefined && parsePackageJson(text)) || null;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  run.state.previousPackageJson = found;
  return found;
}
