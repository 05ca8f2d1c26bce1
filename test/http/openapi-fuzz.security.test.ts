import { readdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/auth/signing.js';
import { ERROR_CATALOG } from '../../src/errors.js';
import {
  ADMIN_SECRET,
  SECRET,
  signedInject,
  startTestApp,
  type TestApp,
} from '../support/harness.js';
import { sendInject, type SentRequest } from '../support/hostile-input.js';
import {
  operationsOf,
  requestFor,
  type FuzzRequest,
  type Operation,
  type Seeds,
} from '../support/openapi-fuzz.js';

/**
 * Property: whatever a client sends to any operation in /openapi.json, the answer is never a
 * 5xx, and every error has the catalog's shape. Requests are signed with the secret each
 * operation declares, so they get past auth to validation and handlers. The embedded profile
 * runs without queue workers: created builds stay queued (streams of them are cancelled), so
 * thousands of requests cost no builds.
 *
 * FUZZ_RUNS sets the number of requests (default 500, or 4,000 with CI=true); FUZZ_SEED
 * replays a failing run.
 */
const IN_CI = process.env.CI === 'true';
const RUNS = Number(process.env.FUZZ_RUNS ?? (IN_CI ? 4_000 : 500));
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const ERROR_KEYS = ['code', 'message', 'hint', 'requestId', 'details'];

describe('every operation in /openapi.json, fuzzed', () => {
  let t: TestApp;
  let operations: Operation[];
  let seeds: Seeds;
  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    operations = operationsOf(doc);
    seeds = await seedRows(t);
  });
  afterAll(async () => {
    await generationsSettled(t);
    await t?.close();
  });

  it(
    `answers ${RUNS} generated and hostile requests without a 5xx`,
    async () => {
      expect(operations.length).toBeGreaterThanOrEqual(10);
      const statuses = new Map<number, number>();
      // Built once per operation: building arbitraries per run costs more than the requests.
      const request = fc.oneof(
        ...operations.map((op) => ({
          arbitrary: requestFor(op, seeds).map((req) => new Case(op, req)),
          weight: weightOf(op),
        })),
      );
      await fc.assert(
        fc.asyncProperty(request, async ({ op, req }) => {
          const res = await sendInject(t, injectOptions(op, req));
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          checkAnswer(op, req, res);
        }),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      // The run reached handlers and validation, not only auth.
      const count = (predicate: (status: number) => boolean) =>
        [...statuses].filter(([s]) => predicate(s)).reduce((n, [, c]) => n + c, 0);
      expect(count((s) => s < 300)).toBeGreaterThan(RUNS * 0.1);
      expect(count((s) => s === 400)).toBeGreaterThan(RUNS * 0.2);
    },
    IN_CI ? 300_000 : 120_000,
  );
});

/**
 * How often an operation is drawn, against the others' 5. A properly signed database backup
 * dumps the whole embedded database (seconds each, a hundred times any other answer): drawn
 * at the others' rate, its twenty-odd dumps in a CI run took about half the run's time. At a
 * fifth it still gets every kind of request, a few dumps among them.
 */
const HEAVY_OPERATIONS = new Set(['GET /v1/admin/backup/database']);
function weightOf(op: Operation): number {
  return HEAVY_OPERATIONS.has(`${op.method} ${op.path}`) ? 1 : 5;
}

/** One generated request, printed short when fast-check reports it (bodies reach 1 MB). */
class Case {
  constructor(
    readonly op: Operation,
    readonly req: FuzzRequest,
  ) {}
  [fc.toStringMethod](): string {
    const body =
      this.req.body === undefined
        ? ''
        : ` body=${JSON.stringify(String(this.req.body).slice(0, 300))}`;
    const size = this.req.body === undefined ? '' : ` (${this.req.body.length} bytes)`;
    return `${this.req.method} ${this.req.url.slice(0, 300)} headers=${JSON.stringify(this.req.headers).slice(0, 300)} signing=${this.req.signing}${body}${size}`;
  }
}

/**
 * app.inject cannot drop a connection, so a /generate stream left at its headers runs on to
 * its end: wait for those scratch workspaces to go before the data directory is removed.
 */
async function generationsSettled(t: TestApp | undefined): Promise<void> {
  if (!t) return;
  const dir = path.join(t.container.config.dataDir, 'generate');
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const left = await readdir(dir).catch(() => []);
    if (left.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A build, its project and its user, so ids in paths sometimes name rows that exist. */
async function seedRows(t: TestApp): Promise<Seeds> {
  const created = await signedInject(t.app, {
    method: 'POST',
    url: '/v1/create-preview-for-new-project',
    body: { userId: 'fuzz-user', prompt: 'A seed app' },
  });
  const { buildId, projectId } = created.json();
  // Ended, so an event stream of it replays and closes instead of waiting for workers.
  await t.container.builds.cancel(buildId);
  return { buildId: [buildId], projectId: [projectId], userId: ['fuzz-user'] };
}

function injectOptions(op: Operation, req: FuzzRequest): InjectOptions {
  const own = op.auth === 'admin' ? ADMIN_SECRET : SECRET;
  const other = op.auth === 'admin' ? SECRET : ADMIN_SECRET;
  // Fastify reads no body on GET, so a proper signature covers the empty body it verifies.
  const signedBody = req.method === 'GET' ? undefined : req.body;
  const sign = (secret: string) =>
    signRequest({ secret, method: req.method, pathWithQuery: req.url, body: signedBody });
  const auth =
    req.signing === 'proper'
      ? sign(own)
      : req.signing === 'other-secret'
        ? sign(other)
        : req.signing === 'garbage'
          ? { ...sign(own), 'x-sheen-signature': `v2=${'0'.repeat(64)}` }
          : {};
  return {
    method: req.method,
    url: req.url,
    headers: { ...req.headers, ...auth },
    ...(req.body === undefined ? {} : { payload: req.body }),
  };
}

function checkAnswer(op: Operation, req: FuzzRequest, res: SentRequest): void {
  const label = `${req.method} ${req.url.slice(0, 200)} (${req.signing}) -> ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, label).toBeLessThan(500);
  if (op.auth !== 'public') {
    // Properly signed requests get past auth; anything else never gets further.
    if (req.signing === 'proper') expect(res.statusCode, label).not.toBe(401);
    else expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
  }
  if (res.statusCode < 400) return;
  let body: { error?: Record<string, unknown> };
  try {
    body = res.json();
  } catch {
    throw new Error(`error answer is not JSON: ${label}`);
  }
  expect(Object.keys(body), label).toEqual(['error']);
  const error = body.error ?? {};
  const code = error.code as keyof typeof ERROR_CATALOG;
  expect(Object.keys(ERROR_CATALOG), label).toContain(code);
  expect(ERROR_CATALOG[code].status, label).toBe(res.statusCode);
  expect(typeof error.message, label).toBe('string');
  expect(typeof error.hint, label).toBe('string');
  expect(error.requestId, label).toBe(res.headers['x-request-id']);
  for (const key of Object.keys(error)) expect(ERROR_KEYS, label).toContain(key);
}
