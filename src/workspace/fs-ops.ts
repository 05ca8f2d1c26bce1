/**
 * The filesystem calls a workspace write makes (workspace.ts), in two flavours with the same
 * meaning: through libuv's pool, or inline with synchronous calls.
 *
 * A generated app is a few dozen small files: writing one checks each path component with
 * lstat, makes missing parents, then opens, writes and closes the file, about 150 calls for
 * the batch. Creating a file costs ~0.25 ms on this machine's disk either way; through the
 * pool each call also waited its turn (behind the last build's clean-up, a compression), and
 * a batch of ~19 files took 10-17 ms of wall time in warm builds back to back, against 5-11 ms
 * inline (measured in the write itself). Inline holds the event loop that long, so only
 * small batches go that way; large ones still go through the pool.
 */
import {
  closeSync,
  constants as fsConstants,
  lstatSync,
  mkdirSync,
  openSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import * as fs from 'node:fs/promises';
import { WorkspaceError } from './paths.js';

export interface FsOps {
  /** The entry's stats, undefined when it (or a parent) does not exist. */
  lstat(abs: string): Promise<Stats | undefined>;
  mkdirp(abs: string): Promise<void>;
  /** Creates or truncates a file and writes it; the last component is never followed. */
  writeNoFollow(abs: string, bytes: Uint8Array, shown: string): Promise<void>;
  /** Files written at once. */
  lanes: number;
}

/** Batches up to these sizes are written inline (a generated app is ~50-300 KB). */
export const INLINE_MAX_BYTES = 1024 * 1024;
export const INLINE_MAX_FILES = 200;

/** Opens refuse a symlink as the last component (0 where the platform has no such flag). */
export const NOFOLLOW = fsConstants.O_NOFOLLOW ?? 0;
const WRITE_FLAGS = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC | NOFOLLOW;

export function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The error a write through a symlink gets (O_NOFOLLOW refused the last component). */
function openFailure(err: unknown, shown: string): unknown {
  return (err as NodeJS.ErrnoException).code === 'ELOOP'
    ? new WorkspaceError('symlink', shown, 'The target is a symlink.')
    : err;
}

export const POOLED: FsOps = {
  async lstat(abs) {
    try {
      return await fs.lstat(abs);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  },
  async mkdirp(abs) {
    await fs.mkdir(abs, { recursive: true });
  },
  async writeNoFollow(abs, bytes, shown) {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(abs, WRITE_FLAGS, 0o644);
    } catch (err) {
      throw openFailure(err, shown);
    }
    try {
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
  },
  // Enough to keep the pool busy, far from any fd limit.
  lanes: 16,
};

export const INLINE: FsOps = {
  async lstat(abs) {
    try {
      return lstatSync(abs);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  },
  async mkdirp(abs) {
    mkdirSync(abs, { recursive: true });
  },
  async writeNoFollow(abs, bytes, shown) {
    let fd: number;
    try {
      fd = openSync(abs, WRITE_FLAGS, 0o644);
    } catch (err) {
      throw openFailure(err, shown);
    }
    try {
      writeFileSync(fd, bytes);
    } finally {
      closeSync(fd);
    }
  },
  lanes: 1,
};
