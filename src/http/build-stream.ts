import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TERMINAL_EVENT, type BuildEvent, type EventBus } from '../events/event-bus.js';
import { TERMINAL_STATUSES } from '../pipeline/stage-names.js';
import type { EventsRepository } from '../repositories/events.repo.js';
import type { BuildService } from '../services/build.service.js';

const HEARTBEAT_MS = 15_000;
const POLL_MS = 1000;
/** Bus messages held between two sends; past this the stream reads the database instead. */
const MAX_HELD = 1000;

/**
 * The events the bus delivered to one stream since it last sent. They are stored before they
 * are published, so a run of them that follows the last event sent can go out as they are;
 * anything else (a gap, a wake with nothing, too many) sends the stream to the database.
 */
export class Arrivals {
  private held: BuildEvent[] = [];
  private overflowed = false;

  add(event: BuildEvent): void {
    if (this.held.length >= MAX_HELD) this.overflowed = true;
    else this.held.push(event);
  }

  /** The held events right after `last`, in order, or null when only a read can say. */
  take(last: number): BuildEvent[] | null {
    const held = this.held.sort((a, b) => a.id - b.id);
    const overflowed = this.overflowed;
    this.held = [];
    this.overflowed = false;
    if (overflowed) return null;
    const run: BuildEvent[] = [];
    for (const event of held) {
      const next = last + run.length + 1;
      if (event.id < next) continue; // sent already, or delivered twice
      if (event.id > next) return null; // one is missing: it may still be on its way
      run.push(event);
    }
    return run.length > 0 ? run : null;
  }
}

/**
 * Calls `onGone` once the client's connection ends. Node closes a request as soon as its body
 * has been read, before a POST handler even runs, so only the response's close says the
 * client went away (it also fires after a normal end, when there is nothing left to stop).
 */
export function onClientGone(reply: FastifyReply, onGone: () => void): void {
  reply.raw.once('close', onGone);
}

/** Opens a text/event-stream response on a hijacked reply. */
export function openEventStream(reply: FastifyReply) {
  reply.hijack();
  const res = reply.raw;
  // A hijacked reply sends only what is written here: the headers set so far (security
  // headers, request id) go with it.
  res.writeHead(200, {
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  return {
    send(id: number | undefined, data: unknown) {
      res.write(`${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);
    },
    comment(text: string) {
      res.write(`: ${text}\n\n`);
    },
    end() {
      res.end();
    },
  };
}

/** What wakes one stream: the bus (with the events it carries), the client leaving, a timer. */
class StreamSignals {
  readonly arrivals = new Arrivals();
  closed = false;
  /**
   * Set by a message that arrives while the stream is reading (no wait to end yet): the next
   * wait returns at once instead of sleeping a poll interval on an event already there.
   */
  stirred = false;
  private wake: (() => void) | undefined;

  readonly onEvent = (event: BuildEvent): void => {
    this.arrivals.add(event);
    this.stirred = true;
    this.wake?.();
  };

  readonly close = (): void => {
    this.closed = true;
    this.wake?.();
  };

  /** Sleeps `ms`, or until the bus says something happened or the client left. */
  async pause(ms: number): Promise<void> {
    if (this.stirred || this.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }
}

/**
 * Streams one build's events. The database is the source of truth: the stream replays
 * everything after the last id from it, then sends what the bus delivers when it follows on
 * without a gap, and re-reads the database otherwise (and every second), so no event is lost
 * between replay and live. A followed build costs a read per gap, not one per event.
 */
export class BuildEventStreams {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly service: BuildService,
    private readonly events: EventsRepository,
    private readonly bus: EventBus,
  ) {}

  private async isTerminal(buildId: string): Promise<boolean> {
    return TERMINAL_STATUSES.includes((await this.service.get(buildId)).status);
  }

  /** Ends every open stream (server shutdown must not wait on clients). */
  closeAll(): void {
    for (const end of this.open) end();
  }

  async stream(
    request: FastifyRequest,
    reply: FastifyReply,
    buildId: string,
    after: number,
    userId?: string,
  ): Promise<void> {
    const build = await this.service.get(buildId, userId);
    const out = openEventStream(reply);
    const signals = new StreamSignals();
    onClientGone(reply, signals.close);
    this.open.add(signals.close);
    const unsubscribe = await this.bus.subscribe(build.id, signals.onEvent);
    let last = after;
    let lastWrite = Date.now();
    let terminalPolls = 0;
    try {
      for (let replayed = false; ; replayed = true) {
        signals.stirred = false;
        let finished = false;
        const live = replayed ? signals.arrivals.take(last) : null;
        const events = live ?? (await this.events.listAfter(build.id, last));
        for (const event of events) {
          out.send(event.id, event);
          last = event.id;
          lastWrite = Date.now();
          if (event.type === TERMINAL_EVENT) finished = true;
        }
        if (finished || signals.closed) break;
        // A build that wrote events is still going: its status is read only when a read
        // brings nothing (a status read on every event was half of a stream's statements).
        if (events.length === 0 && (await this.isTerminal(build.id))) {
          // The status is written just before the closing event: give it a moment, then
          // end anyway (an old build may have no closing event).
          terminalPolls += 1;
          if (terminalPolls > 20) break;
          await signals.pause(100);
          continue;
        }
        if (Date.now() - lastWrite >= HEARTBEAT_MS) {
          out.comment('keep-alive');
          lastWrite = Date.now();
        }
        await signals.pause(POLL_MS);
      }
    } catch (err) {
      request.log.warn({ err }, 'event stream ended with an error');
    } finally {
      this.open.delete(signals.close);
      await unsubscribe().catch(() => undefined);
      out.end();
    }
  }
}
