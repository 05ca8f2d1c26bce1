import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { signRequest } from '../auth/signing.js';

/** A signed HTTP client for the worker API: what the CLI (and any Node client) needs. */
export interface ClientOptions {
  baseUrl: string;
  secret: string;
  /** Where the secret came from, for error messages (e.g. "SHEEN_SECRET"). */
  secretSource?: string;
  /** Aborts a plain request (not an event stream) that takes longer. */
  timeoutMs?: number;
}

/** The worker answered with an error (its JSON error shape, or a bare HTTP status). */
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

/**
 * No HTTP answer at all: refused, unknown host, reset, timed out. `reason` is the system
 * error code (ECONNREFUSED, ENOTFOUND…) when there is one.
 */
export class UnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach ${url} (${reason})`);
  }
}

export class WorkerClient {
  constructor(private readonly options: ClientOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  get secretSource(): string {
    return this.options.secretSource ?? 'the secret given';
  }

  private async request(
    method: string,
    pathWithQuery: string,
    body?: unknown,
    extra: Record<string, string> = {},
    signal?: AbortSignal,
  ) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      ...signRequest({ secret: this.options.secret, method, pathWithQuery, body: payload }),
      ...(payload ? { 'content-type': 'application/json' } : {}),
      ...extra,
    };
    const url = new URL(pathWithQuery, this.options.baseUrl);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        ...(payload ? { body: payload } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      throw new UnreachableError(this.options.baseUrl, networkReason(err));
    }
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
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    const res = await this.request(method, pathWithQuery, body, {}, timeout);
    try {
      return (await res.json()) as T;
    } catch {
      if (timeout.aborted) throw new UnreachableError(this.options.baseUrl, 'timed out');
      throw new ApiError(res.status, 'HTTP_ERROR', `HTTP ${res.status} without a JSON body`, '');
    }
  }

  /**
   * POSTs a multipart form. The body is encoded here first: the signature covers its exact
   * bytes, boundary included.
   */
  async postForm<T>(pathWithQuery: string, form: FormData): Promise<T> {
    const encoded = new Request('http://form.invalid/', { method: 'POST', body: form });
    const body = new Uint8Array(await encoded.arrayBuffer());
    const headers = {
      ...signRequest({ secret: this.options.secret, method: 'POST', pathWithQuery, body }),
      'content-type': encoded.headers.get('content-type') ?? 'multipart/form-data',
    };
    const url = new URL(pathWithQuery, this.options.baseUrl);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
      });
    } catch (err) {
      throw new UnreachableError(this.options.baseUrl, networkReason(err));
    }
    const json = (await res.json().catch(() => undefined)) as
      (T & { error?: { code: string; message: string; hint: string } }) | undefined;
    if (!res.ok || json === undefined) {
      throw new ApiError(
        res.status,
        json?.error?.code ?? 'HTTP_ERROR',
        json?.error?.message ?? `HTTP ${res.status}`,
        json?.error?.hint ?? '',
      );
    }
    return json;
  }

  /** Yields each server-sent event's parsed data until the stream ends. */
  async *events(
    pathWithQuery: string,
    lastEventId = 0,
    signal?: AbortSignal,
  ): AsyncGenerator<{ id: number; data: Record<string, unknown> }> {
    const res = await this.request(
      'GET',
      pathWithQuery,
      undefined,
      {
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': String(lastEventId) } : {}),
      },
      signal,
    );
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

/**
 * Why fetch got no answer: the system error code under its generic "fetch failed" (e.g.
 * ECONNREFUSED), else the innermost cause's message (e.g. "bad port").
 */
export function networkReason(err: unknown): string {
  let current: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  for (let depth = 0; current && depth < 5; depth++) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && code !== 'ERR_INVALID_ARG_TYPE') return code;
    if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
    if (current instanceof Error) message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

/** No signing secret anywhere the CLI looks; names each place. */
export class MissingSecretError extends Error {}

export interface ResolvedSecret {
  secret: string;
  /** Where it came from, for messages: an env var name or the key file's path. */
  source: string;
}

/** The secret to sign with: SHEEN_SECRET, else HMAC_SECRETS, else the local worker's key file. */
export async function resolveSecretWithSource(env: NodeJS.ProcessEnv): Promise<ResolvedSecret> {
  if (env.SHEEN_SECRET) return { secret: env.SHEEN_SECRET, source: 'SHEEN_SECRET' };
  const first = env.HMAC_SECRETS?.split(',')[0]?.trim();
  if (first) return { secret: first, source: 'HMAC_SECRETS' };
  const file = localKeyPath(env, 'hmac.key');
  try {
    return { secret: (await readFile(file, 'utf8')).trim(), source: file };
  } catch {
    throw new MissingSecretError(
      `No signing secret: SHEEN_SECRET is not set and ${file} does not exist (a local worker creates it on first start).`,
    );
  }
}

/** The secret to sign with (see resolveSecretWithSource). */
export async function resolveSecret(env: NodeJS.ProcessEnv): Promise<string> {
  return (await resolveSecretWithSource(env)).secret;
}

/** A key file a local worker generates in DATA_DIR/secrets on first start. */
export function localKeyPath(env: NodeJS.ProcessEnv, name: 'hmac.key' | 'admin.key'): string {
  return path.resolve(env.DATA_DIR ?? './.sheen', 'secrets', name);
}
