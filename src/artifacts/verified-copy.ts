import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArtifactIntegrityError } from './artifact-store.js';

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
    const actual = hash.digest('hex');
    if (actual !== expected.sha256)
      throw new ArtifactIntegrityError(
        expected.storageKey,
        `${bytes} bytes hash to ${actual}, expected ${expected.sha256}`,
      );
  } catch (err) {
    await rm(localFile, { force: true }).catch(() => undefined);
    throw err;
  }
}
