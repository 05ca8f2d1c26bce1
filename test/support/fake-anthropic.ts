/**
 * A scripted fake of the Anthropic Messages API for tests, speaking the real wire protocol so the
 * official SDK (and the Claude Code CLI) can talk to it unchanged.
 *
 * - `POST /v1/messages` answers the next scripted response: with `stream: true`, a
 *   `text/event-stream` with the real event sequence (message_start with usage, ping,
 *   content_block_start, content_block_delta carrying text_delta or input_json_delta split over
 *   several chunks, content_block_stop, message_delta with stop_reason and usage, message_stop);
 *   otherwise the JSON message. Scripted failures: an HTTP error (`{status: 429, retryAfter: 1}`,
 *   `{status: 529}`…), a connection dropped mid-stream (`cutAfterEvents`), an `event: error` in
 *   the stream (`streamError`).
 * - `POST /v1/messages/count_tokens`, `GET /v1/models[/id]`, and any other `GET`/`HEAD` (probes)
 *   answer plausibly; other paths 404, other methods 405.
 * - Every request is recorded (method, path, lower-cased headers, raw and parsed body).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildMessage, nextId, type Built } from './fake-anthropic-message.js';

export interface FakeToolUse {
  name: string;
  input: unknown;
  id?: string;
  /** Stream this text as the input JSON instead (e.g. JSON cut short by max_tokens). */
  rawJson?: string;
}

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

/** A successful reply. */
export interface FakeMessage {
  text?: string;
  toolUses?: FakeToolUse[];
  /** Default: `tool_use` when there are tool uses, else `end_turn`. */
  stopReason?: string;
  /** Default: 100 input, 50 output, no cache. */
  usage?: Partial<FakeUsage>;
  model?: string;
  /** Characters per text or JSON delta (default: at most 24, and always 3+ chunks). */
  chunkSize?: number;
  /** Destroy the connection after writing this many SSE events (ping included). */
  cutAfterEvents?: number;
  /** Send `event: error` after this many SSE events, then end the response. */
  streamError?: { afterEvents: number; type?: string; message?: string };
  /** Wait before answering. */
  delayMs?: number;
}

/** An HTTP error reply with the API's error body. */
export interface FakeError {
  status: number;
  /** `retry-after` header value (seconds). */
  retryAfter?: number | string;
  /** Error type in the body; default from the status (529 → overloaded_error…). */
  type?: string;
  message?: string;
  headers?: Record<string, string>;
}

export type FakeResponse = FakeMessage | FakeError;
export type FakeScript = FakeResponse | ((request: RecordedRequest) => FakeResponse);

/**
 * A parsed JSON body. `any` on purpose: tests assert on the wire shape field by field, and
 * typing every API shape here would only restate the SDK.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Wire = any;

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  rawBody: string;
  /** The parsed JSON body (undefined when absent or not JSON). */
  body: Wire;
}

export interface FakeAnthropicOptions {
  responses?: FakeScript[];
  /** When set, requests must carry this key (x-api-key or Authorization: Bearer) or get 401. */
  apiKey?: string;
  /** Answer when the script is used up (default: a 400 saying so, which no client retries). */
  fallback?: FakeScript;
  /** Model reported when a response does not name one (default: the requested model). */
  model?: string;
}

export interface FakeAnthropic {
  /** Base URL for clients, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** `POST /v1/messages` requests only. */
  readonly messageRequests: RecordedRequest[];
  enqueue(...responses: FakeScript[]): void;
  /** Scripted responses not yet used. */
  pending(): number;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** A reply that writes one file with the engine's `write_file` tool (or another tool's shape). */
export function writeFileResponse(
  path: string,
  content: string,
  options: { text?: string; toolName?: string; pathKey?: string } = {},
): FakeMessage {
  const input = { [options.pathKey ?? 'path']: path, content };
  return {
    ...(options.text !== undefined ? { text: options.text } : {}),
    toolUses: [{ name: options.toolName ?? 'write_file', input }],
  };
}

export function textResponse(text: string, usage?: Partial<FakeUsage>): FakeMessage {
  return usage ? { text, usage } : { text };
}

export function toolUseResponse(name: string, input: unknown, text?: string): FakeMessage {
  return { ...(text !== undefined ? { text } : {}), toolUses: [{ name, input }] };
}

/** The credential a request carried: `x-api-key`, else the `Authorization: Bearer` token. */
export function apiKeyOf(request: RecordedRequest): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  return request.headers['x-api-key'] || bearer;
}

/** The tool_result blocks of a request's last user message. */
export function toolResultsOf(
  request: RecordedRequest,
): { tool_use_id: string; content: unknown; is_error?: boolean }[] {
  const messages = (request.body?.messages ?? []) as { role: string; content: unknown }[];
  const last = messages.at(-1);
  if (!last || last.role !== 'user' || !Array.isArray(last.content)) return [];
  return last.content.filter((b: { type?: string }) => b.type === 'tool_result');
}

function isError(response: FakeResponse): response is FakeError {
  return typeof (response as FakeError).status === 'number';
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': nextId('req'),
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

function sendError(res: ServerResponse, error: FakeError): void {
  const type =
    error.type ??
    ERROR_TYPES[error.status] ??
    (error.status >= 500 ? 'api_error' : 'invalid_request_error');
  const headers: Record<string, string> = { ...error.headers };
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  if (error.status === 529 || type === 'overloaded_error') headers['x-should-retry'] = 'true';
  sendJson(
    res,
    error.status,
    {
      type: 'error',
      error: {
        type,
        message: error.message ?? (type === 'overloaded_error' ? 'Overloaded' : type),
      },
      request_id: nextId('req'),
    },
    headers,
  );
}

function writeEvent(res: ServerResponse, event: string, data: unknown): Promise<void> {
  return new Promise((resolve) => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`, () => resolve());
  });
}

async function stream(res: ServerResponse, response: FakeMessage, built: Built): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': nextId('req'),
  });
  res.flushHeaders();
  let written = 0;
  for (const { event, data } of built.events) {
    if (response.cutAfterEvents !== undefined && written >= response.cutAfterEvents) {
      // A connection reset mid-stream: no message_stop, no clean end of the chunked body.
      res.socket?.destroy();
      return;
    }
    if (response.streamError && written >= response.streamError.afterEvents) {
      const type = response.streamError.type ?? 'overloaded_error';
      await writeEvent(res, 'error', {
        type: 'error',
        error: { type, message: response.streamError.message ?? 'Overloaded' },
      });
      res.end();
      return;
    }
    await writeEvent(res, event, data);
    written += 1;
  }
  res.end();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export async function startFakeAnthropic(
  options: FakeAnthropicOptions = {},
): Promise<FakeAnthropic> {
  const queue: FakeScript[] = [...(options.responses ?? [])];
  const requests: RecordedRequest[] = [];
  const messageRequests: RecordedRequest[] = [];
  const fallback: FakeScript = options.fallback ?? {
    status: 400,
    message: 'fake-anthropic: no scripted response left for this request',
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const rawBody = await readBody(req);
    let body: Wire;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const recorded: RecordedRequest = {
      method,
      path,
      query: url.search,
      headers: headersOf(req),
      rawBody,
      body,
    };
    requests.push(recorded);

    if (
      options.apiKey !== undefined &&
      apiKeyOf(recorded) !== options.apiKey &&
      path.startsWith('/v1/')
    ) {
      sendError(res, { status: 401, message: 'invalid x-api-key' });
      return;
    }
    if (method === 'GET' || method === 'HEAD') {
      if (path === '/v1/models') {
        const model = modelInfo(options.model ?? 'claude-sonnet-4-5');
        sendJson(res, 200, {
          data: [model],
          has_more: false,
          first_id: model.id,
          last_id: model.id,
        });
      } else if (path.startsWith('/v1/models/')) {
        sendJson(res, 200, modelInfo(decodeURIComponent(path.slice('/v1/models/'.length))));
      } else {
        // Health and reachability probes.
        sendJson(res, 200, {});
      }
      return;
    }
    const known = path === '/v1/messages' || path === '/v1/messages/count_tokens';
    if (method !== 'POST') {
      if (known) res.setHeader('allow', 'POST');
      sendError(res, {
        status: known ? 405 : 404,
        type: known ? 'invalid_request_error' : 'not_found_error',
        message: known ? `Method ${method} not allowed` : 'Not found',
      });
      return;
    }
    if (!known) {
      sendError(res, { status: 404, message: `Not found: ${path}` });
      return;
    }
    if (typeof body !== 'object' || body === null) {
      sendError(res, { status: 400, message: 'The request body is not valid JSON.' });
      return;
    }
    if (path === '/v1/messages/count_tokens') {
      sendJson(res, 200, { input_tokens: Math.ceil(rawBody.length / 4) });
      return;
    }
    messageRequests.push(recorded);
    if (
      typeof body.model !== 'string' ||
      !Array.isArray(body.messages) ||
      typeof body.max_tokens !== 'number'
    ) {
      sendError(res, { status: 400, message: 'model, max_tokens and messages are required.' });
      return;
    }
    const script = queue.length > 0 ? queue.shift()! : fallback;
    const response = typeof script === 'function' ? script(recorded) : script;
    if (!isError(response) && response.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, response.delayMs));
    }
    if (isError(response)) {
      sendError(res, response);
      return;
    }
    const built = buildMessage(response, options.model ?? (body.model as string));
    if (body.stream === true) await stream(res, response, built);
    else sendJson(res, 200, built.message);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, { status: 500, message: String(err) });
      else res.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    messageRequests,
    enqueue: (...responses) => {
      queue.push(...responses);
    },
    pending: () => queue.length,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function modelInfo(id: string) {
  return {
    type: 'model',
    id,
    display_name: id,
    created_at: '2025-09-29T00:00:00Z',
  };
}
