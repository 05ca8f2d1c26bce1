import { classifyFailure } from '../../build/classify.js';
import { NEXT_IMAGE_EXPORT_ERROR, nextImagesNeedingServer } from '../../build/static-export.js';
import type { BuildRun } from '../context.js';
import { BuildCancelled, StageFailure } from '../failure.js';
import { commandsFor } from '../scripts.js';
import { BUNDLE_ENV, spareFor } from '../warm-bundler.js';
import { classify, sandboxPaths } from './sandboxed.js';

export async function buildStage(run: BuildRun): Promise<void> {
  const { state, workspace } = run;
  const script = state.packageJson?.scripts?.build;
  if (!script) {
    await run.log.emit({
      type: 'build.skipped',
      stage: 'build',
      message: 'No build script: serving the files as they are.',
    });
    return;
  }
  if (state.framework === 'nextjs') await refuseServerImages(run);
  const commands = await commandsFor(
    script,
    workspace.root,
    run.deps.toolchain,
    state.manager ?? 'npm',
  );
  const linked = state.dependencyDir !== undefined;
  for (const command of withNextBundler(commands, linked)) {
    const spare = await spareFor(run, command);
    if (linked && command.command === run.deps.toolchain.node) state.bundleCommand = command;
    const result = await run.exec(
      'build',
      {
        ...command,
        network: false,
        timeoutMs: run.deps.settings.buildTimeoutMs,
        env: { ...BUNDLE_ENV },
        ...sandboxPaths(run),
      },
      spare,
    );
    // Stopped, not failed: no failure to classify or report.
    if (run.signal.aborted) throw new BuildCancelled();
    if (result.exitCode !== 0)
      throw StageFailure.from(classify(run, 'build', result), result.stdout + result.stderr);
  }
}

/**
 * next/image with the default loader in a static export: Next.js 16 builds it and leaves image
 * URLs no static host answers. Failing here, with Next.js' own message, lets the fix loop's
 * deterministic fixer set `images.unoptimized` and build again.
 */
async function refuseServerImages(run: BuildRun): Promise<void> {
  const files = await run.workspace.listFiles();
  const users = await nextImagesNeedingServer(files, (f) =>
    run.workspace.readFile(f).catch(() => undefined),
  );
  if (users.length === 0) return;
  const output = `${NEXT_IMAGE_EXPORT_ERROR}\nnext/image is imported by ${users.join(', ')}.\n`;
  const failure = classifyFailure({
    step: 'build',
    exitCode: null,
    timedOut: false,
    stdout: output,
    stderr: '',
  });
  run.log.post({
    type: 'stage.failure',
    stage: 'build',
    level: 'error',
    message: failure.message,
    data: { category: failure.category, code: failure.code, files: users },
  });
  throw StageFailure.from(failure, output);
}

const NEXT_BIN = /[\\/]node_modules[\\/]next[\\/]dist[\\/]bin[\\/]next$/;

/**
 * `next build` with webpack when node_modules is the shared cached tree: Turbopack (the default
 * since Next.js 16) compiles nothing outside the project's root, and that tree is a read-only
 * link to outside it ("Could not find the Next.js package"). webpack follows the link; the
 * exported site is the same. A script that names its bundler keeps it.
 */
export function withNextBundler<C extends { args: string[] }>(commands: C[], linked: boolean): C[] {
  if (!linked) return commands;
  return commands.map((c) => {
    const [bin, verb, ...rest] = c.args;
    if (!bin || !NEXT_BIN.test(bin) || verb !== 'build') return c;
    if (rest.some((a) => /^--(?:webpack|turbo(?:pack)?)$/.test(a))) return c;
    return { ...c, args: [...c.args, '--webpack'] };
  });
}
