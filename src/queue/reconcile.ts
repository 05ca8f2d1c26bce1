import type { Logger } from '../observability/logger.js';
import { JOB_NAMES, type JobName, type JobRequest } from './catalog.js';
import type { JobQueue } from './job-queue.js';

/**
 * One piece of work the database says must be in the queue: a build that is queued or
 * running, a webhook delivery handed to the queue. The database is the source of truth; the
 * queue (Redis, or the jobs table) only runs attempts, and can lose them.
 */
export interface OwedWork {
  /** Names the work in logs, e.g. `build 01J…`. */
  what: string;
  /** The jobs that carry it: while any one of them is live in the queue, nothing is done. */
  jobs: JobRequest[];
  /**
   * Puts the work back in the queue. Called only when none of `jobs` is live, after their
   * finished records were removed. Returns false when the work turned out not to be owed
   * any more (another process got there first, or it ended meanwhile).
   */
  requeue(queue: JobQueue): Promise<boolean>;
}

/**
 * The database side of some job kinds: which work is owed right now. Every job of the
 * catalog is covered by exactly one source (checked at start-up, like handlers), so a new
 * job kind must say how it comes back after its queue lost it.
 */
export interface ReconcileSource {
  /** Names the source in logs and counts: `builds`, `webhooks`. */
  name: string;
  covers: readonly JobName[];
  /**
   * Work that must be in the queue and has been left alone long enough that a job for it
   * would have shown up (so work being enqueued right now is not touched).
   */
  owed(): Promise<OwedWork[]>;
}

/** Start-up check: every job of the catalog is covered by exactly one source. */
export function assertReconciled(sources: readonly ReconcileSource[]): void {
  const covered = sources.flatMap((s) => s.covers);
  const missing = JOB_NAMES.filter((name) => !covered.includes(name));
  const twice = JOB_NAMES.filter((name) => covered.filter((c) => c === name).length > 1);
  if (missing.length > 0 || twice.length > 0) {
    throw new Error(
      `job reconciliation mismatch: not covered ${missing.join(', ') || 'none'}; covered twice ${twice.join(', ') || 'none'}`,
    );
  }
}

export interface ReconcileReport {
  /** Owed work found per source. */
  checked: Record<string, number>;
  /** Work put back in the queue per source. */
  requeued: Record<string, number>;
}

/**
 * Compares what the database says must run with what the queue holds, and puts back what
 * the queue lost. Every worker process runs it: re-enqueueing is idempotent (job ids come
 * from the work), and each source's `requeue` is a compare-and-set, so two processes that
 * find the same gap fill it once.
 */
export class QueueReconciler {
  /** Work re-enqueued since start, per source: a counter for metrics. */
  readonly totals: Record<string, number> = {};

  constructor(
    private readonly queue: JobQueue,
    private readonly sources: readonly ReconcileSource[],
    private readonly logger: Logger,
  ) {
    assertReconciled(sources);
  }

  async runOnce(): Promise<ReconcileReport> {
    const report: ReconcileReport = { checked: {}, requeued: {} };
    for (const source of this.sources) {
      const owed = await source.owed();
      report.checked[source.name] = owed.length;
      let requeued = 0;
      const what: string[] = [];
      for (const work of owed) {
        if (!(await this.restore(work))) continue;
        requeued += 1;
        what.push(work.what);
      }
      report.requeued[source.name] = requeued;
      this.totals[source.name] = (this.totals[source.name] ?? 0) + requeued;
      if (requeued > 0) {
        this.logger.warn(
          {
            source: source.name,
            requeued,
            total: this.totals[source.name],
            work: what.slice(0, 20),
          },
          'queue reconciled: re-enqueued work the queue had lost',
        );
      }
    }
    return report;
  }

  /** Re-enqueues one piece of work unless the queue holds it; true when it was put back. */
  private async restore(work: OwedWork): Promise<boolean> {
    const presence = await this.queue.presence(work.jobs);
    if (presence.includes('live')) return false;
    // A finished record (completed or failed) for work still owed is stale: with its id in
    // place, the enqueue would be dropped as a duplicate.
    if (presence.includes('finished')) await this.queue.forget(work.jobs);
    return work.requeue(this.queue);
  }
}
