import { createHash } from 'node:crypto';
import {
  createWriteStream,
  lstatSync,
  mkdirSync,
  readdirSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gunzipSync, gzip, gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { readFileIfSmall } from './small-file.js';

/**
 * node-tar aborts an extraction whose output grows past this multiple of the compressed bytes
 * read so far (its default, passed explicitly): a zip-bomb guard. An archive we write must
 * stay under it, or nothing could ever unpack it.
 */
export const MAX_UNPACK_RATIO = 1000;
/** Compressed bytes node-tar reads at a time when extracting (its default, passed explicitly). */
const READ_CHUNK_BYTES = 16 * 1024 * 1024;
/** node-tar refuses entries with more path segments than this (its default, passed explicitly). */
export const MAX_DEPTH = 1024;
const BLOCK = 512;

/** An archive that must not be written, or cannot be unpacked, because of a limit. */
export class ArtifactLimitError extends Error {
  constructor(
    readonly reason: 'size' | 'ratio' | 'depth',
    /** What the archive holds (tar bytes, headers included). */
    readonly bytes: number,
    readonly limitBytes?: number,
  ) {
    super(`artifact refused (${reason}): ${bytes} bytes`);
    this.name = 'ArtifactLimitError';
  }

  /** A sentence for people about `what` ("The build output"). */
  describe(what: string): string {
    const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
    switch (this.reason) {
      case 'size':
        return `${what} is ${mb(this.bytes)}, more than the ${mb(this.limitBytes ?? 0)} one build may publish.`;
      case 'ratio':
        return `${what} is ${mb(this.bytes)} of almost identical bytes (it compresses more than ${MAX_UNPACK_RATIO} to 1), which previews refuse to unpack.`;
      case 'depth':
        return `${what} nests folders deeper than ${MAX_DEPTH} levels, which cannot be packaged.`;
    }
  }
}

/** A gzipped tarball as written: its digest and size. */
export interface Packed {
  sha256: string;
  sizeBytes: number;
}

/**
 * Packs a directory into a gzipped tarball of regular files and directories only: symlinks,
 * devices and the like never enter an artifact, so nothing served later can point outside it.
 * Refuses (ArtifactLimitError) contents over `maxBytes`, nesting deeper than tar unpacks, and
 * archives that compress too well to be unpacked again.
 */
export async function packDirectory(
  dir: string,
  outFile: string,
  exclude: (relPath: string) => boolean = () => false,
  limits: { maxBytes?: number } = {},
): Promise<Packed> {
  // Measured before tar reads anything, so an oversized tree costs a walk, not a compression.
  const tree = await listTree(dir, exclude);
  checkSize(tree.tarBytes, limits.maxBytes);
  const archive = archiveFor(dir, outFile, tree.tarBytes);
  for (const rel of tree.entries) archive.add(rel);
  return archive.finish(tree.tarBytes);
}

export function checkSize(tarBytes: number, maxBytes: number | undefined): void {
  if (maxBytes !== undefined && tarBytes > maxBytes)
    throw new ArtifactLimitError('size', tarBytes, maxBytes);
}

/** A tarball being written, one entry at a time, while its entries may still be in the making. */
export interface Archive {
  /** Adds a directory (without its contents) or a regular file of the packed directory. */
  add(rel: string): void;
  /**
   * Says that the entries added from here on are compressed already (a site's brotli and gzip
   * siblings). An archive made in memory stores them as they are, in a gzip member of their
   * own, and deflates the entries before them meanwhile; a streamed one deflates all alike.
   */
  startCompressedPart(): void;
  /**
   * Ends the archive and waits for it to be on disk. `tarBytes` is what the entries added make
   * uncompressed (listTree and entryBytes), for the unpack-ratio check.
   */
  finish(tarBytes: number): Promise<Packed>;
  /** Stops writing after a failure elsewhere; resolves once the file is closed. */
  abort(): Promise<void>;
}

/**
 * Starts a gzipped tarball of entries of `dir`, in the order they are added. Compression runs
 * on libuv's pool, not the event loop, and the digest is taken as the bytes are written.
 */
export function openArchive(dir: string, outFile: string): Archive {
  const pack = new tar.Pack(packOptions(dir));
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const gzip = createGzip({ level: GZIP_LEVEL });
  pack.on('error', (err: unknown) => gzip.destroy(err as Error));
  pack.pipe(gzip);
  const digest = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      callback(null, chunk);
    },
  });
  const written = pipeline(gzip, digest, createWriteStream(outFile));
  // Awaited by finish or abort; a failure before either (the file cannot be created) waits there.
  written.catch(() => undefined);
  return {
    add: (rel) => void pack.add(rel),
    startCompressedPart: () => undefined,
    async finish(tarBytes) {
      pack.end();
      await written;
      checkRatio(tarBytes, sizeBytes);
      return { sha256: hash.digest('hex'), sizeBytes };
    },
    async abort() {
      gzip.destroy(new Error('archive aborted'));
      await written.catch(() => undefined);
    },
  };
}

/**
 * Trees up to this size are archived in memory (openArchiveInMemory): tar reads each entry
 * with synchronous calls as it is added (a source tree of a few dozen files took ~25 ms of
 * waits on libuv's pool, each call ~0.1-0.5 ms here, against ~2 ms on the event loop). Larger
 * trees stream (openArchive), which never blocks the loop.
 */
const PACK_IN_LOOP_MAX_BYTES = 512 * 1024;
const GZIP_LEVEL = 6;
const gzipAsync = promisify(gzip);

/** The archive for a tree of `tarBytes` (listTree): made in memory when small, else streamed. */
export function archiveFor(dir: string, outFile: string, tarBytes: number): Archive {
  return tarBytes <= PACK_IN_LOOP_MAX_BYTES
    ? openArchiveInMemory(dir, outFile)
    : openArchive(dir, outFile);
}

/**
 * An archive whose tar is made on the event loop and deflated part by part: each part is a
 * gzip member of its own (a gzip file may hold several, which gunzip and tar read as one
 * stream). A compressed part is stored, not deflated again: a site's siblings cost ~3 ms of
 * deflate for nothing. The entries before it are deflated on libuv's pool while the siblings
 * are still being made; the last part, with nothing left to overlap, on the event loop (on a
 * busy pool a source snapshot's deflate waited several ms for ~1 ms of work). The file is
 * written at the end, with one synchronous call.
 */
function openArchiveInMemory(dir: string, outFile: string): Archive {
  const pack = new tar.PackSync(packOptions(dir));
  let part: Buffer[] = [];
  let compressed = false;
  let failure: { err: unknown } | undefined;
  const members: Array<Promise<Buffer>> = [];
  // PackSync emits each entry's bytes within add().
  pack.on('data', (chunk: Buffer) => part.push(chunk));
  pack.on('error', (err: unknown) => (failure ??= { err }));
  const cut = (level: number, deflate: typeof gzipAsync) => {
    if (part.length > 0) members.push(deflate(Buffer.concat(part), { level }));
    part = [];
  };
  return {
    add(rel) {
      if (!failure) pack.add(rel);
    },
    startCompressedPart() {
      if (compressed) return;
      cut(GZIP_LEVEL, gzipAsync);
      compressed = true;
    },
    async finish(tarBytes) {
      // A compressed part holding nothing but the trailer is deflated like the rest.
      const stored = compressed && part.length > 0;
      pack.end();
      cut(stored ? 0 : GZIP_LEVEL, async (bytes, options) => gzipSync(bytes, options));
      const gzipped = Buffer.concat(await Promise.all(members));
      if (failure) throw failure.err;
      checkRatio(tarBytes, gzipped.length);
      writeFileSync(outFile, gzipped);
      const sha256 = createHash('sha256').update(gzipped).digest('hex');
      return { sha256, sizeBytes: gzipped.length };
    },
    async abort() {
      await Promise.allSettled(members);
    },
  };
}

function packOptions(dir: string) {
  return {
    cwd: dir,
    portable: true,
    noMtime: true,
    follow: false,
    noDirRecurse: true,
    // Checked again as tar reads each entry: one swapped for a link since the walk is dropped.
    filter: (_p: string, entry: Partial<Stats>) => packable(entry),
  };
}

/**
 * Extraction checks the ratio after every chunk it reads; the first chunk is the whole file
 * or READ_CHUNK_BYTES, so this bound is the largest ratio it can ever see.
 */
function checkRatio(tarBytes: number, gzippedBytes: number): void {
  if (tarBytes / Math.min(gzippedBytes, READ_CHUNK_BYTES) > MAX_UNPACK_RATIO)
    throw new ArtifactLimitError('ratio', tarBytes);
}

function packable(entry: Partial<Stats>): boolean {
  return Boolean(entry.isFile?.() || entry.isDirectory?.());
}

/** What a walk of a directory found, in the order an archive holds it. */
export interface Tree {
  /** Directories and regular files (relative, forward slashes), a directory before its contents. */
  entries: string[];
  /** The regular files among them, with their sizes. */
  files: Map<string, number>;
  /** An upper bound of the uncompressed tar of the entries, trailer included. */
  tarBytes: number;
}

/** Entries listed between two turns of the event loop (see listTree). */
const LIST_SLICE = 256;

/**
 * Walks `root` through real directories only (a link is neither followed nor listed), leaving
 * out what `exclude` names. Refuses nesting deeper than tar unpacks. Every snapshot and every
 * package walks a tree, so the walk uses synchronous calls (a few µs each here, where an
 * awaited one is 0.1-0.5 ms: a 40-entry source tree took 6 ms) in slices of LIST_SLICE
 * entries, with a turn of the event loop between slices.
 */
export async function listTree(root: string, exclude: (relPath: string) => boolean): Promise<Tree> {
  const tree: Tree = { entries: [], files: new Map(), tarBytes: 2 * BLOCK };
  const dirs: Array<{ rel: string; depth: number }> = [{ rel: '', depth: 0 }];
  let listed = 0;
  for (let d = dirs.pop(); d !== undefined; d = dirs.pop()) {
    // Entries below would have more segments than tar unpacks (with a './' prefix, one more).
    if (d.depth >= MAX_DEPTH - 2) throw new ArtifactLimitError('depth', tree.tarBytes);
    if (d.rel) tree.entries.push(d.rel);
    const below: Array<{ rel: string; depth: number }> = [];
    for (const name of readdirOrDeep(path.join(root, d.rel), tree.tarBytes).sort()) {
      if (++listed % LIST_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const rel = d.rel ? `${d.rel}/${name}` : name;
      if (exclude(rel)) continue;
      const st = lstatOrDeep(path.join(root, rel), tree.tarBytes);
      if (!st || !packable(st)) continue;
      if (st.isFile()) {
        tree.entries.push(rel);
        tree.files.set(rel, st.size);
        tree.tarBytes += entryBytes(rel, st.size);
      } else {
        tree.tarBytes += entryBytes(rel, 0);
        below.push({ rel, depth: d.depth + 1 });
      }
    }
    // Popped next, in name order; each is listed before what it holds.
    for (const sub of below.reverse()) dirs.push(sub);
  }
  return tree;
}

/** The tar bytes of one entry: a header (two more blocks for a long name), data in whole blocks. */
export function entryBytes(rel: string, size: number): number {
  return BLOCK + (rel.length > 99 ? 2 * BLOCK + roundUp(rel.length) : 0) + roundUp(size);
}

const roundUp = (n: number) => Math.ceil(n / BLOCK) * BLOCK;

// A path longer than the OS allows exists only in a tree nested past any sane depth.
function readdirOrDeep(dir: string, bytes: number): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENAMETOOLONG')
      throw new ArtifactLimitError('depth', bytes);
    throw err;
  }
}

function lstatOrDeep(p: string, bytes: number): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENAMETOOLONG') throw new ArtifactLimitError('depth', bytes);
    if (code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Extracts only files and directories, never outside `dest` (node-tar refuses `..` paths). */
export async function extractTarball(file: string, dest: string): Promise<void> {
  mkdirSync(dest, { recursive: true });
  try {
    if (!(await extractInLoop(file, dest))) {
      await tar.extract({
        file,
        ...unpackOptions(dest),
        maxDecompressionRatio: MAX_UNPACK_RATIO,
        maxReadSize: READ_CHUNK_BYTES,
      });
    }
  } catch (err) {
    // node-tar rejects while file writes it already started are still landing: a failed
    // extraction leaves nothing behind, retrying the removal until those writes are done.
    await rm(dest, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }).catch(
      () => undefined,
    );
    // An archive written before these checks existed: a typed refusal, not an internal error.
    const message = err instanceof Error ? err.message : '';
    if (/max decompression ratio exceeded/.test(message))
      throw new ArtifactLimitError('ratio', (await stat(file)).size * MAX_UNPACK_RATIO);
    if (/path excessively deep/.test(message)) throw new ArtifactLimitError('depth', 0);
    throw err;
  }
}

/**
 * Archives up to these sizes (gzipped, and unpacked: decompression stops past it) are read
 * whole and unpacked with synchronous calls, as small archives are made: a preview of ten
 * files took ~10 ms of waits on libuv's pool. Anything larger streams, with node-tar's ratio
 * guard.
 */
const EXTRACT_IN_LOOP_MAX_BYTES = 1024 * 1024;
const EXTRACT_IN_LOOP_MAX_UNPACKED_BYTES = 4 * 1024 * 1024;

/** Unpacks a small archive on the event loop; false, having written nothing, when it is not. */
async function extractInLoop(file: string, dest: string): Promise<boolean> {
  const gzipped = readFileIfSmall(file, EXTRACT_IN_LOOP_MAX_BYTES);
  if (!gzipped) return false;
  let tarBytes: Buffer;
  try {
    tarBytes = gunzipSync(gzipped, { maxOutputLength: EXTRACT_IN_LOOP_MAX_UNPACKED_BYTES });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return false;
    throw err;
  }
  new tar.UnpackSync(unpackOptions(dest)).end(tarBytes);
  return true;
}

function unpackOptions(dest: string) {
  return {
    cwd: dest,
    strict: true,
    preserveOwner: false,
    maxDepth: MAX_DEPTH,
    filter: (_p: string, entry: unknown) => {
      const type = (entry as { type?: string }).type;
      return type === 'File' || type === 'Directory' || type === 'OldFile';
    },
  };
}
