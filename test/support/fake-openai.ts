/**
 * A fake OpenAI-compatible server for tests: node:http on 127.0.0.1 with a random port, speaking
 * the real Chat Completions wire protocol. Streaming answers are server-sent events of
 * `chat.completion.chunk` objects ending with `data: [DONE]`; tool-call arguments are split
 * across many chunks the way real servers send them; a final usage chunk follows when the
 * request asks for `stream_options.include_usage`. Replies are scripted in a queue; every
 * request is recorded.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeToolCall {
  /** Defaults to `call_<n>`. */
  id?: string;
  name: string;
  /** A JSON string is sent as is (it may be deliberately invalid); objects are stringified. */
  arguments: string | Record<string, unknown>;
}

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
}

/** A normal answer: text, tool calls or both. */
export interface FakeMessage {
  text?: string;
  toolCalls?: FakeToolCall[];
  /** Defaults to `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: 'stop' | 'tool_calls' | 'length' | 'content_filter';
  usage?: FakeUsage;
  /** Characters per content or arguments chunk (default 7). */
  chunkSize?: number;
  /** Send the arguments of parallel tool calls interleaved rather than one call after another. */
  interleave?: boolean;
  /** Stream part of the answer, then destroy the socket (a cut stream). */
  cut?: boolean;
  /** Stream part of the answer, then end the response cleanly without a finish or `[DONE]`. */
  truncate?: boolean;
}

/** An HTTP error answer. */
export interface FakeError {
  status: number;
  /** Sent as the `retry-after` header (seconds). */
  retryAfter?: number | string;
  message?: string;
}

export type FakeReply = FakeMessage | FakeError;

/** A parsed JSON body: `any`, because tests assert on the wire shape. */
type Json = ReturnType<typeof JSON.parse>;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Json;
  /** When the request arrived (performance.now()). */
  at: number;
}

export interface FakeOpenAi {
  /** Base URL to give an OpenAI client, ending in `/v1`. */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Chat-completion requests only. */
  chatRequests(): RecordedRequest[];
  /** Adds replies to the queue, answered in order, one per chat-completion request. */
  push(...replies: FakeReply[]): void;
  /** Replies not yet used. */
  pending(): number;
  close(): Promise<void>;
}

export interface FakeOpenAiOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
  models?: string[];
}

const DEFAULT_USAGE: FakeUsage = { prompt_tokens: 10, completion_tokens: 5 };

function split(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

function usageJson(usage: FakeUsage) {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.prompt_tokens + usage.completion_tokens,
    prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

function argsOf(call: FakeToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  retryAfter?: number | string,
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  res.writeHead(status, headers);
  res.end(
    JSON.stringify({
      error: {
        message,
        type: status === 429 ? 'rate_limit_exceeded' : 'server_error',
        param: null,
        code: null,
      },
    }),
  );
}

/** The deltas of one scripted message, in the order a server would stream them. */
function deltas(reply: FakeMessage): Record<string, unknown>[] {
  const size = reply.chunkSize ?? 7;
  const out: Record<string, unknown>[] = [{ role: 'assistant', content: '' }];
  for (const piece of split(reply.text ?? '', size)) out.push({ content: piece });
  const calls = (reply.toolCalls ?? []).map((call, index) => ({
    head: {
      tool_calls: [
        {
          index,
          id: call.id ?? `call_${index + 1}`,
          type: 'function',
          function: { name: call.name, arguments: '' },
        },
      ],
    },
    pieces: split(argsOf(call), size).map((piece) => ({
      tool_calls: [{ index, function: { arguments: piece } }],
    })),
  }));
  if (reply.interleave) {
    for (const call of calls) out.push(call.head);
    const longest = Math.max(0, ...calls.map((c) => c.pieces.length));
    for (let i = 0; i < longest; i++)
      for (const call of calls) {
        const piece = call.pieces[i];
        if (piece) out.push(piece);
      }
  } else {
    for (const call of calls) out.push(call.head, ...call.pieces);
  }
  return out;
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  let completionCount = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Json;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      const url = req.url ?? '/';
      requests.push({
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        body,
        at: performance.now(),
      });
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        sendError(res, 401, 'Incorrect API key provided.');
        return;
      }
      if (req.method === 'GET' && url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            object: 'list',
            data: (options.models ?? ['fake-model']).map((id) => ({
              id,
              object: 'model',
              created: 1_700_000_000,
              owned_by: 'fake-openai',
            })),
          }),
        );
        return;
      }
      if (req.method !== 'POST' || url !== '/v1/chat/completions') {
        sendError(res, 404, `No route for ${req.method} ${url}`);
        return;
      }
      if (typeof body !== 'object' || body === null || !Array.isArray(body.messages)) {
        sendError(res, 400, 'messages is required');
        return;
      }
      const reply = queue.shift();
      if (!reply) {
        sendError(res, 400, 'fake-openai: no scripted reply left');
        return;
      }
      if ('status' in reply) {
        sendError(res, reply.status, reply.message ?? `Scripted ${reply.status}`, reply.retryAfter);
        return;
      }
      completionCount += 1;
      const model = typeof body.model === 'string' ? body.model : 'fake-model';
      const id = `chatcmpl-fake${completionCount}`;
      const finishReason = reply.finishReason ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');
      const usage = reply.usage ?? DEFAULT_USAGE;
      if (body.stream === true) {
        streamReply(res, reply, { id, model, finishReason, usage, body });
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model,
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: reply.text ?? null,
                  refusal: null,
                  ...(reply.toolCalls?.length
                    ? {
                        tool_calls: reply.toolCalls.map((call, index) => ({
                          id: call.id ?? `call_${index + 1}`,
                          type: 'function',
                          function: { name: call.name, arguments: argsOf(call) },
                        })),
                      }
                    : {}),
                },
                logprobs: null,
                finish_reason: finishReason,
              },
            ],
            usage: usageJson(usage),
          }),
        );
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    chatRequests: () => requests.filter((r) => r.url === '/v1/chat/completions'),
    push: (...replies) => queue.push(...replies),
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function streamReply(
  res: ServerResponse,
  reply: FakeMessage,
  meta: { id: string; model: string; finishReason: string; usage: FakeUsage; body: Json },
): void {
  const includeUsage = meta.body?.stream_options?.include_usage === true;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], usage?: unknown) =>
    'data: ' +
    JSON.stringify({
      id: meta.id,
      object: 'chat.completion.chunk',
      created,
      model: meta.model,
      system_fingerprint: 'fp_fake',
      choices,
      ...(includeUsage ? { usage: usage ?? null } : {}),
    }) +
    '\n\n';
  const lines = deltas(reply).map((delta) =>
    chunk([{ index: 0, delta, logprobs: null, finish_reason: null }]),
  );
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  if (reply.cut || reply.truncate) {
    // Half of the answer, flushed, then the connection goes away.
    res.write(lines.slice(0, Math.max(1, Math.floor(lines.length / 2))).join(''));
    setTimeout(() => {
      if (reply.cut) res.destroy();
      else res.end();
    }, 10);
    return;
  }
  lines.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: meta.finishReason }]));
  if (includeUsage) lines.push(chunk([], usageJson(meta.usage)));
  lines.push('data: [DONE]\n\n');
  // Several writes, so the client really receives the stream in pieces.
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    const batch = lines.slice(i, i + 3).join('');
    i += 3;
    if (i >= lines.length) res.end(batch);
    else res.write(batch, () => setImmediate(next));
  };
  next();
}
