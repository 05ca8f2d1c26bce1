/**
 * Delivery benchmark: what compressed assets save per build, and what a build costs per task
 * with a model per task, on the embedded profile with the Anthropic engine pointed at the
 * tests' fake Messages API (test/support/fake-anthropic.ts). The fake answers every build
 * the same way with fixed token counts, so the costs are those of the price table for those
 * counts, not of a real model's behaviour:
 *   plan (AI_MODEL_PLAN) → generate (ANTHROPIC_MODEL, two turns writing a site whose bundle is
 *   swagger-ui's real minified JS and CSS) → a build that fails → fix (AI_MODEL_FIX, two turns)
 *   → recommend (AI_MODEL_RECOMMEND, asked after the build).
 * Reported per build: the package.compressed figures (files, bytes as built, as brotli and
 * gzip, saved, compression time) and cost by task, beside the same tokens on the generate
 * model alone.
 * Run: npm run bench:delivery [-- --short]   (BENCH_BUILDS, default 3; --short: 1).
 * The last line is `BENCH_RESULT <json>`.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { costOf } from '../src/ai/agent/pricing.js';
import { WorkerClient } from '../src/cli/client.js';
import {
  startFakeAnthropic,
  textResponse,
  type FakeMessage,
  type FakeUsage,
} from '../test/support/fake-anthropic.js';
import { startServer } from '../test/support/server-process.js';
import { printResult, SHORT } from './support/report.js';

const BUILDS = SHORT ? 1 : Number(process.env.BENCH_BUILDS ?? 3);
const KEY = 'fake-anthropic-key-bench-delivery';
const MODELS = {
  plan: 'claude-haiku-4-5',
  generate: 'claude-sonnet-4-6',
  fix: 'claude-haiku-4-5',
  recommend: 'claude-haiku-4-5',
} as const;
type Task = keyof typeof MODELS;

const swagger = path.dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui'));
const asset = (name: string) => readFileSync(path.join(swagger, 'static', name), 'utf8');
const SITE = {
  'site/index.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Docs</title><link rel="stylesheet" href="/assets/index-Bq3xT9aZ.css"></head><body><div id="root"></div><script type="module" src="/assets/index-Cw81LmPq.js"></script></body></html>\n`,
  'site/assets/index-Cw81LmPq.js': asset('swagger-ui.js'),
  'site/assets/index-Bq3xT9aZ.css': asset('swagger-ui.css'),
  'site/logo.svg': asset('logo.svg'),
};
const BROKEN_BUILD = "console.error('Error: the build step broke'); process.exit(1);\n";
const BUILD = "import fs from 'node:fs';\nfs.cpSync('site', 'dist', { recursive: true });\n";

/** Token counts the fake reports for each task (summed over its turns). */
const USAGE: Record<Task, Array<Partial<FakeUsage>>> = {
  plan: [{ input_tokens: 1500, output_tokens: 400 }],
  generate: [
    { input_tokens: 8000, output_tokens: 16_000, cache_creation_input_tokens: 6000 },
    { input_tokens: 500, output_tokens: 200, cache_read_input_tokens: 14_000 },
  ],
  fix: [
    { input_tokens: 3000, output_tokens: 800 },
    { input_tokens: 300, output_tokens: 50, cache_read_input_tokens: 3500 },
  ],
  recommend: [{ input_tokens: 1200, output_tokens: 300 }],
};

const writes = (files: Record<string, string>, usage: Partial<FakeUsage>): FakeMessage => ({
  toolUses: Object.entries(files).map(([p, content]) => ({
    name: 'write_file',
    input: { path: p, content },
  })),
  usage,
  // Whole files per delta: the bench measures the pipeline, not SSE framing.
  chunkSize: 1 << 20,
});

/** One build's replies, in the order the pipeline asks. */
function script(): FakeMessage[] {
  const plan = { framework: 'static', name: 'Docs', summary: 'Docs.', files: [], tasks: [] };
  const pkg = { name: 'docs', private: true, scripts: { build: 'node build.mjs' } };
  return [
    textResponse(JSON.stringify(plan), USAGE.plan[0]),
    writes(
      { 'package.json': JSON.stringify(pkg), 'build.mjs': BROKEN_BUILD, ...SITE },
      USAGE.generate[0] ?? {},
    ),
    textResponse('Wrote the site.', USAGE.generate[1]),
    writes({ 'build.mjs': BUILD }, USAGE.fix[0] ?? {}),
    textResponse('Fixed the build script.', USAGE.fix[1]),
    textResponse('{"order": []}', USAGE.recommend[0]),
  ];
}

function costFor(model: string, usage: Array<Partial<FakeUsage>>): number {
  const sum = (k: keyof FakeUsage) => usage.reduce((n, u) => n + (u[k] ?? 0), 0);
  return costOf(model, {
    inputTokens: sum('input_tokens'),
    outputTokens: sum('output_tokens'),
    cacheReadTokens: sum('cache_read_input_tokens'),
    cacheWriteTokens: sum('cache_creation_input_tokens'),
  });
}

interface BuildView {
  status: string;
  projectId: string;
  stages: Array<{ name: string; durationMs: number | null }>;
  assets: Record<string, number> | null;
  usage: { byTask: Array<{ task: string; costUsd: number; models: string[] }> };
}

async function oneBuild(client: WorkerClient, n: number) {
  const created = await client.json<{ buildId: string; eventsUrl: string }>(
    'POST',
    '/v1/create-preview-for-new-project',
    { userId: 'bench-delivery', prompt: `Docs site ${n}` },
  );
  for await (const { data } of client.events(created.eventsUrl)) {
    if (data.type === 'build.finished') break;
  }
  const view = await client.json<BuildView>('GET', `/v1/builds/${created.buildId}`);
  if (view.status !== 'succeeded') throw new Error(`build ${created.buildId}: ${view.status}`);
  await client.json('POST', `/v1/recommendations/${view.projectId}`, { userId: 'bench-delivery' });
  return view;
}

async function main() {
  const api = await startFakeAnthropic({ apiKey: KEY });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-bench-delivery-'));
  const server = await startServer(
    {
      DATA_DIR: dataDir,
      AI_PROVIDER: 'anthropic',
      ANTHROPIC_API_KEY: KEY,
      ANTHROPIC_BASE_URL: api.url,
      ANTHROPIC_MODEL: MODELS.generate,
      AI_MODEL_PLAN: MODELS.plan,
      AI_MODEL_FIX: MODELS.fix,
      AI_MODEL_RECOMMEND: MODELS.recommend,
      RATE_LIMIT_IP_MAX: '1000000',
      RATE_LIMIT_USER_MAX: '1000000',
    },
    300_000,
  );
  try {
    const secret = (await readFile(path.join(dataDir, 'secrets', 'hmac.key'), 'utf8')).trim();
    const client = new WorkerClient({ baseUrl: server.baseUrl, secret });
    const views: BuildView[] = [];
    for (let n = 0; n < BUILDS; n++) {
      api.enqueue(...script());
      views.push(await oneBuild(client, n));
    }
    const usage = await client.json<{ byTask: Array<{ task: string; costUsd: number }> }>(
      'GET',
      '/v1/billing/usage/bench-delivery',
    );
    const perBuild = (task: string) =>
      usage.byTask.filter((u) => u.task === task).reduce((n, u) => n + u.costUsd, 0) / BUILDS;
    const tasks = Object.keys(MODELS) as Task[];
    const costByTask = Object.fromEntries(tasks.map((t) => [t, round6(perBuild(t))]));
    const total = round6(tasks.reduce((n, t) => n + perBuild(t), 0));
    const allOnGenerate = round6(tasks.reduce((n, t) => n + costFor(MODELS.generate, USAGE[t]), 0));
    const assets = views[0]?.assets ?? null;
    const packageMs = views.map((v) => v.stages.find((s) => s.name === 'package')?.durationMs ?? 0);
    const compressMs = views.map((v) => v.assets?.durationMs ?? 0);
    console.log(
      `assets per build: ${assets?.files} text files, ${assets?.originalBytes} B as built → ` +
        `${assets?.brotliBytes} B brotli, ${assets?.gzipBytes} B gzip; saved ` +
        `${assets?.savedBytes} B; compression ${compressMs.join('/')} ms of package ${packageMs.join('/')} ms`,
    );
    console.log(
      `cost per build by task (USD): ${JSON.stringify(costByTask)}; total ${total}; ` +
        `the same tokens on ${MODELS.generate} alone: ${allOnGenerate}`,
    );
    printResult({
      bench: 'delivery',
      at: new Date().toISOString(),
      builds: BUILDS,
      models: MODELS,
      assets,
      compressMs,
      packageMs,
      costPerBuildUsd: { byTask: costByTask, total, allOnGenerateModel: allOnGenerate },
    });
  } finally {
    await server.stop('SIGTERM');
    await api.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

await main();
