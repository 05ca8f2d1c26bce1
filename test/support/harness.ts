import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { signRequest } from '../../src/auth/signing.js';
import { loadConfig } from '../../src/config/config.js';
import { createContainer, type Container } from '../../src/container.js';
import type { ProbeMemo } from '../../src/sandbox/create-sandbox.js';
import type { Db } from '../../src/db/db.js';
import type { AiEngine } from '../../src/ai/engine.js';
import { buildApp } from '../../src/http/app.js';
import { jobHandlers, onFinalJobFailure, workerConcurrency } from '../../src/pipeline/jobs.js';
import { pgliteTemplate } from './pglite-template.js';
import { keepDependencyTrees, seedDependencyTrees } from './shared-deps.js';

export const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
export const ADMIN_SECRET = 'admin-secret-0123456789abcdef0123456789abcd';

/** Collects every log line the app writes, so tests can assert on what would reach disk. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  logs: LogCapture;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  db?: Db;
  /** Register extra routes before the app is ready (test fixtures such as a throwing route). */
  routes?: (app: FastifyInstance) => void;
  engine?: AiEngine;
  /** Start queue workers, as `npm start` does. */
  workers?: boolean;
  /**
   * Start with an empty dependency cache, as a fresh worker does, and share nothing with other
   * files (shared-deps.ts): for tests of installs themselves.
   */
  coldInstalls?: boolean;
}

/**
 * The sandbox setups this test file has seen work. Every app here gets a DATA_DIR made the
 * same way (below), so one namespace probe per setup proves what the next would.
 */
const sandboxProbes: ProbeMemo = new Set();

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-test-'));
  const sharedTrees = !options.coldInstalls && !options.env?.DATA_DIR;
  if (sharedTrees) await seedDependencyTrees(dataDir);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    RATE_LIMIT_IP_MAX: '1000000',
    RATE_LIMIT_USER_MAX: '1000000',
    HMAC_SECRETS: SECRET,
    ADMIN_HMAC_SECRETS: ADMIN_SECRET,
    // Machines behind a TLS-inspecting proxy need its CA to reach the registry.
    ...(process.env.NODE_EXTRA_CA_CERTS
      ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS }
      : {}),
    ...options.env,
  });
  const logs = new LogCapture();
  const template =
    config.database.kind === 'pglite' && !options.db ? await pgliteTemplate() : undefined;
  const container = await createContainer(config, {
    logDestination: logs,
    ...(options.db ? { db: options.db } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
    ...(template ? { pgliteTemplate: template } : {}),
    ...(options.env?.DATA_DIR ? {} : { sandboxProbes }),
  });
  let app: FastifyInstance;
  try {
    app = await buildApp(container);
    options.routes?.(app);
    await app.ready();
  } catch (err) {
    // A start-up check refused the app: do not leak its database or data directory.
    await container.close();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  if (options.workers) {
    await container.sweepLeftovers();
    await container.queue.start(
      jobHandlers(container.pipeline, container.workerId),
      workerConcurrency(config.pipeline),
      onFinalJobFailure(container.pipeline),
    );
    container.webhookDispatcher.start();
  }
  return {
    app,
    container,
    logs,
    async close() {
      await app.close();
      await container.close();
      if (sharedTrees) await keepDependencyTrees(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SignedInject {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  secret?: string;
  headers?: Record<string, string>;
  timestamp?: number;
  nonce?: string;
}

/** Sends a request signed the way a real client signs it (v2), with the body bytes it sends. */
export function signedInject(
  app: FastifyInstance,
  req: SignedInject,
): Promise<LightMyRequestResponse> {
  return app.inject(signedInjectOptions(req));
}

/** The inject options of a signed request, for callers that add their own (a stream, a signal). */
export function signedInjectOptions(
  req: SignedInject & { rawBody?: string | Buffer },
): InjectOptions {
  const payload = req.rawBody ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
  const headers: Record<string, string> = {
    ...signRequest({
      secret: req.secret ?? SECRET,
      method: req.method,
      pathWithQuery: req.url,
      body: payload,
      ...(req.timestamp === undefined ? {} : { timestamp: req.timestamp }),
      ...(req.nonce === undefined ? {} : { nonce: req.nonce }),
    }),
    ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    ...req.headers,
  };
  const options: InjectOptions = { method: req.method, url: req.url, headers };
  if (payload !== undefined) options.payload = payload;
  return options;
}

/** The number of the newest migration file: what a migrated database reports. */
export async function latestSchemaVersion(): Promise<number> {
  const { loadMigrations } = await import('../../src/db/migrate.js');
  const all = await loadMigrations();
  return Math.max(...all.map((m) => m.version));
}

/** The build view as JSON (tests read it loosely, as a client would) plus its events. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EndedBuild = Record<string, any> & {
  buildId: string;
  status: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  error: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  usage: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  events: Array<{ type: string; message: string; data: any }>;
};

/** Starts a build through the signed API of an in-process app and waits until it ends. */
export async function buildToEnd(
  t: TestApp,
  body: Record<string, unknown>,
  url = '/v1/create-preview-for-new-project',
): Promise<EndedBuild> {
  const res = await signedInject(t.app, { method: 'POST', url, body });
  if (res.statusCode !== 202) throw new Error(`build not accepted: ${res.statusCode} ${res.body}`);
  const { buildId } = res.json<{ buildId: string }>();
  return waitForBuild(t, buildId);
}

export async function waitForBuild(
  t: TestApp,
  buildId: string,
  timeoutMs = 120_000,
): Promise<EndedBuild> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const body = (
      await signedInject(t.app, { method: 'GET', url: `/v1/builds/${buildId}` })
    ).json();
    if (['succeeded', 'failed', 'cancelled'].includes(body.status)) {
      const { rows } = await t.container.db.query<EndedBuild['events'][number]>(
        'SELECT type, message, data FROM build_events WHERE build_id = $1 ORDER BY seq',
        [buildId],
      );
      return { ...body, events: rows };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`build ${buildId} did not end within ${timeoutMs} ms`);
}
