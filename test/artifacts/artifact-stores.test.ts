import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactIntegrityError } from '../../src/artifacts/artifact-store.js';
import { s3BucketProbe } from '../../src/artifacts/artifact-store-probe.js';
import { FsArtifactStore } from '../../src/artifacts/fs-artifact-store.js';
import { S3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { artifactStoreSuite } from '../support/artifact-store-suite.js';
import { S3_KEY_ID, S3_SECRET, startS3Server, type S3Server } from '../support/s3-server.js';

artifactStoreSuite('fs', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'sheen-fs-store-'));
  return {
    store: new FsArtifactStore(root),
    overwrite: (key, bytes) => writeFile(path.join(root, key), bytes),
    close: () => rm(root, { recursive: true, force: true }),
  };
});

artifactStoreSuite('s3', async () => {
  const server = await startS3Server();
  const store = new S3ArtifactStore({
    endpoint: server.endpoint,
    bucket: server.bucket,
    region: 'auto',
    accessKeyId: S3_KEY_ID,
    secretAccessKey: S3_SECRET,
  });
  return {
    store,
    // Straight into s3rver's storage: the metadata (and its sha256) stay as they were.
    overwrite: (key, bytes) => writeFile(server.objectFile(key), bytes),
    async close() {
      store.close();
      await server.close();
    },
  };
});

describe('S3 artifact store', () => {
  let server: S3Server;
  let store: S3ArtifactStore;
  let raw: S3Client;
  let dir: string;

  beforeAll(async () => {
    server = await startS3Server();
    const settings = {
      endpoint: server.endpoint,
      bucket: server.bucket,
      region: 'auto',
      accessKeyId: S3_KEY_ID,
      secretAccessKey: S3_SECRET,
    };
    store = new S3ArtifactStore(settings);
    raw = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      credentials: settings,
      forcePathStyle: true,
    });
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-s3-raw-'));
  });
  afterAll(async () => {
    store?.close();
    raw?.destroy();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function putBytes(bytes: Buffer) {
    const file = path.join(dir, 'in');
    await writeFile(file, bytes);
    return store.put(file, createHash('sha256').update(bytes).digest('hex'), bytes.length);
  }

  it('stores the plain bytes under a content-addressed key, with the SHA-256 as metadata', async () => {
    const bytes = randomBytes(200_000);
    const stored = await putBytes(bytes);
    expect(stored.storageKey).toBe(
      `artifacts/sha256/${stored.sha256.slice(0, 2)}/${stored.sha256}.tar.gz`,
    );
    // What the server keeps on disk is the file itself, not an aws-chunked framing of it.
    expect((await readFile(server.objectFile(stored.storageKey))).equals(bytes)).toBe(true);
    const head = await raw.send(
      new HeadObjectCommand({ Bucket: server.bucket, Key: stored.storageKey }),
    );
    expect(head.Metadata).toEqual({ sha256: stored.sha256 });
  });

  it('refuses other bytes put under the key with the old metadata', async () => {
    const stored = await putBytes(randomBytes(5000));
    await raw.send(
      new PutObjectCommand({
        Bucket: server.bucket,
        Key: stored.storageKey,
        Body: randomBytes(5000),
        Metadata: { sha256: stored.sha256 },
      }),
    );
    await expect(store.fetch(stored, path.join(dir, 'out'))).rejects.toBeInstanceOf(
      ArtifactIntegrityError,
    );
    // The next put of the real bytes cannot tell from a HEAD; a read still refuses until then.
  });

  it('refuses an object whose metadata names another digest, or none', async () => {
    const stored = await putBytes(randomBytes(5000));
    const wrong: Array<Record<string, string>> = [{ sha256: 'f'.repeat(64) }, {}];
    for (const Metadata of wrong) {
      await raw.send(
        new PutObjectCommand({
          Bucket: server.bucket,
          Key: stored.storageKey,
          Body: await readFile(server.objectFile(stored.storageKey)),
          Metadata,
        }),
      );
      await expect(store.fetch(stored, path.join(dir, 'out'))).rejects.toThrow(
        /integrity check: (metadata says f+|no sha256 metadata)/,
      );
      // A put notices the wrong metadata and writes the object again.
      await putBytes(await readFile(server.objectFile(stored.storageKey)));
    }
  });

  it('reaches the bucket for the health check, and fails on a bucket that is not there', async () => {
    await expect(s3BucketProbe(store).check()).resolves.toMatchObject({ status: 'ok' });
    const missing = new S3ArtifactStore({
      endpoint: server.endpoint,
      bucket: 'no-such-bucket',
      region: 'auto',
      accessKeyId: S3_KEY_ID,
      secretAccessKey: S3_SECRET,
    });
    await expect(s3BucketProbe(missing).check()).resolves.toMatchObject({
      status: 'down',
      message: 'the bucket answered HTTP 404',
    });
    missing.close();
  });
});
