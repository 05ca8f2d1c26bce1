import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  apiKeyOf,
  startFakeAnthropic,
  toolResultsOf,
  writeFileResponse,
  type FakeAnthropic,
  type Wire,
} from './fake-anthropic.js';

let fake: FakeAnthropic | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const request = (stream: boolean, extra: Record<string, unknown> = {}) => ({
  model: 'claude-sonnet-4-6',
  max_tokens: 100,
  stream,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url + '/v1/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k', ...headers },
    body: JSON.stringify(body),
  });
}

/** Parses an SSE body into `{event, data}` pairs. */
function parseSse(text: string): { event: string; data: Wire }[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const event = /^event: (.*)$/m.exec(chunk)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(chunk)?.[1] ?? 'null');
      return { event, data };
    });
}

describe('fake Anthropic server', () => {
  it('streams the real event sequence, with tool input JSON split over several deltas', async () => {
    fake = await startFakeAnthropic({
      responses: [
        {
          ...writeFileResponse('src/App.tsx', 'export const a = "ü 😀";\n', { text: 'Writing.' }),
          usage: { input_tokens: 12, output_tokens: 34, cache_read_input_tokens: 5 },
        },
      ],
    });
    const res = await post(fake.url, request(true));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await res.text());
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('message_start');
    expect(names.at(-2)).toBe('message_delta');
    expect(names.at(-1)).toBe('message_stop');
    expect(names).toContain('ping');
    for (const e of events) expect(e.data.type).toBe(e.event);

    const start = events[0]!.data.message;
    expect(start).toMatchObject({ role: 'assistant', content: [], stop_reason: null });
    expect(start.usage).toMatchObject({
      input_tokens: 12,
      cache_read_input_tokens: 5,
      output_tokens: 1,
    });

    const text = events
      .filter((e) => e.data.delta?.type === 'text_delta')
      .map((e) => e.data.delta.text as string);
    expect(text.join('')).toBe('Writing.');

    const toolStart = events.find((e) => e.data.content_block?.type === 'tool_use')!;
    expect(toolStart.data.content_block).toMatchObject({ name: 'write_file', input: {} });
    const json = events
      .filter((e) => e.data.delta?.type === 'input_json_delta')
      .map((e) => e.data.delta.partial_json as string);
    expect(json.filter(Boolean).length).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(json.join(''))).toEqual({
      path: 'src/App.tsx',
      content: 'export const a = "ü 😀";\n',
    });

    const delta = events.at(-2)!.data;
    expect(delta.delta.stop_reason).toBe('tool_use');
    expect(delta.usage).toMatchObject({ output_tokens: 34, input_tokens: 12 });
  });

  it('answers stream:false with the JSON message', async () => {
    fake = await startFakeAnthropic({ responses: [{ text: 'Hello' }] });
    const res = await post(fake.url, request(false));
    const message = (await res.json()) as Wire;
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [{ type: 'text', text: 'Hello' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 100, output_tokens: 50 },
    });
  });

  it('scripts HTTP errors with the API error body and retry-after', async () => {
    fake = await startFakeAnthropic({
      responses: [{ status: 429, retryAfter: 1 }, { status: 529 }],
    });
    const limited = await post(fake.url, request(true));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(((await limited.json()) as Wire).error.type).toBe('rate_limit_error');
    const overloaded = await post(fake.url, request(true));
    expect(overloaded.status).toBe(529);
    expect(await overloaded.json()).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('drops the connection mid-stream, and can send an error event', async () => {
    fake = await startFakeAnthropic({
      responses: [
        { text: 'a long enough text', cutAfterEvents: 3 },
        { text: 'x', streamError: { afterEvents: 2 } },
      ],
    });
    const cut = await post(fake.url, request(true));
    await expect(cut.text()).rejects.toThrow();
    const errored = parseSse(await (await post(fake.url, request(true))).text());
    expect(errored.map((e) => e.event)).toEqual(['message_start', 'ping', 'error']);
    expect(errored[2]!.data.error.type).toBe('overloaded_error');
  });

  it('records requests and answers probes, unknown paths and methods', async () => {
    fake = await startFakeAnthropic({ responses: [{ text: 'ok' }] });
    await post(fake.url, request(false, { system: 'sys' }), { 'anthropic-version': '2023-06-01' });
    expect(fake.messageRequests).toHaveLength(1);
    const recorded = fake.messageRequests[0]!;
    expect(recorded.headers['x-api-key']).toBe('k');
    expect(recorded.headers['anthropic-version']).toBe('2023-06-01');
    expect(recorded.body.system).toBe('sys');
    expect(JSON.parse(recorded.rawBody)).toEqual(recorded.body);
    expect(apiKeyOf(recorded)).toBe('k');

    expect(await (await fetch(fake.url + '/')).json()).toEqual({});
    expect((await fetch(fake.url + '/v1/anything', { method: 'HEAD' })).status).toBe(200);
    const models = (await (await fetch(fake.url + '/v1/models')).json()) as Wire;
    expect(models.data[0].type).toBe('model');
    const put = await fetch(fake.url + '/v1/messages', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST');
    const missing = await fetch(fake.url + '/v2/other', { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Wire).error.type).toBe('not_found_error');
    const count = await fetch(fake.url + '/v1/messages/count_tokens', {
      method: 'POST',
      body: JSON.stringify(request(false)),
    });
    expect(((await count.json()) as Wire).input_tokens).toBeGreaterThan(0);
    const invalid = await post(fake.url, { messages: [] });
    expect(invalid.status).toBe(400);
    // The script is used up: a 400 no client retries, so a test bug shows at once.
    const spent = await post(fake.url, request(false));
    expect(spent.status).toBe(400);
    expect(((await spent.json()) as Wire).error.message).toContain('no scripted response left');
  });

  it('enforces a key when configured', async () => {
    fake = await startFakeAnthropic({ apiKey: 'right', fallback: { text: 'ok' } });
    expect((await post(fake.url, request(false), { 'x-api-key': 'wrong' })).status).toBe(401);
    expect((await post(fake.url, request(false), { 'x-api-key': 'right' })).status).toBe(200);
    const bearer = await post(fake.url, request(false), {
      'x-api-key': '',
      authorization: 'Bearer right',
    });
    expect(bearer.status).toBe(200);
  });

  it('is understood by the official SDK, streamed and not', async () => {
    fake = await startFakeAnthropic({
      responses: [
        writeFileResponse('a.txt', 'A', { text: 'On it.' }),
        writeFileResponse('b.txt', 'B'),
        (req) => ({ text: `saw ${toolResultsOf(req).length} results` }),
      ],
    });
    const client = new Anthropic({
      apiKey: 'sk-test',
      baseURL: fake.url,
      maxRetries: 0,
      logLevel: 'off',
    });
    const params = {
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [{ role: 'user' as const, content: 'hi' }],
    };
    const streamed = await client.messages.stream(params).finalMessage();
    expect(streamed.content).toMatchObject([
      { type: 'text', text: 'On it.' },
      { type: 'tool_use', name: 'write_file', input: { path: 'a.txt', content: 'A' } },
    ]);
    expect(streamed.stop_reason).toBe('tool_use');
    const plain = await client.messages.create(params);
    expect(plain.content[0]).toMatchObject({ type: 'tool_use', input: { path: 'b.txt' } });
    const reply = await client.messages.create({
      ...params,
      messages: [
        ...params.messages,
        { role: 'assistant', content: plain.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: (plain.content[0] as Wire).id, content: 'ok' },
          ],
        },
      ],
    });
    expect(reply.content[0]).toMatchObject({ type: 'text', text: 'saw 1 results' });
    expect(apiKeyOf(fake.messageRequests[0]!)).toBe('sk-test');
  });
});
