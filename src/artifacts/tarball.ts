import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { lstat, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';

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
): Promise<{ sha256: string; sizeBytes: number }> {
  // Measured before tar reads anything, so an oversized tree costs a walk, not a compression.
  const tarBytes = await tarSize(dir, exclude);
  if (limits.maxBytes !== undefined && tarBytes > limits.maxBytes)
    throw new ArtifactLimitError('size', tarBytes, limits.maxBytes);
  await tar.create(
    {
      gzip: { level: 6 },
      file: outFile,
      cwd: dir,
      portable: true,
      noMtime: true,
      follow: false,
      filter: (p, entry) => {
        const rel = p.replace(/^\.\//, '');
        if (rel !== '.' && exclude(rel)) return false;
        return packable(entry);
      },
    },
    ['.'],
  );
  const sizeBytes = (await stat(outFile)).size;
  // Extraction checks the ratio after every chunk it reads; the first chunk is the whole file
  // or READ_CHUNK_BYTES, so this bound is the largest ratio it can ever see.
  if (tarBytes / Math.min(sizeBytes, READ_CHUNK_BYTES) > MAX_UNPACK_RATIO)
    throw new ArtifactLimitError('ratio', tarBytes);
  return { sha256: await sha256File(outFile), sizeBytes };
}

function packable(entry: Partial<Stats>): boolean {
  return Boolean(entry.isFile?.() || entry.isDirectory?.());
}

/**
 * An upper bound of the uncompressed tar stream for what `packDirectory` would include: a
 * header per entry (two more blocks for a long name), file data in whole blocks, the trailer.
 */
async function tarSize(root: string, exclude: (relPath: string) => boolean): Promise<number> {
  let bytes = 2 * BLOCK;
  const dirs: Array<{ rel: string; depth: number }> = [{ rel: '', depth: 0 }];
  for (let d = dirs.pop(); d !== undefined; d = dirs.pop()) {
    // Entries below would have more segments than tar unpacks (its './' prefix is one more).
    if (d.depth >= MAX_DEPTH - 2) throw new ArtifactLimitError('depth', bytes);
    for (const name of await readdirOrDeep(path.join(root, d.rel), bytes)) {
      const rel = d.rel ? `${d.rel}/${name}` : name;
      if (exclude(rel)) continue;
      const st = await lstatOrDeep(path.join(root, rel), bytes);
      if (!st || !packable(st)) continue;
      bytes += BLOCK + (rel.length > 99 ? 2 * BLOCK + roundUp(rel.length) : 0);
      if (st.isFile()) bytes += roundUp(st.size);
      else dirs.push({ rel, depth: d.depth + 1 });
    }
  }
  return bytes;
}

const roundUp = (n: number) => Math.ceil(n / BLOCK) * BLOCK;

// A path longer than the OS allows exists only in a tree nested past any sane depth.
async function readdirOrDeep(dir: string, bytes: number): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENAMETOOLONG')
      throw new ArtifactLimitError('depth', bytes);
    throw err;
  }
}

async function lstatOrDeep(p: string, bytes: number): Promise<Stats | undefined> {
  try {
    return await lstat(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENAMETOOLONG') throw new ArtifactLimitError('depth', bytes);
    if (code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Extracts only files and directories, never outside `dest` (node-tar refuses `..` paths). */
export async function extractTarball(file: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true });
  try {
    await tar.extract({
      file,
      cwd: dest,
      strict: true,
      preserveOwner: false,
      maxDecompressionRatio: MAX_UNPACK_RATIO,
      maxReadSize: READ_CHUNK_BYTES,
      maxDepth: MAX_DEPTH,
      filter: (_p, entry) => {
        const type = (entry as { type?: string }).type;
        return type === 'File' || type === 'Directory' || type === 'OldFile';
      },
    });
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

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
