import { lstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  brotliCompress,
  brotliCompressSync,
  constants,
  gzip,
  gzipSync,
  type BrotliOptions,
  type ZlibOptions,
} from 'node:zlib';
import type { EncodedCopies, SiblingCache } from './compression-cache.js';

/**
 * Brotli and gzip copies of a site's text files, written beside them at packaging time
 * (`app.js` → `app.js.br`, `app.js.gz`) so the site host can send them without compressing
 * on every request. The packager, the host and the Cloudflare deployer share these rules so
 * that what one writes the others recognise.
 */

export type ContentEncoding = 'br' | 'gzip';

/** Copies made every time: where no cache is given. */
const NO_CACHE: SiblingCache = { copies: (_bytes, make) => make() };

/** The encodings, in the order a file's siblings are written and reported. */
const ENCODINGS = ['br', 'gzip'] as const;

/** The file suffix of each encoding's sibling. */
export const SIBLING_SUFFIX: Readonly<Record<ContentEncoding, string>> = {
  br: '.br',
  gzip: '.gz',
};

/** Text types worth compressing; images, fonts and wasm are already compressed or binary. */
const TEXT_FILE = /\.(html?|css|js|mjs|cjs|json|webmanifest|svg|txt|xml|map|md)$/i;

/** Below this a compressed copy saves less than a packet and costs a file. */
export const MIN_COMPRESS_BYTES = 1024;

/**
 * Up to this size a file gets the smallest copies: brotli quality 11 and gzip level 9.
 * Brotli 11 costs about 1 ms per KB on this 2-core machine (more when it is busy); past this
 * size a file gets quality 6, ~7-10% larger and ~20x faster. Gzip 9 took 15-17 ms for a
 * 240 KB bundle against 7 ms at level 6, for 0.5% smaller output: past this size, level 6.
 * Packaging is on the path from prompt to preview: at 8 KB the slow settings take no longer
 * than the main bundle's fast ones beside them, so they never decide when a preview is live
 * (a 13 KB stylesheet at quality 11 took 12 ms, for 234 bytes less than quality 6).
 */
export const MAX_EFFORT_BYTES = 8 * 1024;

/** Whether a site file is of a type that gets (and is served with) compressed siblings. */
export function isCompressible(name: string): boolean {
  return TEXT_FILE.test(name);
}

/**
 * Whether `name` is the compressed sibling of another file of the site (`has` answers for
 * the other names): `app.js.br` beside `app.js`. A `.gz` download beside nothing, or beside
 * an image, is a file of its own.
 */
export function isCompressedSibling(name: string, has: (name: string) => boolean): boolean {
  for (const suffix of Object.values(SIBLING_SUFFIX)) {
    if (!name.endsWith(suffix)) continue;
    const original = name.slice(0, -suffix.length);
    if (isCompressible(original) && has(original)) return true;
  }
  return false;
}

/** What compressing a site saved: the bytes of the files that got siblings, before and after. */
export interface CompressionStats {
  /** Files that got at least one sibling. */
  files: number;
  /** Their bytes as built. */
  originalBytes: number;
  /** Their bytes as a client accepting brotli receives them (a file without a .br counts whole). */
  brotliBytes: number;
  /** The same for gzip. */
  gzipBytes: number;
  /** originalBytes - brotliBytes: what a brotli client saves on one load of every file. */
  savedBytes: number;
  durationMs: number;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
/**
 * Files compressed at once (each in both encodings): the work runs on libuv's pool, which the
 * rest of the worker shares.
 */
const CONCURRENCY = 2;

/** A sibling written: its path relative to the site and its size. */
export interface WrittenSibling {
  rel: string;
  size: number;
}

/**
 * Which entries of a listing (files and folders, relative paths) `writeCompressedSiblings`
 * replaces or removes when it is given the listing's `files`: whatever is in a sibling's place
 * of a compressible file (`app.js.gz`, and a folder of that name with all it holds).
 */
export function replacedBySiblings(files: readonly string[]): (rel: string) => boolean {
  const places = new Set(
    files
      .filter(isCompressible)
      .flatMap((rel) => Object.values(SIBLING_SUFFIX).map((suffix) => rel + suffix)),
  );
  return (rel) => {
    for (let end = rel.indexOf('/'); end !== -1; end = rel.indexOf('/', end + 1))
      if (places.has(rel.slice(0, end))) return true;
    return places.has(rel);
  };
}

/**
 * Writes `.br` and `.gz` siblings for the text files among `files` (regular files of `root`,
 * relative, as a walk of real directories found them) of at least MIN_COMPRESS_BYTES, where
 * the encoding makes them smaller, and removes siblings that would not be ours (so a sibling
 * always holds exactly its file's bytes). Siblings are created exclusively (a name that is a
 * link is removed first, so nothing is ever written outside `root`). `onWritten` hears of
 * each file's siblings in the order of `files`, so an archive fed from it is the same for
 * the same site. Copies come from `ahead` (made from the same bytes), else from `cache`.
 */
export async function writeCompressedSiblings(
  root: string,
  files: readonly string[],
  onWritten: (siblings: readonly WrittenSibling[]) => void = () => undefined,
  {
    ahead = new Map(),
    cache = NO_CACHE,
  }: { ahead?: Precompressed; cache?: SiblingCache | undefined } = {},
): Promise<CompressionStats> {
  const started = performance.now();
  const texts = files.filter(isCompressible);
  const stats = { files: 0, originalBytes: 0, brotliBytes: 0, gzipBytes: 0 };
  const done: Array<WrittenSibling[] | undefined> = [];
  let reported = 0;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < texts.length; i = next++) {
      const rel = texts[i] as string;
      const sizes = await compressOne(path.join(root, rel), ahead.get(rel), cache);
      done[i] = siblingsOf(rel, sizes);
      for (let d = done[reported]; d !== undefined; d = done[++reported]) onWritten(d);
      if (!sizes.br && !sizes.gzip) continue;
      stats.files += 1;
      stats.originalBytes += sizes.original;
      stats.brotliBytes += sizes.br ?? sizes.original;
      stats.gzipBytes += sizes.gzip ?? sizes.original;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return {
    ...stats,
    savedBytes: stats.originalBytes - stats.brotliBytes,
    durationMs: Math.round(performance.now() - started),
  };
}

interface Sizes {
  original: number;
  br?: number;
  gzip?: number;
}

function siblingsOf(rel: string, sizes: Sizes): WrittenSibling[] {
  return ENCODINGS.flatMap((encoding) => {
    const size = sizes[encoding];
    return size === undefined ? [] : [{ rel: rel + SIBLING_SUFFIX[encoding], size }];
  });
}

/**
 * Compressed copies of a site's text files made before the siblings may be written (while the
 * build's type check still runs in its workspace): by path relative to the site, the bytes
 * each was made from and both encodings. Used by writeCompressedSiblings only for a file whose
 * bytes are still the same.
 */
export type Precompressed = ReadonlyMap<string, CompressedCopies>;

/** A file's bytes and both encodings of them. */
export interface CompressedCopies extends EncodedCopies {
  bytes: Buffer;
}

/**
 * Compresses the text files among `files` (as writeCompressedSiblings would) and writes
 * nothing. Empty when they hold more than `maxBytes` together: the copies are held in memory.
 * One file and one encoding at a time: this runs while the type check still does, and
 * should take the core the finished bundle left, not the check's (with two tasks on the
 * pool, the check took ~30 ms longer than the compression saved).
 */
export async function precompress(
  root: string,
  files: ReadonlyMap<string, number>,
  maxBytes: number,
  cache: SiblingCache = NO_CACHE,
): Promise<Precompressed> {
  const texts = [...files].filter(
    ([rel, size]) => isCompressible(rel) && size >= MIN_COMPRESS_BYTES,
  );
  const out = new Map<string, CompressedCopies>();
  if (texts.reduce((sum, [, size]) => sum + size, 0) > maxBytes) return out;
  for (const [rel] of texts) {
    const bytes = await readFile(path.join(root, rel));
    const inTurn = async () => ({
      br: await compress(bytes, 'br'),
      gzip: await compress(bytes, 'gzip'),
    });
    out.set(rel, { bytes, ...(await cache.copies(bytes, inTurn)) });
  }
  return out;
}

/** Up to this size a file is read, and its siblings written, with synchronous calls. */
const SYNC_IO_BYTES = 1024 * 1024;

/**
 * Sizes of one file and of the siblings kept. Copies are made (both encodings at once, see
 * `compress` for where) only when they were not made ahead from the same bytes and are not
 * in the cache. A file up to SYNC_IO_BYTES (or held in memory ahead) is read, and its
 * siblings written, with synchronous calls: through libuv's pool, which compression and the
 * archive's deflate share, each of a file's half-dozen calls queued behind them.
 */
async function compressOne(
  file: string,
  ahead: CompressedCopies | undefined,
  cache: SiblingCache,
): Promise<Sizes> {
  const bytes = readForSyncWrites(file, ahead);
  if (!bytes) return compressPooled(file, ahead, cache);
  return writeSiblings(file, bytes, await copiesOf(bytes, ahead, cache));
}

/** The copies of `bytes`: made ahead, from the cache, or made now; none below the floor. */
async function copiesOf(
  bytes: Buffer,
  ahead: CompressedCopies | undefined,
  cache: SiblingCache,
): Promise<EncodedCopies | undefined> {
  if (bytes.length < MIN_COMPRESS_BYTES) return undefined;
  if (ahead?.bytes.equals(bytes)) return ahead;
  return cache.copies(bytes, () => bothAtOnce(bytes));
}

/**
 * The file's bytes when the synchronous path may take it: a regular file small enough (or
 * in memory ahead already), with no folder in its siblings' places. Else undefined.
 */
function readForSyncWrites(file: string, ahead?: CompressedCopies): Buffer | undefined {
  const stats = lstatSync(file, { throwIfNoEntry: false });
  if (!stats?.isFile()) return undefined;
  if (stats.size > SYNC_IO_BYTES && stats.size !== ahead?.bytes.length) return undefined;
  const places = ENCODINGS.map((encoding) => file + SIBLING_SUFFIX[encoding]);
  if (places.some((place) => lstatSync(place, { throwIfNoEntry: false })?.isDirectory()))
    return undefined;
  return readFileSync(file);
}

/**
 * Writes each copy smaller than the file as its sibling (created exclusively), and removes
 * whatever else is in the siblings' places (the build's own file, a link).
 */
function writeSiblings(file: string, bytes: Buffer, copies?: EncodedCopies): Sizes {
  const sizes: Sizes = { original: bytes.length };
  for (const encoding of ENCODINGS) {
    const sibling = file + SIBLING_SUFFIX[encoding];
    rmSync(sibling, { force: true });
    const packed = copies?.[encoding];
    if (!packed || packed.length >= bytes.length) continue;
    writeFileSync(sibling, packed, { flag: 'wx' });
    sizes[encoding] = packed.length;
  }
  return sizes;
}

/** compressOne through libuv's pool: large files, and folders in a sibling's place. */
async function compressPooled(
  file: string,
  ahead: CompressedCopies | undefined,
  cache: SiblingCache,
): Promise<Sizes> {
  const bytes = await readFile(file);
  const made = await copiesOf(bytes, ahead, cache);
  const kept = await Promise.all(
    ENCODINGS.map(async (encoding) => {
      const sibling = file + SIBLING_SUFFIX[encoding];
      // Whatever was there (the build's own, a link, a folder) is replaced or dropped.
      await rm(sibling, { force: true, recursive: true });
      const packed = made?.[encoding];
      if (!packed || packed.length >= bytes.length) return undefined;
      const handle = await open(sibling, 'wx');
      try {
        await handle.writeFile(packed);
      } finally {
        await handle.close();
      }
      return packed.length;
    }),
  );
  const [br, gzip] = kept;
  return { original: bytes.length, ...(br && { br }), ...(gzip && { gzip }) };
}

/** Both encodings of `bytes`, on two of libuv's threads. */
async function bothAtOnce(bytes: Buffer): Promise<EncodedCopies> {
  const [br, gzip] = await Promise.all([compress(bytes, 'br'), compress(bytes, 'gzip')]);
  return { br, gzip };
}

/**
 * Past MAX_EFFORT_BYTES and up to this size a file is compressed on the event loop: at the
 * fast settings a millisecond or two, which on libuv's pool, behind the archive's deflate and
 * beside the bundler started for the next build, took 8-14 ms to come back.
 */
const IN_LOOP_MAX_BYTES = 64 * 1024;

export async function compress(bytes: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  const small = bytes.length <= MAX_EFFORT_BYTES;
  const inLoop = !small && bytes.length <= IN_LOOP_MAX_BYTES;
  if (encoding === 'gzip') {
    const options: ZlibOptions = { level: small ? 9 : 6 };
    return inLoop ? gzipSync(bytes, options) : gzipAsync(bytes, options);
  }
  const options: BrotliOptions = {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: small ? 11 : 6,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  };
  return inLoop ? brotliCompressSync(bytes, options) : brotli(bytes, options);
}
