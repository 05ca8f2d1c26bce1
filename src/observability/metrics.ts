import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineUsage } from '../ai/engine.js';
import type { QueueCounts } from '../queue/job-queue.js';
import type { EngineErrorKind, MetricsRecorder } from './recorder.js';
import { RequestHistogram } from './request-histogram.js';

/** What the queue gauges read on each scrape (the JobQueue port, either adapter). */
export interface QueueSource {
  counts(): Promise<Record<string, QueueCounts>>;
  oldestWaitingMs(): Promise<Record<string, number>>;
}

/** The engines of this process and whether each one's circuit breaker is open now. */
export type CircuitSource = () => ReadonlyArray<{ engine: string; open: boolean }>;

export interface MetricsSources {
  queue: QueueSource;
  circuits: CircuitSource;
  /** Logged when a scrape cannot read the queue (Redis down): the gauges are then empty. */
  onCollectError?: (err: unknown) => void;
}

interface QueueSnapshot {
  counts: Record<string, QueueCounts>;
  oldest: Record<string, number>;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STAGE_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200];
const BUILD_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

/**
 * The Prometheus registry of one process, built once by the container: never the global
 * default registry, so tests can build many apps side by side. Counters and histograms are
 * fed where the work happens (MetricsRecorder); queue and circuit gauges are read on scrape.
 */
export class Metrics implements MetricsRecorder {
  readonly registry = new Registry();
  private readonly http: RequestHistogram;
  private readonly builds: Counter<'status'>;
  private readonly buildSeconds: Histogram<'status'>;
  private readonly buildFailures: Counter<'code'>;
  private readonly stageSeconds: Histogram<'stage' | 'status'>;
  private readonly engineCalls: Counter<'engine' | 'operation' | 'outcome'>;
  private readonly engineSeconds: Histogram<'engine' | 'operation'>;
  private readonly engineTokens: Counter<'engine' | 'kind'>;
  private readonly engineCost: Counter<'engine'>;
  private readonly engineErrors: Counter<'engine' | 'kind'>;
  private readonly sandboxKills: Counter<'reason'>;
  private readonly quotaRefusals: Counter<'operation'>;
  private readonly webhooks: Counter<'endpoint' | 'outcome'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.http = new RequestHistogram(
      'sheen_http_request_duration_seconds',
      'HTTP requests by method, matched route pattern and status code.',
      HTTP_BUCKETS,
    ).register(this.registry);
    this.builds = new Counter({
      name: 'sheen_builds_total',
      help: 'Builds that ended, by outcome (succeeded, failed, cancelled).',
      labelNames: ['status'],
      registers,
    });
    this.buildSeconds = new Histogram({
      name: 'sheen_build_duration_seconds',
      help: 'Wall time of builds that ended, from start to end, by outcome.',
      labelNames: ['status'],
      buckets: BUILD_BUCKETS,
      registers,
    });
    this.buildFailures = new Counter({
      name: 'sheen_build_failures_total',
      help: 'Failed builds by error code (the closed error catalog).',
      labelNames: ['code'],
      registers,
    });
    this.stageSeconds = new Histogram({
      name: 'sheen_stage_duration_seconds',
      help: 'Pipeline stage runs by stage and outcome (succeeded, failed, cancelled).',
      labelNames: ['stage', 'status'],
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.engineCalls = new Counter({
      name: 'sheen_engine_calls_total',
      help: 'AI engine calls by engine, operation and outcome (ok, error).',
      labelNames: ['engine', 'operation', 'outcome'],
      registers,
    });
    this.engineSeconds = new Histogram({
      name: 'sheen_engine_call_duration_seconds',
      help: 'Time of successful AI engine calls by engine and operation.',
      labelNames: ['engine', 'operation'],
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.engineTokens = new Counter({
      name: 'sheen_engine_tokens_total',
      help: 'Tokens used by AI engine calls, by engine and kind (input, output, cache_read, cache_write).',
      labelNames: ['engine', 'kind'],
      registers,
    });
    this.engineCost = new Counter({
      name: 'sheen_engine_cost_usd_total',
      help: 'Estimated cost in US dollars of AI engine calls, by engine.',
      labelNames: ['engine'],
      registers,
    });
    this.engineErrors = new Counter({
      name: 'sheen_engine_errors_total',
      help: 'Failed AI engine calls by engine and kind (unavailable, misconfigured, cancelled, error).',
      labelNames: ['engine', 'kind'],
      registers,
    });
    this.sandboxKills = new Counter({
      name: 'sheen_sandbox_kills_total',
      help: 'Sandboxed processes stopped by the sandbox, by reason (timeout, output, memory, disk, signal, cancel).',
      labelNames: ['reason'],
      registers,
    });
    this.quotaRefusals = new Counter({
      name: 'sheen_quota_refusals_total',
      help: 'Requests and build rounds refused for lack of AI time, by operation.',
      labelNames: ['operation'],
      registers,
    });
    this.webhooks = new Counter({
      name: 'sheen_webhook_deliveries_total',
      help: 'Webhook delivery attempts by endpoint kind (global, project, alert) and outcome (delivered, failed, refused).',
      labelNames: ['endpoint', 'outcome'],
      registers,
    });
  }

  /** The text exposition of every metric of this process. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric name the registry exposes (histograms with their _bucket/_sum/_count). */
  async names(): Promise<Set<string>> {
    const names = new Set<string>();
    for (const m of await this.registry.getMetricsAsJSON()) {
      names.add(m.name);
      if (String(m.type) === 'histogram') {
        for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${m.name}${suffix}`);
      }
    }
    return names;
  }

  httpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.http.observe(method, route, statusCode, seconds);
  }

  buildEnded(status: string, seconds: number | undefined, errorCode: string | undefined): void {
    this.builds.inc({ status });
    if (seconds !== undefined) this.buildSeconds.observe({ status }, seconds);
    if (status === 'failed') this.buildFailures.inc({ code: errorCode ?? 'UNKNOWN' });
  }

  stageEnded(stage: string, status: string, ms: number): void {
    this.stageSeconds.observe({ stage, status }, ms / 1000);
  }

  engineCall(engine: string, operation: string, usage: EngineUsage): void {
    this.engineCalls.inc({ engine, operation, outcome: 'ok' });
    this.engineSeconds.observe({ engine, operation }, usage.durationMs / 1000);
    this.engineTokens.inc({ engine, kind: 'input' }, usage.inputTokens);
    this.engineTokens.inc({ engine, kind: 'output' }, usage.outputTokens);
    this.engineTokens.inc({ engine, kind: 'cache_read' }, usage.cacheReadTokens);
    this.engineTokens.inc({ engine, kind: 'cache_write' }, usage.cacheWriteTokens);
    this.engineCost.inc({ engine }, usage.costUsd);
  }

  engineError(engine: string, operation: string, kind: EngineErrorKind): void {
    this.engineCalls.inc({ engine, operation, outcome: 'error' });
    this.engineErrors.inc({ engine, kind });
  }

  sandboxKill(reason: string): void {
    this.sandboxKills.inc({ reason });
  }

  quotaRefused(operation: string): void {
    this.quotaRefusals.inc({ operation });
  }

  webhookAttempt(endpoint: string, outcome: string): void {
    this.webhooks.inc({ endpoint, outcome });
  }

  /**
   * Adds the gauges whose value is read when Prometheus scrapes (queue jobs and wait, engine
   * circuits); called once, when the queue and engine exist.
   */
  collectFrom({ queue, circuits, onCollectError }: MetricsSources): void {
    const registers = [this.registry];
    // The registry collects its metrics side by side: both queue gauges share one read.
    let reading: Promise<QueueSnapshot | undefined> | undefined;
    const read = () =>
      (reading ??= Promise.all([queue.counts(), queue.oldestWaitingMs()])
        .then(([counts, oldest]) => ({ counts, oldest }))
        .catch((err: unknown) => {
          onCollectError?.(err);
          return undefined;
        })
        .finally(() => {
          reading = undefined;
        }));
    new Gauge({
      name: 'sheen_queue_jobs',
      help: 'Jobs per queue and state (waiting is the depth still to run; active is running now).',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const snapshot = await read();
        this.reset();
        for (const [name, c] of Object.entries(snapshot?.counts ?? {})) {
          for (const state of QUEUE_STATES) this.set({ queue: name, state }, c[state]);
        }
      },
    });
    new Gauge({
      name: 'sheen_queue_oldest_waiting_seconds',
      help: 'Age of the oldest job per queue that is ready to run and waits for a worker (0: none).',
      labelNames: ['queue'],
      registers,
      async collect() {
        const snapshot = await read();
        this.reset();
        for (const [name, ms] of Object.entries(snapshot?.oldest ?? {})) {
          this.set({ queue: name }, ms / 1000);
        }
      },
    });
    new Gauge({
      name: 'sheen_engine_circuit_open',
      help: "1 while this process's circuit breaker skips the engine after it was unavailable.",
      labelNames: ['engine'],
      registers,
      collect() {
        this.reset();
        for (const c of circuits()) this.set({ engine: c.engine }, c.open ? 1 : 0);
      },
    });
  }
}
