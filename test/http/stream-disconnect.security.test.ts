import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineContext } from '../../src/ai/engine.js';
import { signedInjectOptions, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

/** Plans forever, until the request's signal says the client has gone. */
class WaitingEngine extends ScriptedEngine {
  aborted = false;
  constructor() {
    super({ 'index.html': '<h1>never written</h1>' });
  }
  override async plan(_input?: unknown, ctx?: EngineContext): ReturnType<ScriptedEngine['plan']> {
    if (!ctx?.signal.aborted) {
      await new Promise((resolve) => ctx?.signal.addEventListener('abort', resolve));
    }
    this.aborted = true;
    throw new Error('client went away');
  }
}

/**
 * Streams must stop when the client disconnects: otherwise anyone can open streams, drop
 * them, and leave the server polling for each (or an AI engine spending for each). Over a
 * real socket, because Node closes a POST's request before its handler runs, so only the
 * response says the client left; app.inject cannot show that.
 */
describe('event streams end when the client disconnects', () => {
  const engine = new WaitingEngine();
  let t: TestApp;
  let port: number;
  let openSubscriptions = 0;
  beforeAll(async () => {
    t = await startTestApp({ engine });
    const bus = t.container.bus;
    const subscribe = bus.subscribe.bind(bus);
    bus.subscribe = async (buildId, listener) => {
      openSubscriptions++;
      const unsubscribe = await subscribe(buildId, listener);
      return async () => {
        openSubscriptions--;
        await unsubscribe();
      };
    };
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  /** Sends a signed request, waits for the first bytes of the stream, then drops the socket. */
  const openAndDrop = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    new Promise<number>((resolve, reject) => {
      const options = signedInjectOptions({ method, url, ...(body ? { body } : {}) });
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path: url,
          headers: options.headers as http.OutgoingHttpHeaders,
        },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve(res.statusCode ?? 0);
          });
        },
      );
      req.on('error', (err) => {
        if (!req.destroyed) reject(err);
      });
      req.end(options.payload as string | undefined);
    });

  const eventually = async (check: () => boolean) => {
    const until = Date.now() + 5000;
    while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    return check();
  };

  it('stops generating for POST /generate', async () => {
    const status = await openAndDrop('POST', '/generate', { userId: 'gone', prompt: 'a site' });
    expect(status).toBe(200);
    expect(await eventually(() => engine.aborted)).toBe(true);
  });

  it('stops following the build for the legacy streaming create and for GET events', async () => {
    const status = await openAndDrop('POST', '/build-preview-for-new-project', {
      userId: 'gone',
      prompt: 'a site',
    });
    expect(status).toBe(200);
    const { rows } = await t.container.db.query<{ id: string }>(
      "SELECT id FROM builds WHERE user_id = 'gone'",
    );
    const buildId = rows[0]?.id ?? '';
    expect(await openAndDrop('GET', `/v1/builds/${buildId}/events`)).toBe(200);
    // No workers run: the build stays queued, so only the disconnect can end the streams.
    expect(await eventually(() => openSubscriptions === 0)).toBe(true);
  });
});
