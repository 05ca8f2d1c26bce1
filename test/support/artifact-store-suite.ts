import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArtifactIntegrityError,
  ArtifactNotFoundError,
  type ArtifactStore,
} from '../../src/artifacts/artifact-store.js';

export interface StoreUnderTest {
  store: ArtifactStore;
  /** Replaces an object's stored bytes behind the store's back. */
  overwrite(storageKey: string, bytes: Buffer): Promise<void>;
  close(): Promise<void>;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What every artifact store must do, run against each adapter. */
export function artifactStoreSuite(kind: string, open: () => Promise<StoreUnderTest>) {
  describe(`artifact store contract (${kind})`, () => {
    let s: StoreUnderTest;
    let dir: string;

    beforeAll(async () => {
      s = await open();
      dir = await mkdtemp(path.join(tmpdir(), 'sheen-store-'));
    });
    afterAll(async () => {
      await s?.close();
      await rm(dir, { recursive: true, force: true });
    });

    async function putBytes(bytes: Buffer) {
      const file = path.join(dir, `in-${randomBytes(4).toString('hex')}`);
      await writeFile(file, bytes);
      return s.store.put(file, sha256(bytes), bytes.length);
    }

    it('returns exactly the bytes it stored, a few MB and an empty object', async () => {
      for (const bytes of [randomBytes(3 * 1024 * 1024 + 17), Buffer.alloc(0)]) {
        const stored = await putBytes(bytes);
        expect(stored).toMatchObject({ storageKind: s.store.kind, sizeBytes: bytes.length });
        expect(stored.storageKey).toContain(stored.sha256);
        expect(await s.store.exists(stored.storageKey)).toBe(true);
        const out = path.join(dir, 'out');
        await s.store.fetch(stored, out);
        expect((await readFile(out)).equals(bytes)).toBe(true);
        // Stored twice is stored once, and still reads back.
        expect(await putBytes(bytes)).toEqual(stored);
      }
    });

    it('stores the same content put by several builds at once', async () => {
      // Two builds of the same app package identical bytes, often within the same millisecond.
      const bytes = randomBytes(512 * 1024);
      const stored = await Promise.all(Array.from({ length: 8 }, () => putBytes(bytes)));
      expect(new Set(stored.map((x) => x.storageKey)).size).toBe(1);
      const out = path.join(dir, 'concurrent');
      await s.store.fetch(stored[0]!, out);
      expect((await readFile(out)).equals(bytes)).toBe(true);
    });

    it('refuses a tampered object and leaves no file behind', async () => {
      const bytes = randomBytes(64 * 1024);
      const stored = await putBytes(bytes);
      const tampered = Buffer.from(bytes);
      tampered[1000] = (tampered[1000] ?? 0) ^ 0xff;
      await s.overwrite(stored.storageKey, tampered);
      const out = path.join(dir, 'tampered');
      await expect(s.store.fetch(stored, out)).rejects.toBeInstanceOf(ArtifactIntegrityError);
      await expect(readFile(out)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('refuses a truncated object', async () => {
      const bytes = randomBytes(256 * 1024);
      const stored = await putBytes(bytes);
      await s.overwrite(stored.storageKey, bytes.subarray(0, 100_000));
      await expect(s.store.fetch(stored, path.join(dir, 'short'))).rejects.toThrow(
        /failed its integrity check/,
      );
    });

    it('says clearly when an object is missing, and deletes idempotently', async () => {
      const stored = await putBytes(randomBytes(1000));
      await s.store.delete(stored.storageKey);
      await s.store.delete(stored.storageKey);
      expect(await s.store.exists(stored.storageKey)).toBe(false);
      const err = await s.store.fetch(stored, path.join(dir, 'gone')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ArtifactNotFoundError);
      expect((err as Error).message).toContain('missing');
    });
  });
}
