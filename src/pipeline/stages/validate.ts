import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DetectedFramework } from '../../build/detect.js';
import { pathExists } from '../../build/install.js';
import type { BuildRun } from '../context.js';
import { BuildCancelled, StageFailure } from '../failure.js';
import { classify, sandboxPaths } from './sandboxed.js';

/** A checker runs as `node args…`, or as `command args…` when it is a native program. */
type Checker = { name: string; command?: string; args: string[] } | { skipped: string };

/**
 * The type checker a framework's sources need: plain tsc cannot read .vue or .svelte files,
 * so Vue gets vue-tsc and Svelte svelte-check, each only when the project installed it.
 * `astro check` is not run: it needs @astrojs/check and the TypeScript language server on
 * top of astro (tens of MB and about half a minute on two cores), and `astro build` strips
 * the types of a page without checking them.
 */
async function checkerFor(
  root: string,
  framework: DetectedFramework | undefined,
  buildScript: string,
): Promise<Checker> {
  const bin = (...segments: string[]) => path.join(root, 'node_modules', ...segments);
  const hasTsconfig = await pathExists(path.join(root, 'tsconfig.json'));
  if (framework === 'astro') {
    return { skipped: 'Astro: `astro check` is not run (too heavy for every build).' };
  }
  if (framework === 'vue' && hasTsconfig && (await pathExists(bin('vue-tsc', 'bin')))) {
    if (/\bvue-tsc\b/.test(buildScript))
      return { skipped: 'The build script runs vue-tsc itself.' };
    return { name: 'vue-tsc', args: [bin('vue-tsc', 'bin', 'vue-tsc.js'), '--noEmit', '-p', '.'] };
  }
  if (framework === 'svelte' && (await pathExists(bin('svelte-check', 'bin')))) {
    if (/\bsvelte-check\b/.test(buildScript))
      return { skipped: 'The build script runs svelte-check itself.' };
    const args = [bin('svelte-check', 'bin', 'svelte-check'), '--output', 'human'];
    return {
      name: 'svelte-check',
      args: hasTsconfig ? [...args, '--tsconfig', './tsconfig.json'] : args,
    };
  }
  const tsc = bin('typescript', 'bin', 'tsc');
  // A .vue or .svelte project without its own checker: tsc would fail on every component import.
  if (!hasTsconfig || !(await pathExists(tsc)) || framework === 'vue' || framework === 'svelte') {
    return { skipped: 'No TypeScript to check.' };
  }
  if (/\btsc\b/.test(buildScript))
    return { skipped: 'The build script runs the TypeScript check itself.' };
  const native = await nativeTsc(root);
  // The check runs beside the bundle (validate-and-build.ts), whose own work is the longer
  // one: on one thread tsc leaves the bundler a core of its own. That costs the check ~10%
  // when it runs alone and saved the bundle beside it 50-150 ms (of ~700) on two cores; it
  // also spends less CPU in all (0.34 s against 0.43 s for the offline engine's app).
  if (native)
    return { name: 'tsc', command: native, args: ['--noEmit', '-p', '.', '--singleThreaded'] };
  return { name: 'tsc', args: [tsc, '--noEmit', '-p', '.'] };
}

/**
 * TypeScript 7's tsc is a native program, and its bin is a Node script that only starts it
 * (and, on Node before 22.15, waits beside it): running the program itself saves a Node start
 * on every build. It is found where that script finds it, the platform package resolved from
 * typescript's real directory, and only inside the project's dependency tree, which the
 * sandbox already shows read-only (the linked shared tree, or the workspace's own).
 */
export async function nativeTsc(root: string): Promise<string | undefined> {
  try {
    const tree = await realpath(path.join(root, 'node_modules'));
    const pkgDir = await realpath(path.join(tree, 'typescript'));
    const { version } = JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    if (typeof version !== 'string' || Number.parseInt(version, 10) < 7) return undefined;
    const platformPkg = `typescript-${process.platform}-${process.arch}`;
    for (let dir = path.dirname(pkgDir); inside(tree, dir); dir = path.dirname(dir)) {
      if (path.basename(dir) !== 'node_modules') continue;
      const exe = path.join(dir, '@typescript', platformPkg, 'lib', 'tsc');
      const real = await realpath(exe).catch(() => undefined);
      // Named through the workspace's node_modules, the path the sandbox shows.
      if (real && inside(tree, real) && (await stat(real)).isFile())
        return path.join(root, 'node_modules', path.relative(tree, real));
    }
  } catch {
    // No readable typescript package: the bin script runs, as for any other version.
  }
  return undefined;
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root + path.sep);
}

export async function validateStage(run: BuildRun): Promise<void> {
  const { workspace, state } = run;
  const buildScript = state.packageJson?.scripts?.build ?? '';
  const checker = await checkerFor(workspace.root, state.framework, buildScript);
  if ('skipped' in checker) {
    await run.log.emit({ type: 'validate.skipped', stage: 'validate', message: checker.skipped });
    return;
  }
  // Written while the checker runs (the log keeps the order of events).
  const announced = run.log.emit({
    type: 'validate.checker',
    stage: 'validate',
    message: `Checking types with ${checker.name}.`,
    data: { checker: checker.name },
  });
  announced.catch(() => undefined); // awaited below
  const result = await run.exec('validate', {
    command: checker.command ?? run.deps.toolchain.node,
    args: checker.args,
    network: false,
    timeoutMs: run.deps.settings.buildTimeoutMs,
    ...sandboxPaths(run),
  });
  await announced;
  // Stopped, not failed: no failure to classify or report.
  if (run.signal.aborted) throw new BuildCancelled();
  if (result.exitCode !== 0)
    throw StageFailure.from(classify(run, 'validate', result), result.stdout + result.stderr);
}
