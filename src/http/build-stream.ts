import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TERMINAL_EVENT, type EventBus } from '../events/event-bus.js';
import { TERMINAL_STATUSES } from '../pipeline/stage-names.js';
import type { EventsRepository } from '../repositories/events.repo.js';
import type { BuildService } from '../services/build.service.js';

const HEARTBEAT_MS = 15_000;
const POLL_MS = 1000;

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

/**
 * Streams one build's events. The database is the source of truth: the stream replays
 * everything after the last id from it, then re-reads it whenever the bus says something
 * happened (or every second), so no event is lost between replay and live.
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
    let last = after;
    let closed = false;
    let wake: (() => void) | undefined;
    // Set by a message that arrives while the stream is reading (no wait to end yet): the
    // next wait returns at once instead of sleeping a poll interval on an event already there.
    let stirred: boolean;
    const end = () => {
      closed = true;
      wake?.();
    };
    onClientGone(reply, end);
    this.open.add(end);
    const unsubscribe = await this.bus.subscribe(build.id, () => {
      stirred = true;
      wake?.();
    });
    /** Sleeps `ms`, or until the bus says something happened or the client left. */
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }).finally(() => (wake = undefined));
    let lastWrite = Date.now();
    let terminalPolls = 0;
    try {
      for (;;) {
        stirred = false;
        let finished = false;
        const events = await this.events.listAfter(build.id, last);
        for (const event of events) {
          out.send(event.id, event);
          last = event.id;
          lastWrite = Date.now();
          if (event.type === TERMINAL_EVENT) finished = true;
        }
        if (finished || closed) break;
        // A build that wrote events is still going: its status is read only when a read
        // brings nothing (a status read on every event was half of a stream's statements).
        if (events.length === 0 && (await this.isTerminal(build.id))) {
          // The status is written just before the closing event: give it a moment, then
          // end anyway (an old build may have no closing event).
          terminalPolls += 1;
          if (terminalPolls > 20) break;
          if (!stirred && !closed) await pause(100);
          continue;
        }
        if (Date.now() - lastWrite >= HEARTBEAT_MS) {
          out.comment('keep-alive');
          lastWrite = Date.now();
        }
        if (!stirred && !closed) await pause(POLL_MS);
      }
    } catch (err) {
      request.log.warn({ err }, 'event stream ended with an error');
    } finally {
      this.open.delete(end);
      await unsubscribe().catch(() => undefined);
      out.end();
    }
  }
}
