/**
 * Pipeline benchmark on this machine, embedded profile, offline engine:
 *   cold:  first build with empty caches (registry reachable)
 *   warm:  builds of the same kind with caches hot: prompt accepted → preview live
 *   burst: 20 builds queued at once; all must finish, while GET latency is sampled
 * Run: npm run bench   (writes a JSON summary to stdout's last line)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkerClient } from '../src/cli/client.js';
import { startServer } from '../test/support/server-process.js';

const SHORT = process.argv.includes('--short');
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? (SHORT ? 2 : 10));
const BURST = Number(process.env.BENCH_BURST ?? (SHORT ? 3 : 20));
const PROMPTS = [
  'A landing page for "Sunrise Bakery" in Lisbon',
  'A todo app for weekly chores',
  'A portfolio for a photographer called "Lena Ortiz"',
  'A blog about urban gardening',
  'A sales dashboard with a chart for "Northwind"',
  'A product catalog for a bike shop',
  'An event page for "DevFest 2027"',
  'A restaurant menu for "Casa Verde"',
];

interface Timed {
  buildId: string;
  wallMs: number;
  serverMs: number;
  processMs: number;
  stages: Record<string, number>;
  status: string;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

async function build(client: WorkerClient, prompt: string): Promise<Timed> {
  const t0 = performance.now();
  const created = await client.json<{ buildId: string; eventsUrl: string }>(
    'POST',
    '/v1/create-preview-for-new-project',
    {
      userId: 'bench',
      prompt,
    },
  );
  let final: Record<string, unknown> = {};
  for await (const { data } of client.events(created.eventsUrl)) {
    if (data.type === 'build.finished') final = (data.data ?? {}) as Record<string, unknown>;
  }
  const wallMs = performance.now() - t0;
  const status = await client.json<{
    status: string;
    stages: Array<{ name: string; durationMs: number | null }>;
    durationMs: number;
  }>('GET', `/v1/builds/${created.buildId}`);
  return {
    buildId: created.buildId,
    wallMs,
    serverMs: Number(final.wallMs ?? status.durationMs),
    processMs: Number(final.processMs ?? 0),
    stages: Object.fromEntries(status.stages.map((s) => [s.name, s.durationMs ?? 0])),
    status: status.status,
  };
}

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-bench-'));
  const server = await startServer({
    DATA_DIR: dataDir,
    BUILD_CONCURRENCY: '2',
    // The benchmark measures the pipeline, not the rate limiter.
    RATE_LIMIT_IP_MAX: '1000000',
    RATE_LIMIT_USER_MAX: '1000000',
  });
  try {
    const secret = (await readFile(path.join(dataDir, 'secrets', 'hmac.key'), 'utf8')).trim();
    const client = new WorkerClient({ baseUrl: server.baseUrl, secret });

    const cold = await build(client, PROMPTS[0] as string);
    console.log(`cold build: ${cold.wallMs.toFixed(0)} ms (${cold.status})`);

    const warm: Timed[] = [];
    for (let i = 0; i < WARM_RUNS; i++)
      warm.push(await build(client, PROMPTS[i % PROMPTS.length] as string));
    const stageNames = Object.keys(warm[0]?.stages ?? {});
    const overhead = warm.map((w) => w.serverMs - w.processMs);
    console.log(
      `warm builds (${WARM_RUNS}): p50 ${pct(
        warm.map((w) => w.wallMs),
        50,
      ).toFixed(0)} ms, p90 ${pct(
        warm.map((w) => w.wallMs),
        90,
      ).toFixed(0)} ms`,
    );
    for (const s of stageNames)
      console.log(
        `  ${s.padEnd(9)} p50 ${pct(
          warm.map((w) => w.stages[s] ?? 0),
          50,
        )} ms`,
      );
    console.log(
      `  pipeline overhead (server wall − time in install/validate/build processes): p50 ${pct(overhead, 50).toFixed(0)} ms, max ${Math.max(...overhead).toFixed(0)} ms`,
    );

    // Burst: queue many at once, sample GET latency until all finish.
    const latencies: number[] = [];
    let done = false;
    const sampler = (async () => {
      while (!done) {
        const t = performance.now();
        await client.json('GET', `/v1/builds/${cold.buildId}`);
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const t0 = performance.now();
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, i) => build(client, PROMPTS[i % PROMPTS.length] as string)),
    );
    done = true;
    await sampler;
    const ok = burst.filter((b) => b.status === 'succeeded').length;
    console.log(
      `burst of ${BURST}: ${ok}/${BURST} succeeded in ${(performance.now() - t0).toFixed(0)} ms; GET p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms over ${latencies.length} requests`,
    );

    console.log(
      'BENCH_RESULT',
      JSON.stringify({
        coldMs: Math.round(cold.wallMs),
        warmP50Ms: Math.round(
          pct(
            warm.map((w) => w.wallMs),
            50,
          ),
        ),
        warmStagesP50Ms: Object.fromEntries(
          stageNames.map((s) => [
            s,
            pct(
              warm.map((w) => w.stages[s] ?? 0),
              50,
            ),
          ]),
        ),
        overheadP50Ms: Math.round(pct(overhead, 50)),
        overheadMaxMs: Math.round(Math.max(...overhead)),
        burst: { total: BURST, succeeded: ok, getP99Ms: Number(pct(latencies, 99).toFixed(1)) },
      }),
    );
  } finally {
    await server.stop('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
