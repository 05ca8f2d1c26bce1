/**
 * Contained file access for one build directory. Every path that arrives from a request or from
 * an AI engine goes through `Workspace`, so this module is the security boundary between
 * untrusted path strings and the host filesystem.
 *
 * Two independent layers guard each access:
 *  1. lexical validation (`resolve`): the string alone must name a location under the root;
 *  2. a filesystem walk (`guard`): no existing component between the root and the target may be
 *     a symlink, because a symlink is the one way a lexically clean path can still leave the root.
 * A race (someone swapping a directory for a symlink between the walk and the open) is possible
 * in principle; the final component is opened with O_NOFOLLOW to close the most direct variant,
 * and builds run one writer per workspace.
 */
import { constants as fsConstants, mkdirSync, realpathSync, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { WorkspaceTools } from '../ai/engine.js';
import { eachLimited } from '../each-limited.js';
import {
  INLINE,
  INLINE_MAX_BYTES,
  INLINE_MAX_FILES,
  isMissing,
  NOFOLLOW,
  POOLED,
  type FsOps,
} from './fs-ops.js';
import { PROTECTED_SEGMENTS, WorkspaceError, validateSegments } from './paths.js';

export { WorkspaceError, type WorkspaceErrorReason } from './paths.js';

export interface WorkspaceLimits {
  maxFileBytes: number;
  maxTotalBytes: number;
  maxFiles: number;
}

export const DEFAULT_WORKSPACE_LIMITS: WorkspaceLimits = Object.freeze({
  maxFileBytes: 2 * 1024 * 1024,
  maxTotalBytes: 50 * 1024 * 1024,
  maxFiles: 2000,
});

interface FileWrite {
  relPath: string;
  segments: string[];
  bytes: Uint8Array;
}

/** Directories `listFiles` does not descend into: dependencies, VCS data and build output. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', '.next']);

function mergeLimits(limits: Partial<WorkspaceLimits> | undefined): WorkspaceLimits {
  const merged = { ...DEFAULT_WORKSPACE_LIMITS, ...limits };
  for (const [key, value] of Object.entries(merged)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new RangeError(`Workspace limit ${key} must be a positive integer.`);
    }
  }
  return merged;
}

export class Workspace {
  readonly root: string;
  readonly limits: WorkspaceLimits;
  #totalBytes = 0;
  #fileCount = 0;
  // Mutations run one at a time so that the limit checks and the counters cannot be raced by two
  // concurrent writes from the same engine.
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(root: string, limits: WorkspaceLimits) {
    this.root = root;
    this.limits = limits;
  }

  /**
   * Creates the directory (and parents) if needed and opens it. A directory made here is
   * empty: it is opened without a walk, and with synchronous calls (a build's start waited
   * ~5-10 ms for these few calls through libuv's pool while the last build's clean-up held it).
   */
  static async create(root: string, limits?: Partial<WorkspaceLimits>): Promise<Workspace> {
    if (mkdirSync(root, { recursive: true }) === undefined) return Workspace.open(root, limits);
    return new Workspace(realpathSync(root), mergeLimits(limits));
  }

  /** Opens an existing directory; counts its files so limits hold across reopenings. */
  static async open(root: string, limits?: Partial<WorkspaceLimits>): Promise<Workspace> {
    const merged = mergeLimits(limits);
    let real: string;
    try {
      real = await fs.realpath(root);
    } catch (err) {
      if (isMissing(err))
        throw new WorkspaceError('invalid', root, 'Workspace root does not exist.');
      throw err;
    }
    if (!(await fs.stat(real)).isDirectory()) {
      throw new WorkspaceError('invalid', root, 'Workspace root is not a directory.');
    }
    const workspace = new Workspace(real, merged);
    await workspace.#countFromDisk();
    return workspace;
  }

  /** Validates `relPath` lexically and returns the absolute path under the root. */
  resolve(relPath: string): string {
    return path.join(this.root, ...validateSegments(relPath, false));
  }

  async writeFile(relPath: string, content: string | Uint8Array): Promise<void> {
    await this.writeFiles([[relPath, content]]);
  }

  /**
   * Writes files as one mutation. Each is checked as a lone write is (its path, its size, the
   * walk from the root, the limits, now over the whole batch) before any is written; then
   * they are written side by side. A generated app is dozens of files, and one at a time each
   * waited for five filesystem calls in turn. A later entry for a path replaces an earlier one.
   */
  async writeFiles(files: ReadonlyArray<readonly [string, string | Uint8Array]>): Promise<void> {
    const writes = new Map<string, FileWrite>();
    for (const [relPath, content] of files) {
      const segments = validateSegments(relPath, false);
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      if (bytes.byteLength > this.limits.maxFileBytes) {
        throw new WorkspaceError(
          'too_large',
          relPath,
          `File is ${bytes.byteLength} bytes; the limit is ${this.limits.maxFileBytes}.`,
        );
      }
      writes.set(segments.join('/'), { relPath, segments, bytes });
    }
    await this.#serialise(() => this.#writeChecked([...writes.values()]));
  }

  async #writeChecked(writes: FileWrite[]): Promise<void> {
    const bytes = writes.reduce((sum, w) => sum + w.bytes.byteLength, 0);
    const ops = bytes <= INLINE_MAX_BYTES && writes.length <= INLINE_MAX_FILES ? INLINE : POOLED;
    const walks = await Promise.all(writes.map((w) => this.#walk(w.segments, w.relPath, ops)));
    let addedBytes = 0;
    let addedFiles = 0;
    for (const [index, write] of writes.entries()) {
      const existing = walks[index]?.stats;
      if (existing?.isDirectory()) {
        throw new WorkspaceError('invalid', write.relPath, 'A directory exists at this path.');
      }
      addedBytes += write.bytes.byteLength - (existing?.size ?? 0);
      if (!existing) addedFiles += 1;
      if (this.#totalBytes + addedBytes > this.limits.maxTotalBytes) {
        throw new WorkspaceError(
          'too_large',
          write.relPath,
          'The workspace would exceed its size limit.',
        );
      }
      if (this.#fileCount + addedFiles > this.limits.maxFiles) {
        throw new WorkspaceError(
          'too_many',
          write.relPath,
          'The workspace would exceed its file limit.',
        );
      }
    }
    const orphans = writes.filter((_, index) => !walks[index]?.parentsExist);
    if (orphans.length > 0) {
      const parents = new Set(orphans.map((w) => path.join(this.root, ...w.segments.slice(0, -1))));
      await Promise.all([...parents].map((dir) => ops.mkdirp(dir)));
      // Walked again after mkdir: the parents now exist and must still be plain directories.
      await Promise.all(orphans.map((w) => this.#walk(w.segments, w.relPath, ops)));
    }
    try {
      await eachLimited(writes, ops.lanes, (write) =>
        ops.writeNoFollow(path.join(this.root, ...write.segments), write.bytes, write.relPath),
      );
    } catch (err) {
      // A failed write may have truncated a file: count what is on disk now.
      await this.#countFromDisk();
      throw err;
    }
    this.#totalBytes += addedBytes;
    this.#fileCount += addedFiles;
  }

  async readFile(relPath: string): Promise<string> {
    const segments = validateSegments(relPath, false);
    const existing = await this.#guard(segments, relPath);
    const abs = path.join(this.root, ...segments);
    if (!existing) {
      // Same code as fs would raise, but without the host path: engines echo errors to models.
      throw Object.assign(new Error(`No such file: ${relPath}`), { code: 'ENOENT' });
    }
    if (!existing.isFile()) throw new WorkspaceError('invalid', relPath, 'Not a regular file.');
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(abs, fsConstants.O_RDONLY | NOFOLLOW);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOOP') {
        throw new WorkspaceError('symlink', relPath, 'The target is a symlink.');
      }
      throw err;
    }
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  }

  /** Deletes a file; deleting a file that does not exist is not an error. */
  async deleteFile(relPath: string): Promise<void> {
    const segments = validateSegments(relPath, false);
    await this.#serialise(async () => {
      const existing = await this.#guard(segments, relPath);
      if (!existing) return;
      if (!existing.isFile()) throw new WorkspaceError('invalid', relPath, 'Not a regular file.');
      await fs.unlink(path.join(this.root, ...segments));
      this.#totalBytes = Math.max(0, this.#totalBytes - existing.size);
      this.#fileCount = Math.max(0, this.#fileCount - 1);
    });
  }

  async exists(relPath: string): Promise<boolean> {
    return (await this.#guard(validateSegments(relPath, false), relPath)) !== undefined;
  }

  /**
   * Lists regular files under `dir` (default: the root) as root-relative POSIX paths, sorted.
   * Skips dependency, VCS and build-output directories below `dir`, and never follows symlinks.
   */
  async listFiles(dir?: string): Promise<string[]> {
    const segments = validateSegments(dir ?? '', true);
    const existing = segments.length === 0 ? undefined : await this.#guard(segments, dir ?? '');
    if (segments.length > 0 && !existing?.isDirectory()) return [];
    const out: string[] = [];
    await walk(path.join(this.root, ...segments), segments.join('/'), true, (rel) => {
      out.push(rel);
    });
    return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Bytes in regular files outside node_modules and .git (the part this class can write). */
  async totalBytes(): Promise<number> {
    await this.#queue;
    return this.#totalBytes;
  }

  /** The engine-facing adapter; functions are bound so engines may destructure them. */
  tools(): WorkspaceTools {
    return {
      writeFile: (p, content) => this.writeFile(p, content),
      writeFiles: (files) => this.writeFiles(files),
      readFile: (p) => this.readFile(p),
      listFiles: (dir) => this.listFiles(dir),
      deleteFile: (p) => this.deleteFile(p),
    };
  }

  /**
   * Walks every existing component from the root to the target with lstat. Refuses if any is a
   * symlink, and if the target is a file with more than one hard link (a hard link made to a file
   * outside the root would otherwise be read or truncated in place). Returns the target's stats,
   * or undefined if it does not exist.
   */
  async #guard(segments: string[], shown: string): Promise<Stats | undefined> {
    return (await this.#walk(segments, shown)).stats;
  }

  /** The guard's walk; `parentsExist` says every parent was found as a plain directory. */
  async #walk(
    segments: string[],
    shown: string,
    ops: FsOps = POOLED,
  ): Promise<{ stats: Stats | undefined; parentsExist: boolean }> {
    let current = this.root;
    let stats: Stats | undefined;
    for (const [index, segment] of segments.entries()) {
      const last = index === segments.length - 1;
      current = path.join(current, segment);
      stats = await ops.lstat(current);
      if (!stats) return { stats: undefined, parentsExist: last };
      if (stats.isSymbolicLink()) {
        throw new WorkspaceError('symlink', shown, 'The path passes through a symlink.');
      }
      if (!last && !stats.isDirectory()) return { stats: undefined, parentsExist: false };
      if (last && stats.isFile() && stats.nlink > 1) {
        throw new WorkspaceError('symlink', shown, 'The target is a hard link.');
      }
    }
    return { stats, parentsExist: true };
  }

  async #serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #countFromDisk(): Promise<void> {
    let bytes = 0;
    let files = 0;
    await walk(this.root, '', false, (_rel, size) => {
      bytes += size;
      files += 1;
    });
    this.#totalBytes = bytes;
    this.#fileCount = files;
  }
}

/**
 * Depth-first walk over regular files, never following symlinks. `listing` selects the listing
 * skip set (dependencies and build output); accounting only skips the protected directories,
 * which this class can never write, so counts stay exact across reopenings.
 */
async function walk(
  abs: string,
  rel: string,
  listing: boolean,
  visit: (rel: string, size: number) => void,
): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(abs, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  for (const entry of entries) {
    const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
    const childAbs = path.join(abs, entry.name);
    if (entry.isDirectory()) {
      const skip = listing ? SKIPPED_DIRS : PROTECTED_SEGMENTS;
      if (!skip.has(entry.name)) await walk(childAbs, childRel, listing, visit);
    } else if (entry.isFile()) {
      const size = listing ? 0 : ((await POOLED.lstat(childAbs))?.size ?? 0);
      visit(childRel, size);
    }
  }
}
