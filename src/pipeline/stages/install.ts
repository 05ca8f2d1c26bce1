import path from 'node:path';
import { detectFramework, detectPackageManager, parsePackageJson } from '../../build/detect.js';
import { installDependencies } from '../../build/install.js';
import { serverNeed } from '../../build/static-export.js';
import type { TreeDigest } from '../../build/tree-digest.js';
import type { BuildRun } from '../context.js';
import { StageFailure } from '../failure.js';
import { auditDependencies } from './dependency-audit.js';
import { checkDependencies } from './dependency-checks.js';
import { classify } from './sandboxed.js';

export async function installStage(run: BuildRun): Promise<void> {
  const { workspace, deps, state } = run;
  // Through the workspace API: never a symlink the build step may have left in its place.
  const text = await workspace.readFile('package.json').catch(() => undefined);
  let pkg = text === undefined ? undefined : parsePackageJson(text);
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
    return;
  }
  state.packageJson = pkg;
  const declared = { ...pkg.dependencies, ...pkg.devDependencies };
  if (Object.keys(declared).length === 0 && pkg.optionalDependencies === undefined) {
    await run.log.emit({
      type: 'install.skipped',
      stage: 'install',
      message: 'No dependencies to install.',
    });
    return;
  }
  pkg = await checkDependencies(run, pkg);
  const detected = detectPackageManager({
    hasFile: (name) => files.includes(name),
    packageJson: pkg,
  });
  state.manager = detected.manager;
  const outcome = await installDependencies(workspace.root, detected.manager, pkg, {
    sandbox: run.sandbox,
    toolchain: deps.toolchain,
    cacheDir: path.join(deps.settings.dataDir, 'cache'),
    installsDir: path.join(deps.settings.dataDir, 'installs'),
    timeoutMs: deps.settings.installTimeoutMs,
    allowScripts: deps.settings.installAllowScripts,
    ...(deps.settings.npmRegistry ? { registry: deps.settings.npmRegistry } : {}),
    ...(deps.settings.npmCaFile ? { caFile: deps.settings.npmCaFile } : {}),
    ...(deps.settings.installIdentity ? { installer: deps.settings.installIdentity } : {}),
    ...(run.identity ? { builder: run.identity } : {}),
    onAttempt: (manager, frozen) =>
      run.log.post({
        type: 'install.attempt',
        stage: 'install',
        message: `Installing with ${manager}${frozen ? ' (frozen lockfile)' : ''}.`,
        data: { manager, frozen, detectedBy: detected.reason },
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
  });
  state.processMs += outcome.processMs;
  if (!outcome.ok && 'refused' in outcome) {
    throw new StageFailure(
      'DEPENDENCY_SOURCE_REFUSED',
      outcome.refused.message,
      outcome.refused.hint,
    );
  }
  if (!outcome.ok) {
    const refusedHosts = outcome.result.egressRefused ?? [];
    if (refusedHosts.length > 0 && outcome.result.exitCode !== 0) {
      throw new StageFailure(
        'DEPENDENCY_SOURCE_REFUSED',
        `The install tried to reach ${refusedHosts.slice(0, 3).join(', ')}, which is not the worker's registry.`,
        'Dependencies come only from the configured registry (NPM_REGISTRY); remove git, URL or tarball sources.',
      );
    }
    throw StageFailure.from(classify(run, 'install', outcome.result));
  }
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
  await run.log.emit({
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
