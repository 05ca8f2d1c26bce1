import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costOf } from '../../src/ai/agent/pricing.js';
import {
  startFakeAnthropic,
  textResponse,
  type FakeAnthropic,
  type FakeMessage,
} from '../support/fake-anthropic.js';
import { buildToEnd, signedInject, startTestApp, type TestApp } from '../support/harness.js';

const KEY = 'fake-anthropic-key-task-models';
const GENERATE_MODEL = 'claude-sonnet-4-6';
const PLAN_MODEL = 'claude-sonnet-4-5';
const FIX_MODEL = 'claude-haiku-4-5';
const RECOMMEND_MODEL = 'claude-3-5-haiku-20241022';

const writes = (files: Record<string, string>, tokens: number): FakeMessage => ({
  toolUses: Object.entries(files).map(([path, content]) => ({
    name: 'write_file',
    input: { path, content },
  })),
  usage: { input_tokens: tokens, output_tokens: tokens / 10 },
});

/** What the fake answers, in the order the pipeline asks: plan, generate, fix, recommend. */
const SCRIPT: FakeMessage[] = [
  textResponse(
    JSON.stringify({
      framework: 'static',
      name: 'Models',
      summary: 'A one-page site.',
      files: ['index.html'],
      tasks: ['write the page'],
    }),
    { input_tokens: 1000, output_tokens: 200 },
  ),
  writes(
    {
      'package.json': JSON.stringify({
        name: 'models',
        private: true,
        scripts: { build: 'node build.mjs' },
      }),
      'build.mjs': "console.error('Error: the build step broke'); process.exit(1);\n",
      'index.html': '<!doctype html><h1>Models</h1>',
    },
    20_000,
  ),
  textResponse('Wrote the page.', { input_tokens: 3000, output_tokens: 100 }),
  writes(
    {
      'build.mjs':
        "import fs from 'node:fs';\nfs.mkdirSync('dist', { recursive: true });\nfs.copyFileSync('index.html', 'dist/index.html');\n",
    },
    5000,
  ),
  textResponse('Fixed the build script.', { input_tokens: 800, output_tokens: 50 }),
  textResponse('{"order": []}', { input_tokens: 600, output_tokens: 40 }),
];

/**
 * AI_MODEL_<TASK> through the real pipeline on the Anthropic engine, against a fake speaking
 * the Messages API: each task's requests name its model, and the usage rows (and the build
 * view) carry the task, the model and the cost at that model's price.
 */
describe('a model per task', () => {
  let api: FakeAnthropic;
  let t: TestApp;
  let build: Awaited<ReturnType<typeof buildToEnd>>;

  beforeAll(async () => {
    api = await startFakeAnthropic({ apiKey: KEY, responses: [...SCRIPT] });
    t = await startTestApp({
      workers: true,
      env: {
        AI_PROVIDER: 'anthropic',
        ANTHROPIC_API_KEY: KEY,
        ANTHROPIC_BASE_URL: api.url,
        ANTHROPIC_MODEL: GENERATE_MODEL,
        AI_MODEL_PLAN: PLAN_MODEL,
        AI_MODEL_FIX: `anthropic=${FIX_MODEL}`,
        AI_MODEL_RECOMMEND: RECOMMEND_MODEL,
        AI_RETRIES: '0',
      },
    });
    build = await buildToEnd(t, { userId: 'u-models', prompt: 'A one-page site' });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await api?.close();
  });

  it('sends each task to its model, the engine model where none is set', async () => {
    expect(build.error).toBeNull();
    expect(build.status).toBe('succeeded');
    const res = await signedInject(t.app, {
      method: 'POST',
      url: `/v1/recommendations/${build.projectId}`,
      body: { userId: 'u-models' },
    });
    expect(res.statusCode).toBe(200);
    expect(api.messageRequests.map((r) => r.body.model)).toEqual([
      PLAN_MODEL,
      GENERATE_MODEL,
      GENERATE_MODEL,
      FIX_MODEL,
      FIX_MODEL,
      RECOMMEND_MODEL,
    ]);
  });

  it('records usage per task with its model and its cost at that price', async () => {
    const { rows } = await t.container.db.query<{
      operation: string;
      model: string;
      input_tokens: number;
      output_tokens: number;
      cost_usd: string;
    }>(
      `SELECT operation, model, input_tokens, output_tokens, cost_usd FROM claude_user_usage
       WHERE user_id = 'u-models' ORDER BY created_at, id`,
    );
    expect(rows.map((r) => [r.operation, r.model])).toEqual([
      ['plan', PLAN_MODEL],
      ['generate', GENERATE_MODEL],
      ['fix', FIX_MODEL],
      ['recommend', RECOMMEND_MODEL],
    ]);
    const fix = rows.find((r) => r.operation === 'fix');
    expect(fix).toMatchObject({ input_tokens: 5800, output_tokens: 550 });
    const counts = {
      inputTokens: 5800,
      outputTokens: 550,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    };
    expect(Number(fix?.cost_usd)).toBeCloseTo(costOf(FIX_MODEL, counts), 6);
    // The same tokens on the generate model would have cost three times as much.
    expect(costOf(GENERATE_MODEL, counts)).toBeCloseTo(3 * costOf(FIX_MODEL, counts), 6);
  });

  it("shows the usage per task and model in the user's usage, recommendations included", async () => {
    const res = await signedInject(t.app, { method: 'GET', url: '/v1/billing/usage/u-models' });
    expect(res.statusCode).toBe(200);
    const byTask = res.json().byTask as Array<{ task: string; model: string; calls: number }>;
    expect(byTask.map((u) => [u.task, u.model, u.calls])).toEqual([
      ['plan', PLAN_MODEL, 1],
      ['generate', GENERATE_MODEL, 1],
      ['fix', FIX_MODEL, 1],
      ['recommend', RECOMMEND_MODEL, 1],
    ]);
  });

  it('shows the usage per task on the build view', async () => {
    const view = await signedInject(t.app, { method: 'GET', url: `/v1/builds/${build.buildId}` });
    const byTask = view.json().usage.byTask as Array<{
      task: string;
      models: string[];
      inputTokens: number;
    }>;
    expect(byTask.map((u) => [u.task, u.models, u.inputTokens])).toEqual([
      ['plan', [PLAN_MODEL], 1000],
      ['generate', [GENERATE_MODEL], 23_000],
      ['fix', [FIX_MODEL], 5800],
    ]);
  });
});
