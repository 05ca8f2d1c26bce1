import { afterEach, describe, expect, it } from 'vitest';
import { signedInject, startTestApp, type TestApp } from '../support/harness.js';

/** What the log says about requests: failures always, every request only at debug. */
describe('request log lines', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('at info, answered requests write no line and failed ones write one with their code', async () => {
    t = await startTestApp();
    const before = t.logs.lines.length;
    expect((await t.app.inject({ method: 'GET', url: '/myhealthz' })).statusCode).toBe(200);
    expect(t.logs.lines.slice(before)).toEqual([]);

    const unsigned = await t.app.inject({
      method: 'GET',
      url: '/v1/builds/01ARZ3NDEKTSV4RRFFQ69G5FAV',
    });
    expect(unsigned.statusCode).toBe(401);
    const lines = t.logs.lines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, code: 'AUTH_MISSING', status: 401 });
    expect(lines[0]?.reqId).toBe(unsigned.headers['x-request-id']);
  }, 120_000);

  it('at debug, every request writes its incoming and completed lines', async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'debug' } });
    const res = await signedInject(t.app, {
      method: 'GET',
      url: '/v1/builds/01ARZ3NDEKTSV4RRFFQ69G5FAV',
    });
    expect(res.statusCode).toBe(404);
    const mine = t.logs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.reqId === res.headers['x-request-id']);
    expect(mine.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
    expect(mine.find((l) => l.msg === 'request completed')).toMatchObject({ level: 20 });
  }, 120_000);
});
