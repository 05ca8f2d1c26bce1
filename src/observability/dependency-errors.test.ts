import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../../test/support/closed-port.js';
import { PG_URL, servicesUp } from '../../test/support/services.js';
import { AppError } from '../errors.js';
import { outageOf, unavailableError } from './dependency-errors.js';

/** The error a real client gives for `call` against a port nothing listens on. */
async function errorOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('outageOf', () => {
  it('names Redis for ioredis failing fast while disconnected', async () => {
    const port = await closedPort();
    const redis = new Redis({ port, lazyConnect: true, enableOfflineQueue: false });
    redis.on('error', () => undefined);
    try {
      await redis.connect().catch(() => undefined);
      expect(outageOf(await errorOf(() => redis.set('k', 'v')))).toBe('redis');
    } finally {
      redis.disconnect();
    }
  });

  it('names Redis for ioredis giving up after its retries', async () => {
    const port = await closedPort();
    const redis = new Redis({ port, maxRetriesPerRequest: 1, retryStrategy: () => 10 });
    redis.on('error', () => undefined);
    try {
      const err = await errorOf(() => redis.get('k'));
      expect((err as Error).name).toBe('MaxRetriesPerRequestError');
      expect(outageOf(err)).toBe('redis');
    } finally {
      redis.disconnect();
    }
  });

  it('calls a refused connection an outage of an unnamed dependency', async () => {
    const port = await closedPort();
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'x' });
    const err = await errorOf(() => client.connect());
    expect((err as { code?: string }).code).toBe('ECONNREFUSED');
    expect(outageOf(err)).toBe('unknown');
    // Wrapped by someone else, it is still found.
    expect(outageOf(new Error('could not load', { cause: err }))).toBe('unknown');
  });

  it('names the database for the SQLSTATEs of a server going away, and nothing else', () => {
    const sqlError = (code: string) =>
      Object.assign(new Error('terminating connection'), { code, severity: 'FATAL' });
    for (const code of ['57P01', '57P02', '57P03', '08006', '08001'])
      expect(outageOf(sqlError(code)), code).toBe('database');
    for (const code of ['42601', '23505', '40001', '57014'])
      expect(outageOf(sqlError(code)), code).toBeUndefined();
  });

  it.skipIf(!servicesUp)(
    'names the database for a real admin shutdown of the connection',
    async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      client.on('error', () => undefined);
      await client.connect();
      try {
        const syntax = await errorOf(() => client.query('SELEC 1'));
        expect(outageOf(syntax)).toBeUndefined();
        const killed = await errorOf(() =>
          client.query('SELECT pg_terminate_backend(pg_backend_pid())'),
        );
        expect((killed as { code?: string }).code).toBe('57P01');
        expect(outageOf(killed)).toBe('database');
        // The next call on the dead connection fails too, as an outage.
        expect(outageOf(await errorOf(() => client.query('SELECT 1')))).toBe('database');
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  );

  it('leaves ordinary errors and our own AppErrors alone', () => {
    expect(outageOf(new Error('boom'))).toBeUndefined();
    expect(outageOf(new TypeError('x is undefined'))).toBeUndefined();
    expect(outageOf('ECONNREFUSED')).toBeUndefined();
    const refused = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    expect(outageOf(new AppError('NOT_FOUND', 'No build.', { cause: refused }))).toBeUndefined();
  });

  it('builds the 503 naming what is down', () => {
    const err = unavailableError('redis');
    expect(err.status).toBe(503);
    expect(err.retryable).toBe(true);
    expect(err.message).toBe('Redis is unavailable.');
    expect(err.details).toEqual({ unavailable: ['redis'] });
    expect(unavailableError('unknown').details).toEqual({ unavailable: [] });
  });
});
