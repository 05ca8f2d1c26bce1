import { lstat, open, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * Brotli and gzip copies of a site's text files, written beside them at packaging time
 * (`app.js` → `app.js.br`, `app.js.gz`) so the site host can send them without compressing
 * on every request. The packager, the host and the Cloudflare deployer share these rules so
 * that what one writes the others recognise.
 */

export type ContentEncoding = 'br' | 'gzip';

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
 * Brotli at quality 11 is the smallest and the slowest (about 0.25 s per 100 KB on this
 * 2-core machine, more when it is busy); past this size a file gets quality 6, ~10% larger
 * and ~10x faster. Packaging is on the path from prompt to preview, so an app's main bundle
 * (usually 150–300 KB) must not add half a second to every build; HTML, CSS and small chunks
 * still get the smallest copy.
 */
export const BROTLI_MAX_QUALITY_BYTES = 64 * 1024;

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
/** Files compressed at once: the work runs on libuv's pool, which the rest of the worker shares. */
const CONCURRENCY = 2;

/**
 * Writes `.br` and `.gz` siblings for every text file of `root` of at least MIN_COMPRESS_BYTES
 * where the encoding makes it smaller, and removes siblings that would not be ours (so a
 * sibling always holds exactly its file's bytes). Walks real directories only, never follows
 * a symlink, and creates siblings exclusively (a name that is a link is removed first, so
 * nothing is ever written outside `root`). `exclude` leaves paths out as packaging does.
 */
export async function writeCompressedSiblings(
  root: string,
  exclude: (rel: string) => boolean = () => false,
): Promise<CompressionStats> {
  const started = performance.now();
  const files = (await regularFiles(root, exclude)).filter(isCompressible);
  const stats = { files: 0, originalBytes: 0, brotliBytes: 0, gzipBytes: 0 };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) {
      const rel = files[i] as string;
      const sizes = await compressOne(path.join(root, rel));
      if (!sizes) continue;
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

/** Sizes of one file and of the siblings kept; undefined when none was worth keeping. */
async function compressOne(
  file: string,
): Promise<{ original: number; br?: number; gzip?: number } | undefined> {
  const bytes = await readFile(file);
  const sizes: { original: number; br?: number; gzip?: number } = { original: bytes.length };
  for (const encoding of ['br', 'gzip'] as const) {
    const sibling = file + SIBLING_SUFFIX[encoding];
    // Whatever was there (the build's own, a link) is replaced or dropped.
    await rm(sibling, { force: true, recursive: true });
    if (bytes.length < MIN_COMPRESS_BYTES) continue;
    const packed = await compress(bytes, encoding);
    if (packed.length >= bytes.length) continue;
    const handle = await open(sibling, 'wx');
    try {
      await handle.writeFile(packed);
    } finally {
      await handle.close();
    }
    sizes[encoding] = packed.length;
  }
  return sizes.br === undefined && sizes.gzip === undefined ? undefined : sizes;
}

export function compress(bytes: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  if (encoding === 'gzip') return gzipAsync(bytes, { level: 9 });
  return brotli(bytes, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: bytes.length > BROTLI_MAX_QUALITY_BYTES ? 6 : 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

/** Regular files under `root` (relative, forward slashes), through real directories only. */
async function regularFiles(root: string, exclude: (rel: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const dirs = [''];
  for (let dir = dirs.pop(); dir !== undefined; dir = dirs.pop()) {
    for (const name of await readdir(path.join(root, dir))) {
      const rel = dir ? `${dir}/${name}` : name;
      if (exclude(rel)) continue;
      const st = await lstat(path.join(root, rel));
      if (st.isDirectory()) dirs.push(rel);
      else if (st.isFile()) out.push(rel);
    }
  }
  return out.sort();
}
