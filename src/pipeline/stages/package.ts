import path from 'node:path';
import {
  replacedBySiblings,
  precompress,
  writeCompressedSiblings,
  type CompressionStats,
  type Precompressed,
  type WrittenSibling,
} from '../../artifacts/compressed-siblings.js';
import type { SiblingCache } from '../../artifacts/compression-cache.js';
import {
  archiveFor,
  ArtifactLimitError,
  checkSize,
  entryBytes,
  listTree,
  type Packed,
} from '../../artifacts/tarball.js';
import { classifyFailure } from '../../build/classify.js';
import { detectOutputDir } from '../../build/detect.js';
import { measureDisk } from '../../sandbox/disk-watch.js';
import type { BuildRun } from '../context.js';
import { StageFailure } from '../failure.js';
import { withScratchFile } from '../leftovers.js';

// Found at packaging, caused by what the steps before it wrote.
const OVER_DISK = {
  step: 'build',
  exitCode: null,
  timedOut: false,
  stdout: '',
  stderr: '',
} as const;

/** Text files compressed ahead hold at most this much together (the copies are in memory). */
const AHEAD_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Once the bundle is done and while the type check beside it still runs: compresses the
 * output's text files in memory, so packaging, which waits for the check, finds that work
 * done. Nothing is written to the workspace before the check ends (its run's disk limit
 * counts the workspace); a file changed since is compressed again at packaging.
 */
export function compressAhead(run: BuildRun): void {
  const { workspace, state } = run;
  const ahead = (async () => {
    const outputDir = await detectOutputDir(
      workspace.root,
      state.framework ?? 'static',
      state.packageJson,
    );
    if (!outputDir) return undefined;
    const root = path.resolve(workspace.root, outputDir);
    const tree = await listTree(root, notPackaged(outputDir));
    const cache = siblingCache(run);
    return { root, compressed: await precompress(root, tree.files, AHEAD_MAX_BYTES, cache) };
  })();
  ahead.catch(() => undefined); // awaited at packaging, where a failure only means no help
  state.compressedAhead = ahead;
}

export async function packageStage(run: BuildRun): Promise<void> {
  const { workspace, state, deps } = run;
  const ahead = state.compressedAhead;
  delete state.compressedAhead;
  const framework = state.framework ?? 'static';
  const outputDir = await detectOutputDir(workspace.root, framework, state.packageJson);
  if (!outputDir) {
    throw new StageFailure(
      'BUILD_NO_OUTPUT',
      'The build finished but produced no index.html in dist/, build/ or out/.',
      'Check that the build script writes a static site (for Next.js, `output: "export"`).',
    );
  }
  state.outputDir = outputDir;
  const { space } = deps.settings;
  // The sandbox measured the workspace as each run ended; a build with no run is measured here.
  if (!state.diskMeasured && (await measureDisk([workspace.root])) > space.diskBytes)
    throw StageFailure.from(
      classifyFailure({ ...OVER_DISK, killedBySandbox: 'disk', limits: space }),
    );
  await withScratchFile(deps.settings.dataDir, 'pkg', 'site.tar.gz', async (file) => {
    const root = path.resolve(workspace.root, outputDir);
    const made = await ahead?.catch(() => undefined);
    const compressed = made?.root === root ? made.compressed : undefined;
    const site = { root, exclude: notPackaged(outputDir), ...(compressed && { compressed }) };
    const { packed, compression } = await packSite(run, site, file).catch((err: unknown) => {
      throw err instanceof ArtifactLimitError ? outputTooLarge(err) : err;
    });
    const stored = await deps.artifactStore.put(file, packed.sha256, packed.sizeBytes);
    state.artifact = await deps.artifacts.record(stored, compression);
    run.log.emitSoon({
      type: 'package.done',
      stage: 'package',
      message: `Packaged ${outputDir}/ (${formatBytes(packed.sizeBytes)}).`,
      data: { outputDir, sha256: packed.sha256, sizeBytes: packed.sizeBytes },
    });
  });
}

/**
 * Archives the output while its brotli and gzip siblings are written: the files as built go
 * in first, each file's siblings as they are done (in file order, so the same site makes the
 * same archive). Compression and archiving overlap on the machine's cores.
 */
async function packSite(
  run: BuildRun,
  site: { root: string; exclude: (rel: string) => boolean; compressed?: Precompressed },
  file: string,
): Promise<{ packed: Packed; compression: CompressionStats }> {
  const { root } = site;
  const tree = await listTree(root, site.exclude);
  // The limit is on what the build wrote; the siblings are the worker's doing.
  checkSize(tree.tarBytes, run.deps.settings.space.diskBytes);
  // What the siblings replace (a stale copy, a folder in a copy's place) is not archived.
  const files = [...tree.files.keys()];
  const replaced = replacedBySiblings(files);
  const kept = files.filter((rel) => !replaced(rel));
  const archive = archiveFor(root, file, tree.tarBytes);
  let tarBytes = tree.tarBytes;
  for (const rel of tree.entries) {
    if (!replaced(rel)) archive.add(rel);
    else tarBytes -= entryBytes(rel, tree.files.get(rel) ?? 0);
  }
  archive.startCompressedPart();
  const onWritten = (siblings: readonly WrittenSibling[]) => {
    for (const sibling of siblings) {
      archive.add(sibling.rel);
      tarBytes += entryBytes(sibling.rel, sibling.size);
    }
  };
  const compression = await writeCompressedSiblings(root, kept, onWritten, {
    ahead: site.compressed,
    cache: siblingCache(run),
  }).catch(async (err: unknown) => {
    await archive.abort();
    throw err;
  });
  reportCompression(run, compression);
  return { packed: await archive.finish(tarBytes), compression };
}

/** The copies the build's user's earlier builds made (compression-cache.ts). */
function siblingCache(run: BuildRun): SiblingCache | undefined {
  return run.deps.compressionCache?.scope(run.build.userId);
}

/** Says what the siblings save (an event). */
function reportCompression(run: BuildRun, stats: CompressionStats): void {
  const percent = stats.originalBytes > 0 ? (100 * stats.savedBytes) / stats.originalBytes : 0;
  run.log.emitSoon({
    type: 'package.compressed',
    stage: 'package',
    message:
      stats.files === 0
        ? 'No text files worth compressing.'
        : `Compressed ${stats.files} text file${stats.files === 1 ? '' : 's'}: ${formatBytes(stats.originalBytes)} → ${formatBytes(stats.brotliBytes)} with brotli (${percent.toFixed(0)}% saved), ${formatBytes(stats.gzipBytes)} with gzip, in ${stats.durationMs} ms.`,
    data: { ...stats },
  });
}

/** What packaging leaves out of an output directory (relative paths inside it). */
export function notPackaged(outputDir: string): (rel: string) => boolean {
  // A static site served from the project root must not ship its sources' tooling.
  return (rel) =>
    outputDir === '.' && /^(node_modules|\.git|package(-lock)?\.json)(\/|$)/.test(rel);
}

export function outputTooLarge(err: ArtifactLimitError): StageFailure {
  return new StageFailure(
    'BUILD_OUTPUT_TOO_LARGE',
    err.describe('The build output'),
    err.reason === 'depth'
      ? 'Flatten the folders the build writes.'
      : 'Leave large or generated filler files (media, source maps, copied dependencies) out of the output directory.',
  );
}

function formatBytes(n: number): string {
  return n < 1024
    ? `${n} B`
    : n < 1024 ** 2
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / 1024 ** 2).toFixed(1)} MiB`;
}
