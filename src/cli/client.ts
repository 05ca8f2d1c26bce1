import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { signRequest } from '../auth/signing.js';

/** A signed HTTP client for the worker API: what the CLI (and any Node client) needs. */
export interface ClientOptions {
  baseUrl: string;
  secret: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export class WorkerClient {
  constructor(private readonly options: ClientOptions) {}

  private async request(
    method: string,
    pathWithQuery: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      ...signRequest({ secret: this.options.secret, method, pathWithQuery, body: payload }),
      ...(payload ? { 'content-type': 'application/json' } : {}),
      ...extra,
    };
    const res = await fetch(new URL(pathWithQuery, this.options.baseUrl), {
      method,
      headers,
      ...(payload ? { body: payload } : {}),
    });
    if (!res.ok) {
      const err = (await res.json().catch(() => undefined)) as
        { error?: { code: string; message: string; hint: string } } | undefined;
      throw new ApiError(
        res.status,
        err?.error?.code ?? 'HTTP_ERROR',
        err?.error?.message ?? `HTTP ${res.status}`,
        err?.error?.hint ?? '',
      );
    }
    return res;
  }

  async json<T>(method: string, pathWithQuery: string, body?: unknown): Promise<T> {
    return (await (await this.request(method, pathWithQuery, body)).json()) as T;
  }

  /** Yields each server-sent event's parsed data until the stream ends. */
  async *events(
    pathWithQuery: string,
    lastEventId = 0,
  ): AsyncGenerator<{ id: number; data: Record<string, unknown> }> {
    const res = await this.request('GET', pathWithQuery, undefined, {
      accept: 'text/event-stream',
      ...(lastEventId ? { 'last-event-id': String(lastEventId) } : {}),
    });
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let id = 0;
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) id = Number(line.slice(4));
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        if (data) yield { id, data: JSON.parse(data) as Record<string, unknown> };
      }
    }
  }
}

/** The secret to sign with: SHEEN_SECRET, else the local worker's generated key. */
export async function resolveSecret(env: NodeJS.ProcessEnv): Promise<string> {
  if (env.SHEEN_SECRET) return env.SHEEN_SECRET;
  const first = env.HMAC_SECRETS?.split(',')[0]?.trim();
  if (first) return first;
  const file = path.join(env.DATA_DIR ?? './.sheen', 'secrets', 'hmac.key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    throw new Error(
      `No signing secret: set SHEEN_SECRET, or run the worker here once so ${file} exists.`,
    );
  }
}
