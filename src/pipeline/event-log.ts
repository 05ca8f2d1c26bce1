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
 * Writes one build's events: redacts them, persists them (the database numbers them, so any
 * number of logs in any number of processes can write for one build), then publishes.
 */
export class BuildEventLog {
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
    // PostgreSQL text and jsonb cannot hold NUL; tool output (e.g. /proc/*/environ) can.
    const clean = (text: string) => this.redact(text).replaceAll('\u0000', '␀');
    const data = input.data
      ? (JSON.parse(clean(JSON.stringify(input.data)).replaceAll('\\u0000', '␀')) as Record<
          string,
          unknown
        >)
      : null;
    const event = await this.repo.insert({
      buildId: this.buildId,
      type: input.type,
      stage: input.stage ?? null,
      level: input.level ?? 'info',
      message: clean(input.message),
      data,
    });
    await this.bus.publish(event).catch(() => undefined);
    return event;
  }

  /** Fire-and-forget: for progress lines whose loss must not stop a build. */
  post(input: EmitInput): void {
    this.emit(input).catch(() => undefined);
  }

  /** Waits for every emitted event to be stored. */
  async flush(): Promise<void> {
    await this.chain;
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
