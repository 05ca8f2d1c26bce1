/**
 * Rollback and publish latency, embedded profile (or PostgreSQL with BENCH_DATABASE_URL):
 * three versions of one app are built once, then the benchmark alternates rollbacks between
 * them and publishes of each, timing every signed request from the client's side over
 * loopback. Neither operation builds or calls an engine, so both are pointer moves.
 * Run: npm run bench:releases   (BENCH_RUNS, default 60; --short: 10; ends with BENCH_RESULT)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkerClient } from '../src/cli/client.js';
import { createAndFollow } from '../test/support/builds.js';
import { startServer } from '../test/support/server-process.js';
import { printResult, SHORT } from './support/report.js';

const RUNS = SHORT ? 10 : Math.max(50, Number(process.env.BENCH_RUNS ?? 60));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function buildVersions(client: WorkerClient): Promise<{ projectId: string; ids: string[] }> {
  const first = await createAndFollow(client, { prompt: 'A landing page for "Sunrise Bakery"' });
  if (first.status !== 'succeeded') throw new Error(`build failed: ${first.error?.message}`);
  const ids: string[] = [];
  for (const prompt of ['Make the theme blue', 'Add a pricing section']) {
    const update = await client.json<{ buildId: string; eventsUrl: string }>(
      'POST',
      `/v1/projects/${first.projectId}/update`,
      { userId: 'e2e-user', prompt },
    );
    for await (const { data } of client.events(update.eventsUrl)) {
      if (data.type === 'build.finished') break;
    }
  }
  const { versions } = await client.json<{
    versions: Array<{ versionId: string; status: string }>;
  }>('GET', `/v1/projects/${first.projectId}/versions?userId=e2e-user`);
  for (const v of versions) if (v.status === 'ready') ids.push(v.versionId);
  if (ids.length < 2) throw new Error('need at least two ready versions');
  return { projectId: first.projectId, ids };
}

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-bench-releases-'));
  const server = await startServer({
    DATA_DIR: dataDir,
    RATE_LIMIT_IP_MAX: '1000000',
    RATE_LIMIT_USER_MAX: '1000000',
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
  });
  try {
    const secret = (await readFile(path.join(dataDir, 'secrets', 'hmac.key'), 'utf8')).trim();
    const client = new WorkerClient({ baseUrl: server.baseUrl, secret });
    const { projectId, ids } = await buildVersions(client);
    const body = { userId: 'e2e-user' };
    const at = (i: number) => ids[i % ids.length] as string;

    const rollbacks: number[] = [];
    for (let i = 0; i < RUNS; i++)
      rollbacks.push(
        await timed(() => client.json('POST', `/v1/projects/${projectId}/rollback/${at(i)}`, body)),
      );
    const publishes: number[] = [];
    for (let i = 0; i < RUNS; i++)
      publishes.push(
        await timed(() => client.json('POST', `/projects/${projectId}/publish/${at(i)}`, body)),
      );
    // Rollback of a published project moves production too.
    const publishedRollbacks: number[] = [];
    for (let i = 0; i < RUNS; i++)
      publishedRollbacks.push(
        await timed(() => client.json('POST', `/v1/projects/${projectId}/rollback/${at(i)}`, body)),
      );

    const line = (name: string, xs: number[]) =>
      console.log(
        `${name.padEnd(28)} p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} runs)`,
      );
    line('rollback', rollbacks);
    line('publish', publishes);
    line('rollback (published project)', publishedRollbacks);
    const summary = (xs: number[]) => ({
      p50Ms: Number(pct(xs, 50).toFixed(1)),
      p95Ms: Number(pct(xs, 95).toFixed(1)),
      runs: xs.length,
    });
    printResult({
      database: process.env.BENCH_DATABASE_URL ? 'postgres' : 'pglite',
      rollback: summary(rollbacks),
      publish: summary(publishes),
      rollbackPublished: summary(publishedRollbacks),
    });
  } finally {
    await server.stop('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
