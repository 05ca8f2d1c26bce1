/**
 * The floor the reads bench compares the worker with: the least a server can do to answer a
 * signed build read, and nothing else. One Fastify app, logger off, two routes:
 *
 *   GET /v1/builds/:buildId?userId=…  the v2 signature check (timestamp window, nonce shape,
 *                                     HMAC-SHA256, constant-time compare), one Redis SET NX PX
 *                                     for the nonce, one primary-key read of the build row.
 *   GET /bare                         a bare liveness route.
 *
 * Run by reads.bench.ts as its own process; prints `FLOOR_READY <port>` once listening.
 * Env: FLOOR_DATABASE_URL, FLOOR_REDIS_URL, FLOOR_SECRET, FLOOR_KEY_PREFIX, FLOOR_POOL_MAX.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const secret = env('FLOOR_SECRET');
const prefix = env('FLOOR_KEY_PREFIX');
const TOLERANCE_SECONDS = 300;
const EMPTY_BODY_SHA256 = createHash('sha256').update('').digest('hex');
const NONCE = /^[A-Za-z0-9_-]{16,128}$/;
const SIGNATURE = /^v2=[0-9a-f]{64}$/;

const pool = new pg.Pool({
  connectionString: env('FLOOR_DATABASE_URL'),
  max: Number(process.env.FLOOR_POOL_MAX ?? 10),
});
const redis = new Redis(env('FLOOR_REDIS_URL'));

/** The v2 scheme of src/auth/signing.ts, written out so the floor owes nothing to the worker. */
function verified(method: string, url: string, headers: Record<string, unknown>): string | null {
  const signature = headers['x-sheen-signature'];
  const timestamp = headers['x-sheen-timestamp'];
  const nonce = headers['x-sheen-nonce'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return null;
  if (typeof nonce !== 'string' || !NONCE.test(nonce) || !SIGNATURE.test(signature)) return null;
  if (!/^\d{1,12}$/.test(timestamp)) return null;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return null;
  const canonical = `${timestamp}.${nonce}.${method}.${url}.${EMPTY_BODY_SHA256}`;
  const expected = 'v2=' + createHmac('sha256', secret).update(canonical).digest('hex');
  return timingSafeEqual(Buffer.from(expected), Buffer.from(signature)) ? nonce : null;
}

const app = Fastify({ logger: false });

app.get<{ Params: { buildId: string }; Querystring: { userId?: string } }>(
  '/v1/builds/:buildId',
  async (request, reply) => {
    const nonce = verified(request.method, request.url, request.headers);
    if (!nonce) return reply.status(401).send({ error: 'bad signature' });
    const claimed = await redis.set(
      `${prefix}:floor-nonce:${nonce}`,
      '1',
      'PX',
      TOLERANCE_SECONDS * 2000,
      'NX',
    );
    if (claimed !== 'OK') return reply.status(401).send({ error: 'replayed' });
    const { rows } = await pool.query('SELECT * FROM builds WHERE id = $1', [
      request.params.buildId,
    ]);
    const row = rows[0] as { user_id: string } | undefined;
    if (!row || (request.query.userId && row.user_id !== request.query.userId)) {
      return reply.status(404).send({ error: 'not found' });
    }
    return row;
  },
);

app.get('/bare', async () => ({ status: 'ok' }));

const close = () => {
  void app
    .close()
    .then(() => Promise.all([pool.end(), redis.quit()]))
    .finally(() => process.exit(0));
};
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`FLOOR_READY ${typeof address === 'object' && address ? address.port : 0}\n`);
