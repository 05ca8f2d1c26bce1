import type { BuildEvent, EventBus } from '../events/event-bus.js';
import type { Redactor } from '../observability/redact.js';
import type { EventsRepository, NewEvent, StagesUpdate } from '../repositories/events.repo.js';
import type { StageName, StageRecord } from './stage-names.js';

export interface EmitInput {
  type: string;
  stage?: string | null;
  level?: BuildEvent['level'];
  message: string;
  data?: Record<string, unknown> | null;
}

/** A build's current stage and stage records, to save with an event. */
export interface StageSnapshot {
  stage: StageName | null;
  records: readonly StageRecord[];
}

interface Pending {
  event: NewEvent;
  stages: StagesUpdate | undefined;
  resolve: (event: BuildEvent) => void;
  reject: (err: unknown) => void;
}

/** Events stored by one statement at most (a chatty stage's backlog goes in a few). */
const MAX_BATCH = 100;

/**
 * Writes one build's events: redacts them, persists them (the database numbers them, so any
 * number of logs in any number of processes can write for one build), then publishes.
 *
 * Events emitted while a write is under way are stored together by the next one, in the
 * order emitted: a burst of progress events (an engine writing fifteen files) costs one
 * statement, not fifteen queued in front of the stage's own queries.
 */
export class BuildEventLog {
  private pending: Pending[] = [];
  private writing: Promise<void> | null = null;
  private unawaited: Array<Promise<unknown>> = [];

  constructor(
    readonly buildId: string,
    private readonly repo: EventsRepository,
    private readonly bus: EventBus,
    private readonly redact: Redactor,
  ) {}

  /**
   * Resolves once the event is stored; events are stored in the order emitted. With `stages`,
   * the build's stage records (as they are now) are saved in the same statement.
   */
  emit(input: EmitInput, stages?: StageSnapshot): Promise<BuildEvent> {
    return new Promise((resolve, reject) => {
      const saved = stages && { stage: stages.stage, records: JSON.stringify(stages.records) };
      this.pending.push({ event: this.clean(input), stages: saved, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /**
   * Emits without waiting for the write: for the event that ends a stage's work
   * ("generate.done"), which the next stage need not wait for. The write joins
   * `takeUnawaited`, which the stage's end awaits beside its own `stage.finished`
   * (run-stage.ts): a failed write still fails the run, as a failed `stage.finished` does.
   */
  emitSoon(input: EmitInput): void {
    const write = this.emit(input);
    write.catch(() => undefined); // awaited through takeUnawaited
    this.unawaited.push(write);
  }

  /** The writes of `emitSoon` since the last call: resolves once all landed, else rejects. */
  takeUnawaited(): Promise<unknown> {
    const writes = this.unawaited;
    this.unawaited = [];
    return Promise.all(writes);
  }

  /** Fire-and-forget: for progress lines whose loss must not stop a build. */
  post(input: EmitInput): void {
    this.emit(input).catch(() => undefined);
  }

  /** Waits for every emitted event to be stored. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    // Emits of the same turn of the event loop join the first write.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      const stored = await this.store(batch);
      await Promise.all(stored.map((event) => this.bus.publish(event).catch(() => undefined)));
    }
    this.writing = null;
  }

  /** Stores a batch; if it fails, each event alone, so one bad event fails only itself. */
  private async store(batch: Pending[]): Promise<BuildEvent[]> {
    const events = batch.map((p) => p.event);
    // Stage records are whole snapshots: the batch's latest is the one to keep.
    const stages = batch.findLast((p) => p.stages)?.stages;
    try {
      const stored = await this.repo.insertMany(this.buildId, events, stages);
      batch.forEach((p, i) => p.resolve(stored[i] as BuildEvent));
      return stored;
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return [];
      }
    }
    const stored: BuildEvent[] = [];
    for (const p of batch) {
      const one = await this.repo
        .insertMany(this.buildId, [p.event], p.stages)
        .then(([event]) => event)
        .catch((err: unknown) => {
          p.reject(err);
          return null;
        });
      if (one) {
        p.resolve(one);
        stored.push(one);
      }
    }
    return stored;
  }

  private clean(input: EmitInput): NewEvent {
    // PostgreSQL text and jsonb cannot hold NUL; tool output (e.g. /proc/*/environ) can.
    const clean = (text: string) => this.redact(text).replaceAll('\u0000', '␀');
    const data = input.data
      ? (JSON.parse(clean(JSON.stringify(input.data)).replaceAll('\\u0000', '␀')) as Record<
          string,
          unknown
        >)
      : null;
    return {
      buildId: this.buildId,
      type: input.type,
      stage: input.stage ?? null,
      level: input.level ?? 'info',
      message: clean(input.message),
      data,
    };
  }
}

const MAX_LINE = 2000;

/**
 * Turns a child process's output into `log` events: lines are batched (by count and time)
 * so a chatty tool costs a few inserts, not one per line, and capped per stage.
 */
export class OutputLogger {
  private buffer: string[] = [];
  private partial = '';
  private timer: NodeJS.Timeout | undefined;
  private lines = 0;

  constructor(
    private readonly log: BuildEventLog,
    private readonly stage: string,
    private readonly maxLines = 2000,
    private readonly flushMs = 250,
  ) {}

  write = (stream: 'stdout' | 'stderr', text: string): void => {
    if (this.lines > this.maxLines) return;
    const parts = (this.partial + text).split('\n');
    // An endless line is kept to its start: events are for reading, not archiving.
    this.partial = (parts.pop() ?? '').slice(0, MAX_LINE);
    for (const line of parts) this.push(stream, line);
  };

  private push(stream: string, line: string): void {
    if (line.trim() === '') return;
    this.lines += 1;
    if (this.lines > this.maxLines) return;
    const text =
      line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… (${line.length} characters)` : line;
    this.buffer.push(stream === 'stderr' ? `! ${text}` : text);
    if (this.buffer.length >= 50) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.partial) {
      this.buffer.push(this.partial);
      this.partial = '';
    }
    if (this.buffer.length === 0) return;
    const lines = this.buffer;
    this.buffer = [];
    this.log.post({
      type: 'log',
      stage: this.stage,
      level: 'debug',
      message: lines.join('\n'),
    });
  }
}
