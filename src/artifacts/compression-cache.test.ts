import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CACHED_MIN_BYTES, CompressionCache, type EncodedCopies } from './compression-cache.js';

/** A `make` that counts its calls and answers copies of the given sizes. */
function maker(size = 1000) {
  const calls = { count: 0 };
  const make = async (): Promise<EncodedCopies> => {
    calls.count += 1;
    return { br: Buffer.alloc(size, calls.count), gzip: Buffer.alloc(size, calls.count) };
  };
  return { calls, make };
}

const file = (bytes = CACHED_MIN_BYTES) => randomBytes(bytes);

describe('the compression cache', () => {
  it("makes a file's copies once per scope and hands the same ones back", async () => {
    const cache = new CompressionCache();
    const { calls, make } = maker();
    const bytes = file();
    const first = await cache.scope('u1').copies(bytes, make);
    const again = await cache.scope('u1').copies(Buffer.from(bytes), make);
    expect(calls.count).toBe(1);
    expect(again).toBe(first);
  });

  it("never shares one user's copies with another", async () => {
    const cache = new CompressionCache();
    const { calls, make } = maker();
    const bytes = file();
    await cache.scope('u1').copies(bytes, make);
    const other = await cache.scope('u2').copies(bytes, make);
    expect(calls.count).toBe(2);
    expect(other.br[0]).toBe(2);
  });

  it('tells files apart by all their bytes, not their size', async () => {
    const cache = new CompressionCache();
    const { calls, make } = maker();
    const bytes = file();
    const changed = Buffer.from(bytes);
    changed[changed.length - 1] = (changed[changed.length - 1] ?? 0) ^ 1;
    await cache.scope('u1').copies(bytes, make);
    await cache.scope('u1').copies(changed, make);
    expect(calls.count).toBe(2);
  });

  it('compresses small files every time', async () => {
    const cache = new CompressionCache();
    const { calls, make } = maker();
    const bytes = file(CACHED_MIN_BYTES - 1);
    await cache.scope('u1').copies(bytes, make);
    await cache.scope('u1').copies(bytes, make);
    expect(calls.count).toBe(2);
  });

  it('lets two builds at once share one compression, and keeps no failed one', async () => {
    const cache = new CompressionCache();
    const { calls, make } = maker();
    const bytes = file();
    const [a, b] = await Promise.all([
      cache.scope('u1').copies(bytes, make),
      cache.scope('u1').copies(bytes, make),
    ]);
    expect(calls.count).toBe(1);
    expect(a).toBe(b);

    const other = file();
    const failing = () => Promise.reject(new Error('pool gone'));
    await expect(cache.scope('u1').copies(other, failing)).rejects.toThrow('pool gone');
    await cache.scope('u1').copies(other, make);
    expect(calls.count).toBe(2);
  });

  it('holds at most its bound, dropping the least recently used', async () => {
    // Each entry holds 2 × 600 bytes: four fit in 5,000, a fifth does not.
    const cache = new CompressionCache(5000);
    const { calls, make } = maker(600);
    const files = [file(), file(), file(), file(), file()];
    const scope = cache.scope('u1');
    for (const f of files.slice(0, 4)) await scope.copies(f, make);
    await scope.copies(files[0] as Buffer, make); // used again: now the newest
    await scope.copies(files[4] as Buffer, make); // drops files[1], the oldest
    expect(calls.count).toBe(5);
    for (const i of [0, 2, 3, 4]) await scope.copies(files[i] as Buffer, make);
    expect(calls.count).toBe(5);
    await scope.copies(files[1] as Buffer, make);
    expect(calls.count).toBe(6);
  });

  it('does not keep copies larger than a quarter of its bound', async () => {
    const cache = new CompressionCache(6000);
    const { calls, make } = maker(1000);
    const bytes = file();
    await cache.scope('u1').copies(bytes, make);
    await cache.scope('u1').copies(bytes, make);
    expect(calls.count).toBe(2);
  });
});
