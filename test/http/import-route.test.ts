import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/auth/signing.js';
import { tarGz, zip } from '../support/archives.js';
import { SECRET, startTestApp, type TestApp } from '../support/harness.js';

const URL_PATH = '/v1/projects/import';
const SITE = [
  { name: 'site/', type: '5' as const },
  { name: 'site/index.html', body: '<h1>Corner Shop</h1>' },
];

/** A multipart body as a client encodes it, with its boundary-carrying content type. */
async function multipart(fields: Record<string, string>, files: Array<[string, Buffer]>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  for (const [name, bytes] of files) form.append('file', new Blob([bytes]), name);
  const req = new Request('http://x/', { method: 'POST', body: form });
  return {
    body: Buffer.from(await req.arrayBuffer()),
    contentType: req.headers.get('content-type') as string,
  };
}

describe('POST /v1/projects/import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { IMPORT_MAX_BYTES: '4096' } });
  });
  afterAll(() => t.close());

  async function send(body: Buffer, contentType: string, url = URL_PATH, secret = SECRET) {
    const headers = signRequest({ secret, method: 'POST', pathWithQuery: url, body });
    return t.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { ...headers, 'content-type': contentType },
    });
  }

  async function leftovers(): Promise<string[]> {
    const tmp = path.join(t.container.config.dataDir, 'tmp');
    return (await readdir(tmp).catch(() => [])).filter((n) => n.startsWith('import-'));
  }

  it('accepts a signed multipart upload as version 1, its files stored, no AI time held', async () => {
    const { body, contentType } = await multipart({ userId: 'u-import', name: 'Corner' }, [
      ['site.tar.gz', tarGz(SITE)],
    ]);
    const res = await send(body, contentType);
    expect(res.statusCode, res.body).toBe(202);
    const accepted = res.json<{
      versionId: string;
      projectId: string;
      estimate: { seconds: number };
    }>();
    expect(accepted.estimate.seconds).toBe(0);
    const versions = t.container.pipeline.versions;
    expect(await versions.sourceArtifact(accepted.versionId)).toBeDefined();
    expect((await versions.meta(accepted.versionId)).imported).toMatchObject({
      archive: 'tar.gz',
      files: 2,
    });
    const project = await t.container.pipeline.projects.get(accepted.projectId);
    expect(project?.name).toBe('Corner');
    expect(await leftovers()).toEqual([]);
  });

  it('accepts the archive as the body with userId in the query', async () => {
    const res = await send(
      zip([{ name: 'index.html', body: '<p>hi</p>' }]),
      'application/zip',
      `${URL_PATH}?userId=u-raw`,
    );
    expect(res.statusCode, res.body).toBe(202);
  });

  it('checks the signature before parsing anything', async () => {
    const res = await send(
      Buffer.from('--x\r\nnot a form'),
      'multipart/form-data; boundary=x',
      URL_PATH,
      'wrong-secret-0123456789abcdef0123456789',
    );
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_INVALID_SIGNATURE');
  });

  it('refuses an upload over IMPORT_MAX_BYTES with IMPORT_TOO_LARGE', async () => {
    const big = Buffer.alloc(80 * 1024, 1);
    const res = await send(big, 'application/gzip', `${URL_PATH}?userId=u1`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('IMPORT_TOO_LARGE');
  });

  it('names the field or part that is wrong', async () => {
    const noUser = await multipart({}, [['a.tgz', tarGz(SITE)]]);
    const a = await send(noUser.body, noUser.contentType);
    expect(a.statusCode).toBe(400);
    expect(a.json().error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(a.json().error.message).toContain('userId');
    const two = await multipart({ userId: 'u1' }, [
      ['a.tgz', tarGz(SITE)],
      ['b.tgz', tarGz(SITE)],
    ]);
    const b = await send(two.body, two.contentType);
    expect(b.statusCode).toBe(400);
    expect(b.json().error.message).toContain('exactly one file');
  });

  it('refuses a hostile archive with a 400 naming the entry and leaves nothing behind', async () => {
    const { body, contentType } = await multipart({ userId: 'u1' }, [
      ['evil.tgz', tarGz([...SITE, { name: 'site/link', type: '2', linkName: '/etc/passwd' }])],
    ]);
    const res = await send(body, contentType);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('IMPORT_UNSAFE_ENTRY');
    expect(res.json().error.message).toContain('site/link');
    expect(res.json().error.hint).toEqual(expect.any(String));
    expect(await leftovers()).toEqual([]);
  });
});
