import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { signedInjectOptions, type TestApp } from './harness.js';

export interface SentRequest {
  statusCode: number;
  headers: LightMyRequestResponse['headers'];
  /** The body, or '' for an event stream (which is left after its headers). */
  body: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Sends a signed request and reads the answer, without waiting for an event stream to end:
 * with no workers running a build never ends, so a stream answer is taken at its headers, the
 * connection dropped, and the builds it started cancelled (which closes the server's side).
 */
export function sendSigned(
  t: TestApp,
  req: Parameters<typeof signedInjectOptions>[0],
): Promise<SentRequest> {
  return sendInject(t, signedInjectOptions(req));
}

/** Like `app.inject`, but an event-stream answer is read only to its headers (see above). */
export async function sendInject(t: TestApp, options: InjectOptions): Promise<SentRequest> {
  const abort = new AbortController();
  const res = await t.app.inject({ ...options, payloadAsStream: true, signal: abort.signal });
  const contentType = String(res.headers['content-type'] ?? '');
  let body = '';
  if (contentType.startsWith('text/event-stream')) {
    abort.abort();
    await cancelQueuedBuilds(t);
  } else {
    const chunks: Buffer[] = [];
    for await (const chunk of res.stream()) chunks.push(chunk as Buffer);
    body = Buffer.concat(chunks).toString('utf8');
  }
  return {
    statusCode: res.statusCode,
    headers: res.headers,
    body,
    json: () => JSON.parse(body),
  };
}

/** Ends every queued build, as a client cancelling it would. */
export async function cancelQueuedBuilds(t: TestApp): Promise<void> {
  const { rows } = await t.container.db.query<{ id: string }>(
    "SELECT id FROM builds WHERE status = 'queued'",
  );
  for (const { id } of rows) await t.container.builds.cancel(id);
}

export function sendCreate(
  t: TestApp,
  url: string,
  body: Record<string, unknown>,
): Promise<SentRequest> {
  return sendSigned(t, { method: 'POST', url, body });
}

/**
 * Bodies of POST /v1/create-preview-for-new-project (and the legacy route) that PostgreSQL
 * cannot store as sent, each with the field a 400 must name.
 */
export function hostileCreateBodies(): Array<{ body: Record<string, unknown>; field: string }> {
  const ok = { userId: 'hostile-user', prompt: 'A landing page for a bakery' };
  const out: Array<{ body: Record<string, unknown>; field: string }> = [];
  const unstorable = [
    '\u0000',
    '\ud800',
    '\udfff',
    '\udc00\ud800',
    '\u0001',
    '\u001b[31m',
    '\u007f',
  ];
  for (const bad of unstorable) {
    out.push({ body: { ...ok, prompt: `A bakery${bad}page` }, field: 'prompt' });
    out.push({ body: { ...ok, name: `Bakery${bad}` }, field: 'name' });
  }
  // Names are one line; prompts may have several.
  for (const bad of ['\n', '\r', '\t', '\u0085', '\u009b']) {
    out.push({ body: { ...ok, name: `Two${bad}lines` }, field: 'name' });
  }
  out.push({ body: { ...ok, prompt: 'x'.repeat(20_001) }, field: 'prompt' });
  out.push({ body: { ...ok, name: 'n'.repeat(201) }, field: 'name' });
  out.push({ body: { ...ok, name: ' \u3000 ' }, field: 'name' });
  out.push({ body: { ...ok, userId: 'user\u0000' }, field: 'userId' });
  out.push({ body: { ...ok, userId: 'u'.repeat(129) }, field: 'userId' });
  return out;
}
