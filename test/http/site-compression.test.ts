import { rm } from 'node:fs/promises';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildToEnd,
  signedInject,
  startTestApp,
  type EndedBuild,
  type TestApp,
} from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

const lines = (label: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${label} ${i}: the quick brown fox ${i % 9}`).join('\n');
const HTML = `<!doctype html><title>Shop</title><script src="/assets/app-AbCd1234.js"></script>\n<main>${lines('<p>item', 80)}</main>`;
const JS = `export const rows = [\n${lines('"row', 300)}"];\n`;
const SMALL_CSS = 'body{margin:0}';

/** A static site whose build copies site/ to dist/ unchanged. */
const SITE = {
  'package.json': JSON.stringify({
    name: 'shop',
    private: true,
    scripts: { build: 'node build.js' },
  }),
  'build.js': "require('node:fs').cpSync('site', 'dist', { recursive: true });\n",
  'site/index.html': HTML,
  'site/assets/app-AbCd1234.js': JS,
  // A folder in the gzip copy's place: packaging replaces it with the copy, in the archive too.
  'site/assets/app-AbCd1234.js.gz/stale.txt': 'not a gzip copy',
  'site/small.css': SMALL_CSS,
};

/**
 * The preview host serving the compressed siblings the package stage wrote: by
 * Accept-Encoding, byte-exact once decoded, with the caching headers that make that safe.
 */
describe('compressed assets on the site host', () => {
  let t: TestApp;
  let build: EndedBuild;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({ engine: new ScriptedEngine(SITE), workers: true });
    build = await buildToEnd(t, { userId: 'u-compress', prompt: 'A shop' });
    expect(build.status).toBe('succeeded');
    base = `/preview/${build.buildId}`;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') =>
    t.app.inject({ method, url: `${base}${url}`, headers });
  const decode = (res: LightMyRequestResponse) => {
    const raw = res.rawPayload;
    const encoding = res.headers['content-encoding'];
    if (encoding === 'br') return brotliDecompressSync(raw).toString();
    if (encoding === 'gzip') return gunzipSync(raw).toString();
    return raw.toString();
  };

  it('reports what compression saved, as an event and on the build view', () => {
    const event = build.events.find((e) => e.type === 'package.compressed');
    const original = Buffer.byteLength(HTML) + Buffer.byteLength(JS);
    expect(event?.data).toMatchObject({ files: 2, originalBytes: original });
    expect(event?.data.savedBytes).toBeGreaterThan(original / 2);
    expect(build.assets).toEqual(event?.data);
  });

  it('shows the same figures on the version list', async () => {
    const res = await signedInject(t.app, {
      method: 'GET',
      url: `/v1/projects/${build.projectId}/versions?userId=u-compress`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().versions[0].assets).toEqual(build.assets);
  });

  it('sends brotli when accepted, else gzip, byte-exact once decoded', async () => {
    for (const [url, original] of [
      ['/assets/app-AbCd1234.js', JS],
      ['/', HTML],
      ['/index.html', HTML],
      ['/some/page', HTML],
    ] as const) {
      const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.statusCode, url).toBe(200);
      expect(br.headers['content-encoding'], url).toBe('br');
      expect(br.headers['vary'], url).toBe('Accept-Encoding');
      expect(Number(br.headers['content-length']), url).toBe(br.rawPayload.length);
      expect(br.rawPayload.length, url).toBeLessThan(Buffer.byteLength(original) / 2);
      expect(decode(br), url).toBe(original);

      const gz = await get(url, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding'], url).toBe('gzip');
      expect(Number(gz.headers['content-length']), url).toBe(gz.rawPayload.length);
      expect(decode(gz), url).toBe(original);
      expect(gz.headers.etag, url).not.toBe(br.headers.etag);
    }
  });

  it('never encodes for a client that does not accept it', async () => {
    for (const accept of [
      undefined,
      'identity',
      'br;q=0',
      'br;q=0, gzip;q=0',
      '*;q=0',
      'deflate',
    ]) {
      const res = await get('/assets/app-AbCd1234.js', accept ? { 'accept-encoding': accept } : {});
      expect(res.headers['content-encoding'], accept).toBeUndefined();
      expect(res.headers['vary'], accept).toBe('Accept-Encoding');
      expect(res.body, accept).toBe(JS);
      expect(Number(res.headers['content-length']), accept).toBe(Buffer.byteLength(JS));
    }
    const gzipOnly = await get('/assets/app-AbCd1234.js', { 'accept-encoding': 'br;q=0, gzip' });
    expect(gzipOnly.headers['content-encoding']).toBe('gzip');
  });

  it('caches hashed assets for a year and revalidates pages, with an ETag per encoding', async () => {
    const js = await get('/assets/app-AbCd1234.js', { 'accept-encoding': 'br' });
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-type']).toMatch(/^application\/javascript/);
    const page = await get('/', { 'accept-encoding': 'br' });
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const plain = await get('/');
    const tags = new Set([page.headers.etag, plain.headers.etag]);
    expect(tags.size).toBe(2);
    expect(String(page.headers.etag)).toMatch(/^"[\w-]+-br"$/);
  });

  it('answers 304 to a matching If-None-Match, for the encoding asked', async () => {
    const page = await get('/', { 'accept-encoding': 'br' });
    const again = await get('/', {
      'accept-encoding': 'br',
      'if-none-match': String(page.headers.etag),
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect(again.headers.etag).toBe(page.headers.etag);
    expect(again.headers.vary).toBe('Accept-Encoding');
    // The brotli tag does not validate the gzip representation.
    const other = await get('/', {
      'accept-encoding': 'gzip',
      'if-none-match': String(page.headers.etag),
    });
    expect(other.statusCode).toBe(200);
    expect(decode(other)).toBe(HTML);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const head = await get('/assets/app-AbCd1234.js', { 'accept-encoding': 'br' }, 'HEAD');
    const body = await get('/assets/app-AbCd1234.js', { 'accept-encoding': 'br' });
    expect(head.statusCode).toBe(200);
    expect(head.rawPayload.length).toBe(0);
    for (const name of ['content-length', 'content-encoding', 'etag', 'vary', 'content-type'])
      expect(head.headers[name], name).toBe(body.headers[name]);
  });

  it('answers a Range from the uncompressed file, never from a compressed one', async () => {
    const res = await get('/assets/app-AbCd1234.js', {
      'accept-encoding': 'br',
      range: 'bytes=0-99',
    });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-range']).toBe(`bytes 0-99/${Buffer.byteLength(JS)}`);
    expect(res.body).toBe(JS.slice(0, 100));
    const past = await get('/assets/app-AbCd1234.js', { range: `bytes=${JS.length + 10}-` });
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${Buffer.byteLength(JS)}`);
  });

  it('serves files under the 1 KB floor as they are', async () => {
    const css = await get('/small.css', { 'accept-encoding': 'br, gzip' });
    expect(css.headers['content-encoding']).toBeUndefined();
    expect(css.body).toBe(SMALL_CSS);
  });

  it('still serves an artifact packaged without siblings', async () => {
    const dir = await t.container.previews.directoryFor(build.buildId);
    for (const suffix of ['.br', '.gz'])
      await rm(path.join(dir as string, 'assets', `app-AbCd1234.js${suffix}`));
    const res = await get('/assets/app-AbCd1234.js', { 'accept-encoding': 'br, gzip' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toBe(JS);
  });
});
