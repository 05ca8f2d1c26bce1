import type { BuildEvent, EventBus } from '../events/event-bus.js';
import type { Redactor } from '../observability/redact.js';
import type { EventsRepository } from '../repositories/events.repo.js';

export interface EmitInput {
  type: string;
  stage?: string | null;
  level?: BuildEvent['level'];
  message: string;
  data?: Record<string, unknown> | null;
}

/**
 * Writes one build's events: numbers them (one writer per build at a time, so a counter
 * initialised from the database is enough), redacts them, persists, then publishes.
 */
export class BuildEventLog {
  private seq: number | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly buildId: string,
    private readonly repo: EventsRepository,
    private readonly bus: EventBus,
    private readonly redact: Redactor,
  ) {}

  /** Events are written in order even when emitted concurrently. */
  emit(input: EmitInput): Promise<BuildEvent> {
    const next = this.chain.then(() => this.write(input));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async write(input: EmitInput): Promise<BuildEvent> {
    this.seq ??= await this.repo.maxSeq(this.buildId);
    this.seq += 1;
    const data = input.data ? (JSON.parse(this.redact(JSON.stringify(input.data))) as Record<string, unknown>) : null;
    const event = await this.repo.insert({
      id: this.seq,
      buildId: this.buildId,
      type: input.type,
      stage: input.stage ?? null,
      level: input.level ?? 'info',
      message: this.redact(input.message),
      data,
    });
    await this.bus.publish(event).catch(() => undefined);
    return event;
  }

  /** Waits for every emitted event to be stored. */
  async flush(): Promise<void> {
    await this.chain;
  }
}

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
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.push(stream, line);
  };

  private push(stream: string, line: string): void {
    if (line.trim() === '') return;
    this.lines += 1;
    if (this.lines > this.maxLines) return;
    this.buffer.push(stream === 'stderr' ? `! ${line}` : line);
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
    void this.log.emit({ type: 'log', stage: this.stage, level: 'debug', message: lines.join('\n') });
  }
}
