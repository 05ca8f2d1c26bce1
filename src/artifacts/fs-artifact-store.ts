import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  ArtifactNotFoundError,
  contentPath,
  type ArtifactRef,
  type ArtifactStore,
  type StoredArtifact,
} from './artifact-store.js';
import { copyFileVerified, SMALL_COPY_BYTES } from './verified-copy.js';

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
    if (sizeBytes <= SMALL_COPY_BYTES) storeSmall(localFile, target);
    else await store(localFile, target);
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

/**
 * Where a copy of `target` is made before it is renamed in. Unique per write: two builds
 * storing the same content at once (in one process, in the same millisecond) must not share a
 * copy, or the second rename finds it gone.
 */
const copyBeside = (target: string) =>
  `${target}.${process.pid}.${randomBytes(6).toString('hex')}${TMP_SUFFIX}`;

/** Copies `localFile` beside `target` and renames it in, unless that content is stored already. */
async function store(localFile: string, target: string): Promise<void> {
  if (await stat(target).catch(() => undefined)) return;
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = copyBeside(target);
  try {
    await copyFile(localFile, tmp);
    await rename(tmp, target);
  } finally {
    // A copy cut short (a full disk) must not stay behind; after the rename this is a no-op.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/**
 * The same with synchronous calls, for an archive of at most SMALL_COPY_BYTES (a preview's, a
 * source snapshot): its five awaited calls waited 2-3 ms on libuv's pool here, on the path of
 * every build, for well under a millisecond of work.
 */
function storeSmall(localFile: string, target: string): void {
  if (existsSync(target)) return;
  mkdirSync(path.dirname(target), { recursive: true });
  const tmp = copyBeside(target);
  try {
    copyFileSync(localFile, tmp);
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
}
