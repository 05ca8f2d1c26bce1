import type { Config } from '../config/config.js';
import type { PreviewUrls } from '../deploy/local-preview.js';
import type { PipelineDeps } from '../pipeline/context.js';
import { BuildEventLog } from '../pipeline/event-log.js';
import { runStages } from '../pipeline/runner.js';
import { STAGES } from '../pipeline/stage-names.js';
import { BuildService } from '../services/build.service.js';
import type { JobQueue } from '../queue/job-queue.js';

/**
 * The service that accepts builds and queues them, or with SKIP_QUEUE runs each one in the
 * request's process as soon as it is accepted.
 */
export function createBuildService(
  config: Config,
  pipeline: PipelineDeps,
  parts: { queue: JobQueue; urls: PreviewUrls; workerId: string },
): BuildService {
  const { events, bus, redact } = pipeline;
  return new BuildService({
    builds: pipeline.builds,
    quota: pipeline.quota,
    queue: parts.queue,
    bus,
    engine: pipeline.engine,
    previewUrls: parts.urls,
    archMode: config.pipeline.archMode,
    logger: pipeline.logger,
    metrics: pipeline.metrics,
    eventLog: (buildId) => new BuildEventLog(buildId, events, bus, redact),
    ...(config.pipeline.skipQueue
      ? {
          runInline: async (buildId: string) => {
            await runStages(pipeline, buildId, STAGES, {
              workerId: parts.workerId,
              finalize: true,
              lastAttempt: true,
            });
          },
        }
      : {}),
  });
}
