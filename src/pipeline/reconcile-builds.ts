import type { Config } from '../config/config.js';
import type { JobRequest } from '../queue/catalog.js';
import type { ReconcileSource } from '../queue/reconcile.js';
import type { BuildsRepository } from '../repositories/builds.repo.js';
import { AI_STAGES, type StageRecord } from './stage-names.js';

/**
 * Builds the database has as queued or running are owed a job. Any of the three build jobs
 * being live means a worker has the build (or will); when none is, the build goes back:
 * `build.run` in monolith (and stream) mode; in modular mode `build.compile` alone once the
 * AI stages are done, else the whole flow again. A second run of a build is safe: a run from
 * the first stage starts from a fresh workspace, and a finished build is skipped.
 */
export function buildsReconcileSource(
  builds: BuildsRepository,
  options: { archMode: Config['pipeline']['archMode']; quietMs: number },
): ReconcileSource {
  return {
    name: 'builds',
    covers: ['build.run', 'build.generate', 'build.compile'],
    async owed() {
      const waiting = await builds.awaitingJobs(options.quietMs);
      return waiting.map((build) => {
        const payload = { buildId: build.id };
        const jobs: JobRequest[] = [
          { name: 'build.run', payload },
          { name: 'build.generate', payload },
          { name: 'build.compile', payload },
        ];
        return {
          what: `build ${build.id}`,
          jobs,
          async requeue(queue) {
            if (options.archMode !== 'modular') {
              await queue.enqueue({ name: 'build.run', payload });
            } else if (aiStagesDone(build.stages)) {
              await queue.enqueue({ name: 'build.compile', payload });
            } else {
              await queue.enqueueFlow({ name: 'build.compile', payload }, [
                { name: 'build.generate', payload },
              ]);
            }
            return true;
          },
        };
      });
    },
  };
}

function aiStagesDone(stages: readonly StageRecord[]): boolean {
  return AI_STAGES.every((name) => {
    const status = stages.find((s) => s.name === name)?.status;
    return status === 'succeeded' || status === 'skipped';
  });
}
