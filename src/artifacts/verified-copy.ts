import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArtifactIntegrityError } from './artifact-store.js';
import { readIfSmall } from './small-file.js';

/**
 * Writes a stream to a local file while hashing it, and keeps the file only if the bytes hash
 * to `sha256`. Every store's read goes through here, so none can hand on unverified bytes.
 */
export async function copyVerified(
  source: Readable,
  localFile: string,
  expected: { storageKey: string; sha256: string },
): Promise<void> {
  const hash = createHash('sha256');
  let bytes = 0;
  const digest = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, digest, createWriteStream(localFile));
    checkDigest(hash.digest('hex'), bytes, expected);
  } catch (err) {
    await rm(localFile, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Archives up to this size are read and written with synchronous calls (and stored so by
 * fs-artifact-store.ts): a preview's archive (~170 KB) took a dozen awaited calls streamed,
 * each 0.1-0.5 ms on this machine, against well under a millisecond of synchronous work.
 * Larger ones are streamed.
 */
export const SMALL_COPY_BYTES = 1024 * 1024;

/**
 * Copies a local file (a store's own copy) with the same check as copyVerified: reads it at
 * once when it is at most SMALL_COPY_BYTES, else streams it. A missing file throws ENOENT
 * before anything is written.
 */
export async function copyFileVerified(
  file: string,
  localFile: string,
  expected: { storageKey: string; sha256: string },
): Promise<void> {
  const fd = openSync(file, 'r');
  let bytes: Buffer | undefined;
  try {
    bytes = readIfSmall(fd, SMALL_COPY_BYTES);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  if (!bytes) return copyVerified(createReadStream(file, { fd }), localFile, expected);
  closeSync(fd);
  checkDigest(createHash('sha256').update(bytes).digest('hex'), bytes.length, expected);
  try {
    writeFileSync(localFile, bytes);
  } catch (err) {
    // Cut short (a full disk): no part of it stays behind.
    rmSync(localFile, { force: true });
    throw err;
  }
}

/** Throws ArtifactIntegrityError unless `actual` (of `byteCount` bytes) is the expected digest. */
function checkDigest(
  actual: string,
  byteCount: number,
  expected: { storageKey: string; sha256: string },
): void {
  if (actual !== expected.sha256)
    throw new ArtifactIntegrityError(
      expected.storageKey,
      `${byteCount} bytes hash to ${actual}, expected ${expected.sha256}`,
    );
}
