import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../../test/support/closed-port.js';
import { startFakeOpenAi, type FakeOpenAi } from '../../../test/support/fake-openai.js';
import { Workspace } from '../../workspace/workspace.js';
import { costOf } from '../agent/pricing.js';
import {
  EngineUnavailableError,
  type BuildPlan,
  type EngineContext,
  type EngineEvent,
} from '../engine.js';
import { NUDGE } from './agent-loop.js';
import { OpenAiEngine, normaliseBaseUrl, type OpenAiEngineOptions } from './openai-engine.js';

const KEY = 'sk-test-SECRET-0123456789abcdef';

const PLAN: BuildPlan = {
  framework: 'react',
  name: 'Bakery',
  summary: 'A landing page for a bakery.',
  files: ['index.html', 'src/App.tsx'],
  tasks: ['Write the page'],
  meta: {},
};

let fake: FakeOpenAi;
let dir: string;
let root: string;
let workspace: Workspace;
let events: EngineEvent[];
let controller: AbortController;

beforeEach(async () => {
  fake = await startFakeOpenAi();
  dir = await mkdtemp(path.join(tmpdir(), 'sheen-openai-'));
  // Two levels down, so `../../etc/x` would land inside `dir` where the test can look for it.
  root = path.join(dir, 'projects', 'ws');
  workspace = await Workspace.create(root);
  events = [];
  controller = new AbortController();
});

afterEach(async () => {
  controller.abort();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

function engine(options: Partial<OpenAiEngineOptions> = {}): OpenAiEngine {
  return new OpenAiEngine({
    apiKey: KEY,
    baseUrl: fake.baseUrl,
    model: 'fake-model',
    maxTurns: 6,
    maxTokens: 2000,
    retries: 2,
    retryBaseMs: 5,
    ...options,
  });
}

function ctx(): EngineContext {
  return {
    signal: controller.signal,
    emit: (event) => events.push(event),
    workspaceRoot: root,
    projectId: 'p1',
  };
}

const generate = (e = engine(), prompt = 'A bakery landing page') =>
  e.generate({ prompt, plan: PLAN, kind: 'create' }, workspace.tools(), ctx());

const toolEvents = () => events.filter((e) => e.type === 'tool');
const lastMessage = (i: number) => fake.chatRequests()[i]?.body.messages.at(-1);

describe('OpenAiEngine: a model per task', () => {
  it('sends plan, fix and recommend to their models and the rest to the engine model', async () => {
    const e = engine({
      models: { plan: 'gpt-5-mini', fix: 'gpt-4.1-nano', recommend: 'gpt-5-nano' },
    });
    fake.push(
      {
        text: JSON.stringify({ framework: 'react', name: 'B', summary: 's', files: [], tasks: [] }),
      },
      { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a' } }] },
      { text: 'done' },
      { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'b' } }] },
      { text: 'fixed' },
      { text: '{"order": []}' },
      { text: 'plain' },
    );
    const planned = await e.plan({ kind: 'create', prompt: 'A page' }, ctx());
    await generate(e);
    const fixed = await e.fix(
      { category: 'build', message: 'broke', output: 'Error', files: [] },
      workspace.tools(),
      ctx(),
    );
    const advised = await e.recommend(
      {
        prompt: 'A page',
        items: [
          {
            ref: 'r1',
            kind: 'html.lang',
            severity: 'low',
            title: 't',
            detail: 'd',
            action: 'a',
            evidence: {},
          },
        ],
      },
      ctx(),
    );
    const completed = await e.complete({ prompt: 'hi' }, ctx());
    expect(fake.chatRequests().map((r) => r.body.model)).toEqual([
      'gpt-5-mini',
      'fake-model',
      'fake-model',
      'gpt-4.1-nano',
      'gpt-4.1-nano',
      'gpt-5-nano',
      'fake-model',
    ]);
    expect([planned, fixed, advised, completed].map((r) => r.usage.model)).toEqual([
      'gpt-5-mini',
      'gpt-4.1-nano',
      'gpt-5-nano',
      'fake-model',
    ]);
    expect(planned.plan.meta.model).toBe('gpt-5-mini');
  });
});

describe('OpenAiEngine: tool calls', () => {
  it('writes files from two parallel tool calls whose arguments arrive in pieces', async () => {
    const html = '<!doctype html>\n<title>"Bakery"</title>\n<div id="root"></div>\n';
    const app = 'export default function App() {\n  return <h1>Fresh {"bread"}</h1>;\n}\n';
    fake.push(
      {
        text: 'Writing the files.',
        chunkSize: 4,
        toolCalls: [
          { id: 'call_a', name: 'write_file', arguments: { path: 'index.html', content: html } },
          { id: 'call_b', name: 'write_file', arguments: { path: 'src/App.tsx', content: app } },
        ],
      },
      { text: 'Built a bakery page.' },
    );
    const result = await generate();
    expect(await readFile(path.join(root, 'index.html'), 'utf8')).toBe(html);
    expect(await readFile(path.join(root, 'src/App.tsx'), 'utf8')).toBe(app);
    expect(result.summary).toBe('Built a bakery page.');
    expect(toolEvents()).toEqual([
      {
        type: 'tool',
        message: 'write_file index.html',
        data: { tool: 'write_file', path: 'index.html' },
      },
      {
        type: 'tool',
        message: 'write_file src/App.tsx',
        data: { tool: 'write_file', path: 'src/App.tsx' },
      },
    ]);
    expect(events.some((e) => e.type === 'text' && e.message.includes('Writing'))).toBe(true);

    const [first, second] = fake.chatRequests();
    expect(first?.body).toMatchObject({
      model: 'fake-model',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 2000,
    });
    expect(
      first?.body.tools.map((t: { function: { name: string } }) => t.function.name).sort(),
    ).toEqual(['delete_file', 'edit_file', 'list_files', 'read_file', 'write_file'].sort());
    expect(first?.body.tools[0].type).toBe('function');
    const messages = second?.body.messages;
    expect(messages.at(-3)).toMatchObject({
      role: 'assistant',
      content: 'Writing the files.',
      tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'write_file' } },
        { id: 'call_b', type: 'function', function: { name: 'write_file' } },
      ],
    });
    expect(JSON.parse(messages.at(-3).tool_calls[1].function.arguments)).toEqual({
      path: 'src/App.tsx',
      content: app,
    });
    expect(messages.at(-2)).toMatchObject({ role: 'tool', tool_call_id: 'call_a' });
    expect(messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_b' });
    expect(messages.at(-1).content).toContain('Wrote src/App.tsx');
  });

  it('assembles interleaved tool-call deltas by index', async () => {
    fake.push(
      {
        interleave: true,
        chunkSize: 3,
        toolCalls: [
          { name: 'write_file', arguments: { path: 'a.txt', content: 'alpha alpha alpha' } },
          { name: 'write_file', arguments: { path: 'b.txt', content: 'beta beta beta' } },
        ],
      },
      { text: 'Done.' },
    );
    await generate();
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('alpha alpha alpha');
    expect(await readFile(path.join(root, 'b.txt'), 'utf8')).toBe('beta beta beta');
  });

  it('runs read, list, edit and delete and reports what fix changed', async () => {
    await workspace.writeFile('src/App.tsx', 'const x: number = "oops";\n');
    await workspace.writeFile('old.txt', 'old');
    fake.push(
      { toolCalls: [{ name: 'list_files', arguments: '' }] },
      {
        toolCalls: [
          {
            name: 'edit_file',
            arguments: { path: 'src/App.tsx', search: '"oops"', replace: '1' },
          },
          { name: 'delete_file', arguments: { path: 'old.txt' } },
        ],
      },
      { text: 'Fixed the type error.' },
    );
    const result = await engine().fix(
      {
        category: 'BUILD_TYPESCRIPT_ERROR',
        message: 'src/App.tsx line 1: Type string is not assignable to number',
        output: 'src/App.tsx(1,7): error TS2322',
        files: ['src/App.tsx'],
      },
      workspace.tools(),
      ctx(),
    );
    expect(result.changed).toEqual(['src/App.tsx', 'old.txt']);
    expect(await workspace.readFile('src/App.tsx')).toBe('const x: number = 1;\n');
    expect(existsSync(path.join(root, 'old.txt'))).toBe(false);
    const user = fake.chatRequests()[0]?.body.messages[1].content;
    expect(user).toContain('TS2322');
    expect(user).toContain('const x: number = "oops";'); // the named file is attached
    expect(lastMessage(1)).toMatchObject({ role: 'tool', content: 'old.txt\nsrc/App.tsx' });
    expect(toolEvents().map((e) => e.data)).toEqual([
      { tool: 'list_files', path: '' },
      { tool: 'edit_file', path: 'src/App.tsx' },
      { tool: 'delete_file', path: 'old.txt' },
    ]);
  });

  it('answers invalid argument JSON with an error the model can act on', async () => {
    fake.push(
      {
        toolCalls: [{ id: 'bad', name: 'write_file', arguments: '{"path": "a.txt", "content": ' }],
      },
      { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'ok' } }] },
      { text: 'Done.' },
    );
    await generate();
    const second = fake.chatRequests()[1]?.body.messages;
    expect(second.at(-2).tool_calls[0].function.arguments).toBe('{}');
    expect(second.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'bad' });
    expect(second.at(-1).content).toMatch(/not valid JSON/);
    expect(await workspace.readFile('a.txt')).toBe('ok');
  });

  it('stops at the turn limit', async () => {
    for (let i = 0; i < 3; i++)
      fake.push({ toolCalls: [{ name: 'read_file', arguments: { path: 'missing.txt' } }] });
    const result = await generate(engine({ maxTurns: 3 }));
    expect(fake.chatRequests()).toHaveLength(3);
    expect(result.summary).toMatch(/Stopped after 3 model turns/);
  });
});

describe('OpenAiEngine: usage', () => {
  it('sums usage over turns, cached tokens apart', async () => {
    fake.push(
      {
        toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a' } }],
        usage: { prompt_tokens: 100, completion_tokens: 20, cached_tokens: 40 },
      },
      { text: 'Done.', usage: { prompt_tokens: 150, completion_tokens: 10 } },
    );
    const { usage } = await generate();
    expect(usage).toMatchObject({
      inputTokens: 210,
      cacheReadTokens: 40,
      cacheWriteTokens: 0,
      outputTokens: 30,
      costUsd: 0, // a local model is free
      model: 'fake-model',
    });
    expect(usage.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('prices known hosted models', async () => {
    fake.push({
      text: '{"summary": "x", "tasks": ["y"]}',
      usage: { prompt_tokens: 1000, completion_tokens: 500 },
    });
    const { usage } = await engine({ model: 'gpt-4.1-mini' }).plan(
      { kind: 'create', prompt: 'x' },
      ctx(),
    );
    const expected = costOf('gpt-4.1-mini', {
      inputTokens: 1000,
      outputTokens: 500,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    expect(expected).toBeGreaterThan(0);
    expect(usage.costUsd).toBe(expected);
  });
});

describe('OpenAiEngine: models that print code', () => {
  it('writes files named in fenced blocks', async () => {
    fake.push({
      text: [
        'Here is the app.',
        '',
        '```tsx src/App.tsx',
        'export default function App() {',
        '  return <p>Hi</p>;',
        '}',
        '```',
        '',
        '```html',
        '<!-- index.html -->',
        '<!doctype html>',
        '<div id="root"></div>',
        '```',
        '',
        '### src/styles.css',
        '```css',
        'body { margin: 0; }',
        '```',
        '',
        '```ts',
        '// file: src/main.tsx',
        "import './styles.css';",
        '```',
      ].join('\n'),
    });
    const result = await generate();
    expect(await workspace.listFiles()).toEqual([
      'index.html',
      'src/App.tsx',
      'src/main.tsx',
      'src/styles.css',
    ]);
    expect(await workspace.readFile('index.html')).toBe('<!doctype html>\n<div id="root"></div>\n');
    expect(await workspace.readFile('src/main.tsx')).toBe("import './styles.css';\n");
    expect(result.summary).toMatch(/printed its files instead of calling the tools; wrote 4 files/);
    expect(fake.chatRequests()).toHaveLength(1);
    expect(toolEvents()).toHaveLength(4);
  });

  it('asks once more to use write_file when nothing can be extracted', async () => {
    fake.push(
      { text: 'Sure! You could build it with React:\n```\nconsole.log(1)\n```' },
      { toolCalls: [{ name: 'write_file', arguments: { path: 'index.html', content: 'hi' } }] },
      { text: 'Wrote index.html.' },
    );
    const result = await generate();
    expect(await workspace.readFile('index.html')).toBe('hi');
    expect(lastMessage(1)).toEqual({ role: 'user', content: NUDGE });
    expect(fake.chatRequests()[1]?.body.messages.at(-2).role).toBe('assistant');
    expect(result.summary).toBe('Wrote index.html.');
  });

  it('gives up gracefully after asking once', async () => {
    fake.push({ text: 'I cannot write files.' }, { text: 'Really, I cannot.' });
    const result = await generate();
    expect(fake.chatRequests()).toHaveLength(2);
    expect(await workspace.listFiles()).toEqual([]);
    expect(result.summary).toMatch(/without calling the file tools, even when asked again/);
    expect(result.summary).toContain('Really, I cannot.');
  });
});

describe('OpenAiEngine: retries and failures', () => {
  const writeA = {
    toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a' } }],
  };

  it('retries a 429 after the retry-after the server asks for', async () => {
    fake.push({ status: 429, retryAfter: 0.3 }, writeA, { text: 'Done.' });
    await generate(engine({ retryBaseMs: 1 }));
    const [first, second] = fake.chatRequests();
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(280);
    expect(await workspace.readFile('a.txt')).toBe('a');
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.map((e) => e.data)).toEqual([
      { retry: 1, retries: 2, delayMs: 300, reason: 'rate limit (429): Scripted 429' },
    ]);
  });

  it('retries a cut stream whole, and a stream that ends without finishing', async () => {
    fake.push({ ...writeA, cut: true }, { ...writeA, truncate: true }, writeA, { text: 'Done.' });
    const result = await generate();
    expect(fake.chatRequests()).toHaveLength(4);
    expect(toolEvents()).toHaveLength(1); // the partial turns ran no tools
    expect(result.summary).toBe('Done.');
  });

  it('throws EngineUnavailableError once retries are exhausted', async () => {
    fake.push({ status: 500 }, { status: 503 }, { status: 502 }, { text: 'never' });
    const error = await generate().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).toBe(
      `The OpenAI-compatible server at ${new URL(fake.baseUrl).host} is unavailable after 3 attempts (last error: server error (502): Scripted 502).`,
    );
    expect(fake.chatRequests()).toHaveLength(3);
  });

  it('does not retry refused credentials, and never shows the key', async () => {
    const strict = await startFakeOpenAi({ apiKey: 'sk-the-right-key-000000' });
    try {
      const error = await engine({ baseUrl: strict.baseUrl })
        .complete({ prompt: 'hi' }, ctx())
        .catch((err: unknown) => err);
      expect(error).toBeInstanceOf(EngineUnavailableError);
      expect((error as Error).message).toMatch(/refused the credentials \(HTTP 401\)/);
      expect((error as Error).message).not.toContain(KEY);
      expect((error as Error).cause).toBeUndefined();
      expect(strict.chatRequests()).toHaveLength(1);
    } finally {
      await strict.close();
    }
  });

  it('gives a server that is not listening two quick retries, then reports it', async () => {
    const port = await closedPort();
    const started = performance.now();
    const error = await engine({ baseUrl: `http://127.0.0.1:${port}/v1`, retryBaseMs: 60_000 })
      .complete({ prompt: 'hi' }, ctx())
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).toBe(
      `The OpenAI-compatible server at 127.0.0.1:${port} is unreachable after 3 attempts (connection refused). Is it running, and is OPENAI_BASE_URL right?`,
    );
    expect(events.filter((e) => e.type === 'progress')).toHaveLength(2);
    // Never the configured backoff (a minute here).
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('switches to max_completion_tokens when the server asks for it', async () => {
    fake.push(
      {
        status: 400,
        message:
          "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      },
      { text: 'hello' },
    );
    const { text } = await engine().complete({ prompt: 'hi', maxTokens: 50 }, ctx());
    expect(text).toBe('hello');
    const [, second] = fake.chatRequests();
    expect(second?.body.max_completion_tokens).toBe(50);
    expect(second?.body.max_tokens).toBeUndefined();
  });

  it('stops waiting when the build is cancelled', async () => {
    fake.push({ status: 429, retryAfter: 30 });
    const pending = generate();
    setTimeout(() => controller.abort(new Error('cancelled by test')), 100);
    const started = performance.now();
    await expect(pending).rejects.toThrow('cancelled by test');
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('OpenAiEngine: containment and inputs', () => {
  it('refuses ../../etc/x and writes nothing outside the workspace', async () => {
    fake.push(
      {
        toolCalls: [
          { id: 'evil', name: 'write_file', arguments: { path: '../../etc/x', content: 'pwned' } },
        ],
      },
      { text: 'Done.' },
    );
    const result = await generate();
    expect(existsSync(path.join(dir, 'etc', 'x'))).toBe(false);
    expect(existsSync(path.join(dir, 'etc'))).toBe(false);
    expect(await workspace.listFiles()).toEqual([]);
    expect(lastMessage(1)).toMatchObject({ role: 'tool', tool_call_id: 'evil' });
    expect(lastMessage(1).content).toMatch(/^Error: Refused path "..\/..\/etc\/x"/);
    expect(result.summary).toContain('Could not write 1 file: ../../etc/x');
  });

  it('refuses traversal in extracted code blocks too', async () => {
    fake.push({ text: '```sh ../../etc/y.sh\necho pwned\n```\n\n```txt ok.txt\nfine\n```' });
    await generate();
    expect(existsSync(path.join(dir, 'etc'))).toBe(false);
    expect(await workspace.listFiles()).toEqual(['ok.txt']);
  });

  it('sends prompt text verbatim', async () => {
    const prompt =
      'Build `whoami` $(rm -rf /); echo "hi" && ls\n--force --output=/etc/passwd \'q\' \\n $HOME';
    fake.push({ text: '{"summary": "s", "tasks": ["t"]}' }, { text: 'nothing' }, { text: 'x' });
    await engine().plan({ kind: 'create', prompt }, ctx());
    await generate(engine(), prompt);
    const bodies = fake.chatRequests().map((r) => r.body.messages[1].content as string);
    expect(bodies[0]).toContain(prompt);
    expect(bodies[1]).toContain(prompt);
    fake.push({ text: 'answer' });
    await engine().complete({ system: 'sys', prompt }, ctx());
    expect(fake.chatRequests().at(-1)?.body.messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: prompt },
    ]);
  });

  it('sends the key as a bearer token and never in events', async () => {
    fake.push(
      {
        text: 'Working',
        toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a' } }],
      },
      { status: 500 },
      { text: 'Done.' },
    );
    await generate();
    for (const request of fake.chatRequests())
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain(KEY);
    expect(JSON.stringify(events)).not.toContain('SECRET');
  });

  it('sends a placeholder key when none is configured', async () => {
    fake.push({ text: 'hi' });
    await engine({ apiKey: undefined }).complete({ prompt: 'hi' }, ctx());
    expect(fake.chatRequests()[0]?.headers.authorization).toMatch(/^Bearer \S+$/);
  });
});

describe('OpenAiEngine: plan and complete', () => {
  it('reads a plan wrapped in prose and fences', async () => {
    fake.push({
      text: 'Here is the plan:\n```json\n{"framework": "vue", "name": "Tasks", "summary": "A todo app.", "files": ["package.json", "src/App.vue"], "tasks": ["Scaffold", "Build the list"]}\n```\nGood luck!',
    });
    const { plan } = await engine().plan({ kind: 'create', prompt: 'a todo app' }, ctx());
    expect(plan).toMatchObject({
      framework: 'vue',
      name: 'Tasks',
      summary: 'A todo app.',
      files: ['package.json', 'src/App.vue'],
      tasks: ['Scaffold', 'Build the list'],
      meta: { engine: 'openai', model: 'fake-model', mode: 'create' },
    });
    const request = fake.chatRequests()[0]?.body;
    expect(request.tools).toBeUndefined();
    expect(request.stream).toBe(true);
  });

  it('repairs trailing commas and honours a required framework', async () => {
    fake.push({
      text: '{"framework": "react", "name": "Shop", "summary": "A shop.", "tasks": ["a",],}',
    });
    const { plan } = await engine().plan(
      { kind: 'create', prompt: 'a shop', framework: 'svelte' },
      ctx(),
    );
    expect(plan).toMatchObject({ framework: 'svelte', name: 'Shop', tasks: ['a'] });
  });

  it('falls back to a plan from the prompt when the reply is not JSON', async () => {
    fake.push({ text: 'I would build a nice page with a hero.' });
    const { plan } = await engine().plan(
      { kind: 'create', prompt: 'A landing page for "Sunrise Bakery"' },
      ctx(),
    );
    expect(plan.name).toBe('Sunrise Bakery');
    expect(plan.framework).toBe('react');
    expect(plan.tasks.length).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'progress' && /not readable JSON/.test(e.message))).toBe(
      true,
    );
  });

  it('complete returns the text and usage', async () => {
    fake.push({
      text: '  Use a darker green.  ',
      usage: { prompt_tokens: 7, completion_tokens: 3 },
    });
    const { text, usage } = await engine().complete({ prompt: 'advice?' }, ctx());
    expect(text).toBe('Use a darker green.');
    expect(usage).toMatchObject({ inputTokens: 7, outputTokens: 3, costUsd: 0 });
  });
});

describe('fake OpenAI server and base URLs', () => {
  it('lists models and answers without streaming when not asked to', async () => {
    const models = await (await fetch(`${fake.baseUrl}/models`)).json();
    expect(models).toMatchObject({ object: 'list', data: [{ id: 'fake-model', object: 'model' }] });
    fake.push({ text: 'plain' });
    const response = await fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(await response.json()).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { role: 'assistant', content: 'plain' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5 },
    });
  });

  it('normalises base URLs', () => {
    expect(normaliseBaseUrl(undefined)).toBe('https://api.openai.com/v1');
    expect(normaliseBaseUrl('http://localhost:11434')).toBe('http://localhost:11434/v1');
    expect(normaliseBaseUrl('http://localhost:11434/v1/')).toBe('http://localhost:11434/v1');
    expect(normaliseBaseUrl('https://openrouter.ai/api/v1')).toBe('https://openrouter.ai/api/v1');
  });
});
