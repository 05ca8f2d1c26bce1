import { EventEmitter } from 'node:events';
import type { Db, Queryable } from '../db/db.js';
import type { Logger } from '../observability/logger.js';
import {
  QUEUES,
  type FinalFailureHandler,
  type JobCatalog,
  type JobHandlers,
  type JobRequest,
  type QueueName,
} from './catalog.js';
import {
  UnrecoverableError,
  type JobPresence,
  type JobQueue,
  type QueueCounts,
} from './job-queue.js';
import { assertHandlers, backoffDelay, JobRules, type PreparedJob } from './job-rules.js';
import { HANDBACK_MS, settlesWithin } from './settles-within.js';
import {
  countJobs,
  jobPresence,
  oldestWaitingMs,
  recentJobs,
  type RecentJob,
} from './embedded-queue-reads.js';

interface JobRow {
  id: string;
  queue: QueueName;
  /** Whatever was stored: checked against the catalog again before it runs. */
  name: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

export interface EmbeddedQueueOptions {
  workerId: string;
  attempts: number;
  lockMs: number;
  backoffMs?: number;
  /** The jobs and their options; JOBS unless a test varies them. */
  catalog?: JobCatalog;
  /** How long an idle worker waits before it looks for jobs it was not told of (see idle). */
  pollMs?: number;
  /** PGlite: no other process can hold a job, so active jobs found at start are orphans. */
  singleProcess: boolean;
}

/**
 * Jobs as rows. Workers claim with `FOR UPDATE SKIP LOCKED`, hold a lease they renew while
 * running, and a job whose lease lapses (its worker crashed or was killed) goes back to
 * waiting. Works on PGlite in one process and on PostgreSQL across processes.
 */
export class EmbeddedQueue implements JobQueue {
  readonly kind = 'embedded';
  private readonly signals = new EventEmitter().setMaxListeners(0);
  private readonly rules: JobRules;
  private readonly active = new Map<string, { promise: Promise<void>; abort: AbortController }>();
  private stopping = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Wake-ups told per queue, so a worker that was claiming when one came does not sleep. */
  private readonly wakes = new Map<string, number>();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly options: EmbeddedQueueOptions,
  ) {
    this.rules = new JobRules(
      { attempts: options.attempts, backoffMs: options.backoffMs ?? 2000 },
      options.catalog,
    );
  }

  async enqueue(request: JobRequest, tx?: Queryable): Promise<void> {
    const job = this.rules.prepare(request);
    await this.insert(tx ?? this.db, job, 'waiting', null);
    // Inside a transaction the row is not there for a claim yet: the caller wakes the queue
    // after the commit. Told now as well, every worker of the queue would claim twice.
    if (!tx) this.notify(job.queue);
  }

  async enqueueFlow(parent: JobRequest, children: JobRequest[], tx?: Queryable): Promise<void> {
    // Every request is checked before any row is written.
    const top = this.rules.prepare(parent);
    const below = children.map((child) => this.rules.prepare(child));
    const q = tx ?? this.db;
    await this.insert(q, top, 'waiting-children', null);
    for (const child of below) await this.insert(q, child, 'waiting', top.id);
    if (!tx) for (const child of below) this.notify(child.queue);
  }

  private async insert(q: Queryable, job: PreparedJob, status: string, parentId: string | null) {
    await q.query(
      `INSERT INTO jobs (id, queue, name, payload, status, max_attempts, parent_id)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [job.id, job.queue, job.name, JSON.stringify(job.payload), status, job.attempts, parentId],
    );
  }

  async start(
    handlers: JobHandlers,
    concurrency: Record<QueueName, number>,
    onFinalFailure: FinalFailureHandler,
  ): Promise<void> {
    assertHandlers(handlers);
    if (this.options.singleProcess) {
      await this.db.query(
        `UPDATE jobs SET status = 'waiting', locked_by = NULL WHERE status = 'active'`,
      );
    }
    await this.recoverStalled();
    await this.wakeForDelayed();
    this.timers.add(
      setInterval(
        () =>
          void this.recoverStalled().catch((err: unknown) =>
            this.logger.error({ err }, 'recovering stalled jobs failed'),
          ),
        this.options.lockMs / 2,
      ),
    );
    for (const queue of QUEUES) {
      for (let slot = 0; slot < concurrency[queue]; slot++) {
        this.loops.push(this.loop(queue, handlers, onFinalFailure));
      }
    }
  }

  private async loop(
    queue: QueueName,
    handlers: JobHandlers,
    onFinalFailure: FinalFailureHandler,
  ): Promise<void> {
    while (!this.stopping) {
      let job: JobRow | undefined;
      const told = this.wakes.get(queue) ?? 0;
      try {
        job = await this.claim(queue);
      } catch (err) {
        this.logger.error({ err, queue }, 'claiming a job failed');
      }
      if (!job) {
        // A job told of while the claim ran may have been too late for it: look again.
        if ((this.wakes.get(queue) ?? 0) === told) await this.idle(queue);
        continue;
      }
      const abort = new AbortController();
      const promise = this.execute(job, handlers, onFinalFailure, abort.signal);
      this.active.set(job.id, { promise, abort });
      await promise;
      this.active.delete(job.id);
    }
  }

  /**
   * Waits for a wake-up or `pollMs`. One process on PGlite is told of every job it can run
   * (enqueued here, a retry's delay over, a flow's parent freed, a lapsed lease recovered), so
   * it looks on its own only rarely: every 500 ms it claimed nothing in several queries a
   * second, a few percent of a core with nothing to do. Processes sharing PostgreSQL are not
   * told of each other's jobs and look every 500 ms.
   */
  private idle(queue: QueueName): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.signals.off(queue, done);
        this.signals.off('stop', done);
        resolve();
      };
      const timer = setTimeout(
        done,
        this.options.pollMs ?? (this.options.singleProcess ? 10_000 : 500),
      );
      this.signals.once(queue, done);
      this.signals.once('stop', done);
    });
  }

  private async claim(queue: QueueName): Promise<JobRow | undefined> {
    const { rows } = await this.db.query<JobRow>(
      `UPDATE jobs SET status = 'active', attempts = attempts + 1, locked_by = $2,
         locked_until = now() + ($3 || ' milliseconds')::interval, updated_at = now()
       WHERE id = (SELECT id FROM jobs WHERE queue = $1 AND status = 'waiting' AND run_at <= now()
                   ORDER BY run_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id, queue, name, payload, attempts, max_attempts`,
      [queue, this.options.workerId, String(this.options.lockMs)],
      // Every wake of every queue's workers runs it: planned once.
      { name: 'job-claim' },
    );
    return rows[0];
  }

  /** Runs one attempt and records how it ended. Never rejects: the worker loop goes on. */
  private async execute(
    job: JobRow,
    handlers: JobHandlers,
    onFinalFailure: FinalFailureHandler,
    signal: AbortSignal,
  ): Promise<void> {
    const heartbeat = setInterval(() => {
      void this.db
        .query(
          `UPDATE jobs SET locked_until = now() + ($3 || ' milliseconds')::interval
           WHERE id = $1 AND locked_by = $2 AND status = 'active'`,
          [job.id, this.options.workerId, String(this.options.lockMs)],
        )
        .catch((err: unknown) =>
          this.logger.warn({ err, jobId: job.id }, 'renewing a job lease failed'),
        );
    }, this.options.lockMs / 3);
    let failure: Error | undefined;
    try {
      await this.rules.run(handlers, job.name, job.payload, {
        attempt: job.attempts,
        maxAttempts: job.max_attempts,
        signal,
      });
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
    } finally {
      clearInterval(heartbeat);
    }
    if (failure && this.stopping && signal.aborted) return; // handed back in close()
    try {
      if (!failure) await this.complete(job);
      else await this.fail(job, failure, onFinalFailure);
    } catch (err) {
      // The lease lapses and the stalled check hands the job out again.
      this.logger.error({ err, jobId: job.id, job: job.name }, 'recording a job outcome failed');
    }
  }

  private async fail(job: JobRow, error: Error, onFinalFailure: FinalFailureHandler) {
    const final = error instanceof UnrecoverableError || job.attempts >= job.max_attempts;
    const delay = backoffDelay(this.rules.backoff(job.name), job.attempts);
    await this.db.query(
      `UPDATE jobs SET status = $2, last_error = $3, locked_by = NULL, locked_until = NULL,
         run_at = now() + ($4 || ' milliseconds')::interval, updated_at = now() WHERE id = $1`,
      [job.id, final ? 'failed' : 'waiting', error.message.slice(0, 2000), String(delay)],
    );
    if (!final) this.notifyIn(job.queue, delay);
    if (final) {
      await this.rules.settleFinalFailure(
        onFinalFailure,
        this.logger,
        { ...job, data: job.payload },
        error,
      );
    }
  }

  private async complete(job: JobRow): Promise<void> {
    const promoted = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ parent_id: string | null }>(
        `UPDATE jobs SET status = 'completed', locked_by = NULL, locked_until = NULL, updated_at = now()
         WHERE id = $1 RETURNING parent_id`,
        [job.id],
      );
      const parent = rows[0]?.parent_id;
      if (!parent) return undefined;
      const next = await tx.query<{ queue: QueueName }>(
        `UPDATE jobs SET status = 'waiting', updated_at = now()
         WHERE id = $1 AND status = 'waiting-children'
           AND NOT EXISTS (SELECT 1 FROM jobs WHERE parent_id = $1 AND status <> 'completed')
         RETURNING queue`,
        [parent],
      );
      return next.rows[0]?.queue;
    });
    if (promoted) this.notify(promoted);
  }

  /** Jobs whose lease lapsed go back to waiting (their worker died). */
  private async recoverStalled(): Promise<void> {
    const { rows } = await this.db.query<{ id: string; queue: string }>(
      `UPDATE jobs SET status = 'waiting', locked_by = NULL, locked_until = NULL, updated_at = now()
       WHERE status = 'active' AND locked_until < now() RETURNING id, queue`,
    );
    if (rows.length === 0) return;
    this.logger.warn({ jobs: rows.map((r) => r.id) }, 'recovered stalled jobs');
    for (const queue of new Set(rows.map((r) => r.queue))) this.notify(queue);
  }

  /** Jobs waiting out a retry's delay at start-up (stored by an earlier process). */
  private async wakeForDelayed(): Promise<void> {
    const { rows } = await this.db.query<{ queue: string; ms: number }>(
      `SELECT queue, (extract(epoch FROM min(run_at) - now()) * 1000)::float8 AS ms
       FROM jobs WHERE status = 'waiting' AND run_at > now() GROUP BY queue`,
    );
    for (const r of rows) this.notifyIn(r.queue, Number(r.ms));
  }

  wake(queue: QueueName): void {
    this.notify(queue);
  }

  private notify(queue: string): void {
    this.wakes.set(queue, (this.wakes.get(queue) ?? 0) + 1);
    this.signals.emit(queue);
  }

  /** A wake-up once `ms` have passed (and a little, so the database's clock agrees). */
  private notifyIn(queue: string, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.notify(queue);
    }, ms + 10);
    this.timers.add(timer);
  }

  counts(): Promise<Record<QueueName, QueueCounts>> {
    return countJobs(this.db);
  }

  /** The jobs touched last, newest first: what the embedded queue's dashboard lists. */
  recentJobs(limit: number): Promise<RecentJob[]> {
    return recentJobs(this.db, limit);
  }

  oldestWaitingMs(): Promise<Record<QueueName, number>> {
    return oldestWaitingMs(this.db);
  }

  presence(requests: JobRequest[]): Promise<JobPresence[]> {
    return jobPresence(
      this.db,
      requests.map((r) => this.rules.id(r)),
    );
  }

  async forget(requests: JobRequest[]): Promise<void> {
    await this.db.query(
      `DELETE FROM jobs WHERE id = ANY($1::text[]) AND status IN ('completed', 'failed')`,
      [requests.map((r) => this.rules.id(r))],
    );
  }

  /**
   * Stops taking jobs and lets active ones run for `graceMs`; then aborts them and releases
   * their leases without spending an attempt, so any worker can claim them at once.
   */
  async close(graceMs: number, handBackMs = HANDBACK_MS): Promise<void> {
    this.stopping = true;
    this.signals.emit('stop');
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const finished = Promise.all([...this.active.values()].map((a) => a.promise));
    if (!(await settlesWithin(finished, graceMs))) {
      const ids = [...this.active.keys()];
      this.logger.warn({ jobs: ids }, 'shutdown grace is over; handing active jobs back');
      for (const a of this.active.values()) a.abort.abort('shutdown');
      await settlesWithin(finished, Math.floor(handBackMs * 0.7));
      await this.db
        .query(
          `UPDATE jobs SET status = 'waiting', attempts = greatest(attempts - 1, 0), locked_by = NULL,
             locked_until = NULL, run_at = now(), updated_at = now()
           WHERE id = ANY($1::text[]) AND status = 'active' AND locked_by = $2`,
          [ids, this.options.workerId],
        )
        .catch((err: unknown) => this.logger.error({ err }, 'handing jobs back failed'));
    }
    await settlesWithin(Promise.all(this.loops), Math.floor(handBackMs * 0.3));
  }
}
