import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, UnreachableError, WorkerClient } from './client.js';
import { followBuildEvents } from './follow.js';

/**
 * An event stream server speaking the worker's wire format (`id:` and `data:` lines), whose
 * behaviour per connection the test scripts: it records each Last-Event-ID it is sent.
 */
interface Script {
  lastEventIds: Array<string | undefined>;
  server: Server;
  client: WorkerClient;
}

const event = (id: number, type = 'log') =>
  `id: ${id}\ndata: ${JSON.stringify({ id, type, message: `event ${id}` })}\n\n`;

async function serve(
  handle: (connection: number, after: number, res: ServerResponse) => void,
): Promise<Script> {
  const lastEventIds: Array<string | undefined> = [];
  const server = createServer((req, res) => {
    const header = req.headers['last-event-id'];
    lastEventIds.push(typeof header === 'string' ? header : undefined);
    handle(lastEventIds.length, Number(header ?? 0), res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new WorkerClient({ baseUrl: `http://127.0.0.1:${port}`, secret: 'test-secret' });
  return { lastEventIds, server, client };
}

async function collect(script: Script, options: Parameters<typeof followBuildEvents>[2] = {}) {
  const ids: number[] = [];
  for await (const { id } of followBuildEvents(script.client, '/v1/builds/B/events', {
    retryDelayMs: 10,
    ...options,
  }))
    ids.push(id);
  return ids;
}

describe('followBuildEvents', () => {
  let script: Script | undefined;
  afterEach(async () => {
    script?.server.closeAllConnections();
    await new Promise((resolve) => script?.server.close(resolve));
  });

  it('resumes after the last event id when the connection drops, and stops at build.finished', async () => {
    script = await serve((connection, after, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Each connection repeats the last event seen, sends two new ones, then drops.
      const from = Math.max(after - 1, 0) + 1;
      if (connection < 3) {
        res.write(event(from) + event(from + 1) + event(from + 2));
        setTimeout(() => res.destroy(), 20);
        return;
      }
      res.end(event(from) + event(from + 1) + event(from + 2, 'build.finished') + event(99));
    });
    const reconnects: number[] = [];
    const ids = await collect(script, { onReconnect: (after) => reconnects.push(after) });
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(script.lastEventIds).toEqual([undefined, '3', '5']);
    expect(reconnects).toEqual([3, 5]);
  });

  it('asks whether the build is over when a stream ends without its closing event', async () => {
    script = await serve((_connection, _after, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(event(1));
    });
    let asked = 0;
    const ids = await collect(script, { isOver: () => Promise.resolve(++asked >= 2) });
    expect(ids).toEqual([1]);
    expect(asked).toBe(2);
    expect(script.lastEventIds).toEqual([undefined, '1']);
  });

  it('does not retry a refusal', async () => {
    script = await serve((_connection, _after, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no build', hint: 'h' } }));
    });
    await expect(collect(script)).rejects.toBeInstanceOf(ApiError);
    expect(script.lastEventIds).toHaveLength(1);
  });

  it('gives up after the retries when the worker stays away', async () => {
    script = await serve((_connection, _after, res) => res.destroy());
    await expect(collect(script, { retries: 2 })).rejects.toBeInstanceOf(UnreachableError);
    expect(script.lastEventIds).toHaveLength(3);
  });
});
