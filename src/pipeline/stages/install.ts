import path from 'node:path';
import {
  detectFramework,
  detectPackageManager,
  parsePackageJson,
  type PackageJson,
} from '../../build/detect.js';
import {
  installDependencies,
  type InstallOptions,
  type InstallOutcome,
} from '../../build/install.js';
import { serverNeed } from '../../build/static-export.js';
import type { TreeDigest } from '../../build/tree-digest.js';
import type { BuildRun } from '../context.js';
import { StageFailure } from '../failure.js';
import { auditDependencies } from './dependency-audit.js';
import { checkDependencies } from './dependency-checks.js';
import { classify } from './sandboxed.js';

export async function installStage(run: BuildRun): Promise<void> {
  const { deps, state } = run;
  const manifest = await readManifest(run);
  if (!manifest) return;
  const pkg = await checkDependencies(run, manifest.pkg);
  const detected = detectPackageManager({
    hasFile: (name) => manifest.files.includes(name),
    packageJson: pkg,
  });
  state.manager = detected.manager;
  const outcome = await installDependencies(
    run.workspace.root,
    detected.manager,
    pkg,
    installOptions(run, detected.reason),
  );
  state.processMs += outcome.processMs;
  if (!outcome.ok) throw installFailure(run, outcome);
  if (outcome.key)
    state.dependencyDir = path.join(
      deps.settings.dataDir,
      'cache',
      'deps',
      outcome.key,
      'node_modules',
    );
  if (state.dependencyDir) deps.dependencyTrees.linked(state.dependencyDir);
  state.manager = outcome.manager;
  run.log.emitSoon({
    type: 'install.done',
    stage: 'install',
    message: outcome.reused
      ? 'Dependencies reused from the cache: nothing to install.'
      : `Dependencies installed with ${outcome.manager}.`,
    data: { manager: outcome.manager, reused: outcome.reused, cacheKey: outcome.key ?? null },
  });
  await auditDependencies(run);
}

/**
 * The project's package.json and files, with its framework noted on the run; undefined (and
 * an event saying why) when there is nothing to install.
 */
async function readManifest(
  run: BuildRun,
): Promise<{ pkg: PackageJson; files: string[] } | undefined> {
  const { workspace, state } = run;
  // Through the workspace API: never a symlink the build step may have left in its place.
  const text = await workspace.readFile('package.json').catch(() => undefined);
  const pkg = text === undefined ? undefined : parsePackageJson(text);
  const files = await workspace.listFiles();
  state.framework = detectFramework({ packageJson: pkg, files }).framework;
  await refuseServerBuilds(run, files);
  if (text !== undefined && !pkg) {
    throw new StageFailure(
      'BUILD_INVALID_PACKAGE_JSON',
      'The generated package.json is not valid JSON.',
      'Regenerate the project; the engine wrote a broken package.json.',
    );
  }
  if (!pkg) {
    await run.log.emit({
      type: 'install.skipped',
      stage: 'install',
      message: 'No package.json: a static site.',
    });
    return undefined;
  }
  state.packageJson = pkg;
  const declared = { ...pkg.dependencies, ...pkg.devDependencies };
  if (Object.keys(declared).length === 0 && pkg.optionalDependencies === undefined) {
    await run.log.emit({
      type: 'install.skipped',
      stage: 'install',
      message: 'No dependencies to install.',
    });
    return undefined;
  }
  return { pkg, files };
}

/** How this run installs: the sandbox, caches, registry, uids and the events it reports. */
function installOptions(run: BuildRun, detectedBy: string): InstallOptions {
  const { deps, state } = run;
  const settings = deps.settings;
  return {
    sandbox: run.sandbox,
    toolchain: deps.toolchain,
    cacheDir: path.join(settings.dataDir, 'cache'),
    installsDir: path.join(settings.dataDir, 'installs'),
    timeoutMs: settings.installTimeoutMs,
    allowScripts: settings.installAllowScripts,
    ...(settings.npmRegistry ? { registry: settings.npmRegistry } : {}),
    ...(settings.npmCaFile ? { caFile: settings.npmCaFile } : {}),
    ...(settings.installIdentity ? { installer: settings.installIdentity } : {}),
    ...(run.identity ? { builder: run.identity } : {}),
    onAttempt: (manager, frozen) =>
      run.log.post({
        type: 'install.attempt',
        stage: 'install',
        message: `Installing with ${manager}${frozen ? ' (frozen lockfile)' : ''}.`,
        data: { manager, frozen, detectedBy },
      }),
    onIgnored: (ignored) =>
      run.log.post({
        type: 'install.ignored',
        stage: 'install',
        level: 'warn',
        message: `Ignored ${ignored.file}: ${ignored.reason}.`,
        data: { ...ignored },
      }),
    signal: run.signal,
    frozen: !state.dependenciesChanged,
    walkTree: (root) => walkTree(run, root),
  };
}

type FailedInstall = Extract<InstallOutcome, { ok: false }>;

/** The stage's failure for an install that did not succeed. */
function installFailure(run: BuildRun, outcome: FailedInstall): StageFailure {
  if ('refused' in outcome)
    return new StageFailure(
      'DEPENDENCY_SOURCE_REFUSED',
      outcome.refused.message,
      outcome.refused.hint,
    );
  const refusedHosts = outcome.result.egressRefused ?? [];
  if (refusedHosts.length > 0 && outcome.result.exitCode !== 0) {
    return new StageFailure(
      'DEPENDENCY_SOURCE_REFUSED',
      `The install tried to reach ${refusedHosts.slice(0, 3).join(', ')}, which is not the worker's registry.`,
      'Dependencies come only from the configured registry (NPM_REGISTRY); remove git, URL or tarball sources.',
    );
  }
  return StageFailure.from(classify(run, 'install', outcome.result));
}

/**
 * The run's early walk when it is of this tree, else a walk now. Used once: an install the
 * fix loop runs again walks afresh.
 */
function walkTree(run: BuildRun, root: string): Promise<TreeDigest> {
  const early = run.state.earlyTreeWalk;
  run.state.earlyTreeWalk = undefined;
  const trees = run.deps.dependencyTrees;
  if (early?.dir !== root) return trees.walk(root);
  return early.done.then((digest) => digest ?? trees.walk(root));
}

/** Before any install: a build that needs a server would only preview broken (static-export.ts). */
async function refuseServerBuilds(run: BuildRun, files: string[]): Promise<void> {
  const framework = run.state.framework ?? 'static';
  const need = await serverNeed(framework, files, (f) =>
    run.workspace.readFile(f).catch(() => undefined),
  );
  if (!need) return;
  const name = framework === 'nextjs' ? 'Next.js' : 'Astro';
  await run.log.emit({
    type: 'install.refused',
    stage: 'install',
    level: 'error',
    message: `This ${name} app needs a server: ${need.reason}.`,
    data: { framework, files: need.files },
  });
  throw new StageFailure(
    'BUILD_NEEDS_SERVER',
    `This ${name} app needs a server to run, and previews serve static files only: ${need.reason}.`,
    framework === 'nextjs'
      ? "Set `output: 'export'` in next.config and move API routes, server actions and middleware to a separate backend; or host the app where a Next.js server runs."
      : "Remove the SSR adapter and `output: 'server'` from astro.config (static output is the default) and any `prerender = false`; or host the site where an Astro server runs.",
  );
}
