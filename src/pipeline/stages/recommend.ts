import path from 'node:path';
import type { BuildRun } from '../context.js';
import { notPackaged } from './package.js';
import { isNotSource } from './sources.js';

/**
 * Measures the built output and the sources while the workspace still exists, and stores the
 * recommendations they call for (milliseconds: no process, no engine, no browser). Nothing
 * here may fail the build, whose version is already live: a problem is a warning event.
 */
export async function recommendStage(run: BuildRun): Promise<void> {
  const { deps, build, workspace, state, log } = run;
  const started = performance.now();
  try {
    const items = await deps.recommendations.recordBuilt(build, {
      outputDir: state.outputDir ? path.resolve(workspace.root, state.outputDir) : undefined,
      outputExclude: notPackaged(state.outputDir ?? ''),
      sourceDir: workspace.root,
      sourceExclude: isNotSource,
      plan: state.plan,
    });
    await log.emit({
      type: 'recommend.done',
      stage: 'recommend',
      message:
        items.length === 0
          ? 'No recommendations: every check passed.'
          : `${items.length} recommendation${items.length === 1 ? '' : 's'}: ${items.map((i) => i.kind).join(', ')}.`,
      data: {
        count: items.length,
        kinds: items.map((i) => i.kind),
        durationMs: Math.round(performance.now() - started),
      },
    });
  } catch (err) {
    deps.logger.warn({ err, buildId: build.id }, 'recommendations could not be computed');
    await log
      .emit({
        type: 'recommend.failed',
        stage: 'recommend',
        level: 'warn',
        message: 'Recommendations could not be computed; the build is not affected.',
      })
      .catch(() => undefined);
  }
}
