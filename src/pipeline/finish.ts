import { TERMINAL_EVENT } from '../events/event-bus.js';
import type { Build, BuildError } from '../repositories/builds.repo.js';
import type { PipelineDeps } from './context.js';
import type { BuildEventLog } from './event-log.js';
import { removeWorkspace } from './leftovers.js';

/** How a build ends; a success carries its preview, timing and engine session. */
export interface Ending {
  status: 'succeeded' | 'failed' | 'cancelled';
  error?: BuildError;
  previewUrl?: string | undefined;
  timing?: Record<string, unknown>;
  sessionId?: string | undefined;
}

/**
 * Ends a build: removes its workspace, marks it ended, records the AI session and emits the
 * terminal event. A build someone else already ended is left as it is.
 */
export async function finish(
  deps: PipelineDeps,
  build: Build,
  log: BuildEventLog,
  { status, error, previewUrl, timing, sessionId }: Ending,
): Promise<void> {
  // Every end of a build passes here, so this is the one clean-up: before the build is marked
  // ended, so whoever sees it end finds nothing left. A build handed back to the queue (retry,
  // shutdown) or continued by its second half never gets here and keeps its workspace; the
  // start-up sweep removes that one if the build later ends elsewhere.
  await removeWorkspace(deps.settings, build.id);
  const ended = await deps.builds.finish(build.id, {
    status,
    ...(error ? { error } : {}),
    ...(previewUrl ? { previewUrl } : {}),
  });
  if (!ended) return;
  deps.metrics.buildEnded(
    status,
    ended.durationMs === null ? undefined : ended.durationMs / 1000,
    error?.code,
  );
  // What the build reserved and did not settle (it failed or was cancelled mid-round).
  await deps.quota
    .settleBuild(build.id)
    .catch((err: unknown) =>
      deps.logger.warn({ err, buildId: build.id }, 'settling AI time failed; the sweep retries'),
    );
  await deps.usage
    .recordSession(build, sessionId, status === 'succeeded')
    .catch((err: unknown) =>
      deps.logger.warn({ err, buildId: build.id }, 'recording AI session metrics failed'),
    );
  await log.emit({
    type: TERMINAL_EVENT,
    level: status === 'failed' ? 'error' : 'info',
    message:
      status === 'succeeded'
        ? `Build succeeded: ${previewUrl ?? ''}`.trim()
        : (error?.message ?? status),
    data: {
      status,
      error: error ?? null,
      previewUrl: previewUrl ?? null,
      durationMs: ended.durationMs,
      ...timing,
    },
  });
}
