import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { BuildEvent, EventBus } from '../events/event-bus.js';
import type { EventsRepository } from '../repositories/events.repo.js';
import type { BuildService } from '../services/build.service.js';
import { Arrivals, BuildEventStreams } from './build-stream.js';

const event = (id: number, type: string): BuildEvent => ({
  id,
  buildId: 'b1',
  type,
  stage: null,
  level: 'info',
  message: type,
  data: null,
  at: new Date().toISOString(),
});

/** A reply whose raw response collects what the stream writes. */
function fakeReply() {
  const raw = Object.assign(new EventEmitter(), {
    written: '',
    writeHead: () => undefined,
    write(text: string) {
      raw.written += text;
      return true;
    },
    end: () => undefined,
  });
  return {
    raw,
    reply: { hijack: () => undefined, getHeaders: () => ({}), raw } as unknown as FastifyReply,
  };
}

/** A bus with one subscriber, and a way to publish to it. */
function busOfOne() {
  let listener: ((e: BuildEvent) => void) | undefined;
  const bus = {
    subscribe: async (_id: string, l: (e: BuildEvent) => void) => {
      listener = l;
      return async () => undefined;
    },
  } as unknown as EventBus;
  return { bus, publish: (e: BuildEvent) => listener?.(e) };
}

const running = { get: async () => ({ id: 'b1', status: 'running' }) } as unknown as BuildService;

/** Follows build b1 to the end of its stream; returns what the stream wrote. */
async function follow(events: EventsRepository, bus: EventBus, service = running) {
  const streams = new BuildEventStreams(service, events, bus);
  const { raw, reply } = fakeReply();
  const request = { id: 'r1', log: { warn: () => undefined } } as unknown as FastifyRequest;
  await streams.stream(request, reply, 'b1', 0);
  return raw.written;
}

describe('BuildEventStreams', () => {
  it('reads again at once when an event is published while it was reading', async () => {
    const { bus, publish } = busOfOne();
    let reads = 0;
    const events = {
      // The closing event is stored and published during the first read, after its query.
      listAfter: async () => {
        reads += 1;
        if (reads > 1) return [event(1, 'build.finished')];
        publish(event(1, 'build.finished'));
        return [];
      },
    } as unknown as EventsRepository;
    const started = performance.now();
    const written = await follow(events, bus);
    // Not after the one-second poll that would otherwise pass first.
    expect(performance.now() - started).toBeLessThan(500);
    expect(written).toContain('"type":"build.finished"');
  });

  it('reads the status only when a read brings no events, and ends by it without a closing event', async () => {
    const bus = { subscribe: async () => async () => undefined } as unknown as EventBus;
    let reads = 0;
    const events = {
      // An old build: two events stored, and no closing event ever.
      listAfter: async () => {
        reads += 1;
        return reads === 1 ? [event(1, 'build.started'), event(2, 'stage.started')] : [];
      },
    } as unknown as EventsRepository;
    let statusReads = 0;
    const service = {
      get: async () => {
        statusReads += 1;
        return { id: 'b1', status: 'succeeded' };
      },
    } as unknown as BuildService;
    expect(await follow(events, bus, service)).toContain('"type":"stage.started"');
    // One read to open the stream; none after the read that brought events.
    expect(statusReads).toBe(1 + (reads - 1));
    expect(reads).toBeGreaterThan(2);
  });

  it('sends the events the bus delivers in order without reading them back', async () => {
    const { bus, publish } = busOfOne();
    let reads = 0;
    const events = {
      listAfter: async (_id: string, after: number) => {
        reads += 1;
        if (after !== 0) throw new Error('only the replay reads the database');
        // The build goes on while the replay is sent: two events, then the closing one.
        setTimeout(() => {
          publish(event(2, 'stage.started'));
          publish(event(3, 'stage.finished'));
        }, 5);
        setTimeout(() => publish(event(4, 'build.finished')), 20);
        return [event(1, 'build.started')];
      },
    } as unknown as EventsRepository;
    const written = await follow(events, bus);
    expect([...written.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual([1, 2, 3, 4]);
    expect(reads).toBe(1);
  });
});

describe('Arrivals', () => {
  const take = (ids: number[], last: number) => {
    const arrivals = new Arrivals();
    for (const id of ids) arrivals.add(event(id, 'log'));
    return arrivals.take(last)?.map((e) => e.id) ?? null;
  };

  it('gives the run that follows the last event sent, in order, once each', () => {
    expect(take([6, 4, 5], 3)).toEqual([4, 5, 6]);
    expect(take([2, 3, 4, 4, 5], 3)).toEqual([4, 5]);
  });

  it('says to read the database after a gap or a wake with nothing new', () => {
    expect(take([5, 6], 3)).toBeNull();
    expect(take([4, 6], 3)).toBeNull();
    expect(take([1, 2], 3)).toBeNull();
    expect(take([], 3)).toBeNull();
  });

  it('says to read the database once it held too many, and starts afresh after', () => {
    const arrivals = new Arrivals();
    for (let id = 1; id <= 1001; id++) arrivals.add(event(id, 'log'));
    expect(arrivals.take(0)).toBeNull();
    arrivals.add(event(1002, 'log'));
    expect(arrivals.take(1001)?.map((e) => e.id)).toEqual([1002]);
  });
});
