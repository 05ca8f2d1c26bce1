import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  ArtifactNotFoundError,
  contentPath,
  type ArtifactRef,
  type ArtifactStore,
  type StoredArtifact,
} from './artifact-store.js';
import { copyFileVerified } from './verified-copy.js';

const KEY = /^sha256\/[0-9a-f]{2}\/[0-9a-f]{64}\.tar\.gz$/;
/** Suffix of a copy in progress; the start-up sweep removes stale ones. */
export const TMP_SUFFIX = '.tmp';

/** Artifacts as files under DATA_DIR/artifacts, named by hash, written atomically. */
export class FsArtifactStore implements ArtifactStore {
  readonly kind = 'fs';

  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error('invalid artifact key');
    return path.join(this.root, key);
  }

  async put(localFile: string, sha256: string, sizeBytes: number): Promise<StoredArtifact> {
    const storageKey = contentPath(sha256);
    const target = this.pathOf(storageKey);
    if (!(await this.exists(storageKey))) {
      await mkdir(path.dirname(target), { recursive: true });
      // Unique per write: two builds storing the same content at once (in one process, in the
      // same millisecond) must not share a copy, or the second rename finds it gone.
      const tmp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}${TMP_SUFFIX}`;
      try {
        await copyFile(localFile, tmp);
        await rename(tmp, target);
      } finally {
        // A copy cut short (a full disk) must not stay behind; after the rename this is a no-op.
        await rm(tmp, { force: true }).catch(() => undefined);
      }
    }
    return { sha256, sizeBytes, storageKind: 'fs', storageKey };
  }

  async fetch(artifact: ArtifactRef, localFile: string): Promise<void> {
    const file = this.pathOf(artifact.storageKey);
    // Opened first, so a missing file is told apart from one that fails its check.
    await copyFileVerified(file, localFile, artifact).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' && err.path === file
        ? new ArtifactNotFoundError(artifact.storageKey)
        : err;
    });
  }

  owns(storageKey: string): boolean {
    return KEY.test(storageKey);
  }

  async exists(storageKey: string): Promise<boolean> {
    try {
      await stat(this.pathOf(storageKey));
      return true;
    } catch {
      return false;
    }
  }

  async delete(storageKey: string): Promise<void> {
    await rm(this.pathOf(storageKey), { force: true });
  }
}
