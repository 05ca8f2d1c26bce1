/**
 * Pipeline benchmark on this machine, embedded profile, offline engine:
 *   cold:  first build with empty caches (registry reachable): prompt accepted → preview live
 *   warm:  builds of the same kind with caches hot, one at a time: prompt accepted → build
 *          finished (and → preview live: the record stage done, before recommendations)
 *   paused: the same, with a pause of BENCH_PAUSE_MS (1 s) before each prompt, as a person
 *          would type the next one: the pace at which the worker can prepare for the next build
 *   burst: BENCH_BURST builds queued at once; all must finish, while GET latency is sampled
 * "Pipeline overhead" is the server's wall time for the stages minus the time at least one
 * install/validate/build process was running (overlapping processes count once): the cost
 * of the pipeline itself (bookkeeping, events, sandbox set-up outside the processes, I/O).
 * It is also reported up to the live preview, leaving out the recommend stage that follows.
 * Run: npm run bench:pipeline [-- --short]   (--short: two warm builds and no burst, for CI to
 * catch a broken bench; it asserts no times). The last line is `BENCH_RESULT <json>`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkerClient } from '../src/cli/client.js';
import { startServer } from '../test/support/server-process.js';

const SHORT = process.argv.includes('--short');
const WARM_RUNS = SHORT ? 2 : Number(process.env.BENCH_WARM_RUNS ?? 10);
const BURST = SHORT ? 0 : Number(process.env.BENCH_BURST ?? 20);
const PAUSED_RUNS = SHORT ? 0 : Number(process.env.BENCH_PAUSED_RUNS ?? 6);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 1000);
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
  /** Client side: POST accepted → build.finished seen on the event stream. */
  wallMs: number;
  /** Client side: POST accepted → the record stage's end seen (the preview is live and is the version's). */
  liveMs: number;
  /** Server side: the stages' wall time, as the build.finished event reports it. */
  serverMs: number;
  /** Time at least one install/validate/build process was running. */
  processMs: number;
  stages: Record<string, number>;
  status: string;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const round = (n: number) => Math.round(n);

async function build(client: WorkerClient, prompt: string): Promise<Timed> {
  const t0 = performance.now();
  const created = await client.json<{ buildId: string; eventsUrl: string }>(
    'POST',
    '/v1/create-preview-for-new-project',
    { userId: 'bench', prompt },
  );
  let final: Record<string, unknown> = {};
  let liveMs = NaN;
  for await (const { data } of client.events(created.eventsUrl)) {
    if (data.type === 'stage.finished' && data.stage === 'record') liveMs = performance.now() - t0;
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
    liveMs,
    serverMs: Number(final.wallMs ?? status.durationMs),
    processMs: Number(final.processMs ?? 0),
    stages: Object.fromEntries(status.stages.map((s) => [s.name, s.durationMs ?? 0])),
    status: status.status,
  };
}

/** The warm figures: wall percentiles, each stage's p50, and the pipeline overhead. */
function summarizeWarm(warm: Timed[]) {
  const walls = warm.map((w) => w.wallMs);
  const overhead = warm.map((w) => w.serverMs - w.processMs);
  // The same up to the live preview: recommend, the last stage, runs after it is live.
  const overheadToLive = warm.map((w) => w.serverMs - (w.stages.recommend ?? 0) - w.processMs);
  const stageNames = Object.keys(warm[0]?.stages ?? {});
  return {
    runs: warm.length,
    succeeded: warm.filter((w) => w.status === 'succeeded').length,
    p50Ms: round(pct(walls, 50)),
    p90Ms: round(pct(walls, 90)),
    liveP50Ms: round(
      pct(
        warm.map((w) => w.liveMs),
        50,
      ),
    ),
    serverP50Ms: round(
      pct(
        warm.map((w) => w.serverMs),
        50,
      ),
    ),
    processP50Ms: round(
      pct(
        warm.map((w) => w.processMs),
        50,
      ),
    ),
    overheadP50Ms: round(pct(overhead, 50)),
    overheadMaxMs: round(Math.max(...overhead)),
    overheadToLiveP50Ms: round(pct(overheadToLive, 50)),
    stagesP50Ms: Object.fromEntries(
      stageNames.map((s) => [
        s,
        round(
          pct(
            warm.map((w) => w.stages[s] ?? 0),
            50,
          ),
        ),
      ]),
    ),
  };
}

function printWarm(w: ReturnType<typeof summarizeWarm>): void {
  console.log(
    `warm builds (${w.succeeded}/${w.runs} succeeded): p50 ${w.p50Ms} ms, p90 ${w.p90Ms} ms ` +
      `(server ${w.serverP50Ms} ms, in processes ${w.processP50Ms} ms); preview live p50 ` +
      `${w.liveP50Ms} ms (the record stage done, before recommend and the build's end)`,
  );
  for (const [s, ms] of Object.entries(w.stagesP50Ms)) console.log(`  ${s.padEnd(9)} p50 ${ms} ms`);
  console.log(
    `  pipeline overhead (server wall − time processes ran): p50 ${w.overheadP50Ms} ms, ` +
      `max ${w.overheadMaxMs} ms; up to the live preview (without recommend) p50 ` +
      `${w.overheadToLiveP50Ms} ms`,
  );
}

/** Warm builds with a pause before each prompt; null when none are asked for. */
async function pausedRuns(client: WorkerClient) {
  if (PAUSED_RUNS <= 0) return null;
  const runs: Timed[] = [];
  for (let i = 0; i < PAUSED_RUNS; i++) {
    await new Promise((r) => setTimeout(r, PAUSE_MS));
    runs.push(await build(client, PROMPTS[(i + 3) % PROMPTS.length] as string));
  }
  const w = summarizeWarm(runs);
  console.log(
    `warm builds ${PAUSE_MS} ms apart (${w.succeeded}/${w.runs} succeeded): preview live p50 ` +
      `${w.liveP50Ms} ms, build p50 ${w.stagesP50Ms.build} ms, pipeline overhead p50 ` +
      `${w.overheadP50Ms} ms`,
  );
  return { pauseMs: PAUSE_MS, ...w };
}

/** Queues `count` builds at once and samples a signed GET until all have finished. */
async function burst(client: WorkerClient, count: number, readId: string) {
  const latencies: number[] = [];
  let done = false;
  const sampler = (async () => {
    while (!done) {
      const t = performance.now();
      await client.json('GET', `/v1/builds/${readId}`);
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const t0 = performance.now();
  const builds = await Promise.all(
    Array.from({ length: count }, (_, i) => build(client, PROMPTS[i % PROMPTS.length] as string)),
  );
  const totalMs = round(performance.now() - t0);
  done = true;
  await sampler;
  const result = {
    total: count,
    succeeded: builds.filter((b) => b.status === 'succeeded').length,
    totalMs,
    getP50Ms: Number(pct(latencies, 50).toFixed(1)),
    getP99Ms: Number(pct(latencies, 99).toFixed(1)),
  };
  console.log(
    `burst of ${count}: ${result.succeeded}/${count} succeeded in ${totalMs} ms; GET p50 ` +
      `${result.getP50Ms} ms, p99 ${result.getP99Ms} ms over ${latencies.length} requests`,
  );
  return result;
}

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-bench-'));
  const server = await startServer(
    {
      DATA_DIR: dataDir,
      BUILD_CONCURRENCY: '2',
      // The benchmark measures the pipeline, not the rate limiter.
      RATE_LIMIT_IP_MAX: '1000000',
      RATE_LIMIT_USER_MAX: '1000000',
    },
    // A busy shared machine can take minutes to start the server (tsx compiles it first).
    300_000,
  );
  try {
    const secret = (await readFile(path.join(dataDir, 'secrets', 'hmac.key'), 'utf8')).trim();
    const client = new WorkerClient({ baseUrl: server.baseUrl, secret });

    const cold = await build(client, PROMPTS[0] as string);
    console.log(`cold build: ${round(cold.wallMs)} ms (${cold.status})`);

    const warmRuns: Timed[] = [];
    for (let i = 0; i < WARM_RUNS; i++)
      warmRuns.push(await build(client, PROMPTS[i % PROMPTS.length] as string));
    const warm = summarizeWarm(warmRuns);
    printWarm(warm);
    const paused = await pausedRuns(client);

    const burstResult = BURST > 0 ? await burst(client, BURST, cold.buildId) : null;
    console.log(
      `BENCH_RESULT ${JSON.stringify({
        bench: 'pipeline',
        short: SHORT,
        at: new Date().toISOString(),
        cold: { ms: round(cold.wallMs), status: cold.status },
        warm,
        paused,
        burst: burstResult,
      })}`,
    );
  } finally {
    await server.stop('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
