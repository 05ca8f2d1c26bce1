import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { TMP_SUFFIX } from '../artifacts/fs-artifact-store.js';
import { isPreviewStaging } from '../deploy/local-preview.js';
import { removeTree } from '../workspace/remove-tree.js';
import { scratchParent } from './leftovers.js';

export interface SweepOptions {
  dataDir: string;
  /** Ids of builds that are queued or running anywhere: their workspaces stay. */
  unfinishedBuilds: () => Promise<Set<string>>;
  /**
   * Staging and scratch files younger than this may belong to a live process (another worker
   * on the same DATA_DIR); 0 when this process is the only one that can use DATA_DIR.
   */
  staleMs: number;
  keepWorkspaces: boolean;
  now?: number;
}

export interface SweepReport {
  removed: string[];
  /** Leftovers that could not be removed (logged; the next sweep tries again). */
  failed: string[];
}

/**
 * What a crash leaves behind, removed at start-up: workspaces of builds that are no longer
 * queued or running, and staging files that no finished step cleaned up. A queued or running
 * build keeps its workspace: it resumes (here or on another worker) and cleans up when it ends.
 */
export async function sweepLeftovers(options: SweepOptions): Promise<SweepReport> {
  const report: SweepReport = { removed: [], failed: [] };
  const remove = async (p: string) => {
    ((await removeTree(p)) ? report.removed : report.failed).push(p);
  };
  // Listed before the database is asked: a workspace that exists now belongs to a build that
  // existed when the answer was computed, so a build started meanwhile is never swept.
  const workspaces = await entries(path.join(options.dataDir, 'workspaces'));
  if (!options.keepWorkspaces && workspaces.length > 0) {
    const unfinished = await options.unfinishedBuilds();
    for (const p of workspaces)
      if (!unfinished.has(path.basename(p).toUpperCase())) await remove(p);
  }
  for (const p of await stagingFiles(options.dataDir)) {
    if (await isStale(p, options)) await remove(p);
  }
  return report;
}

/** Every place a step writes a temporary file before moving or removing it. */
async function stagingFiles(dataDir: string): Promise<string[]> {
  const previews = await entries(path.join(dataDir, 'previews'));
  const deps = await entries(path.join(dataDir, 'cache', 'deps'));
  const artifactDirs = await entries(path.join(dataDir, 'artifacts', 'sha256'));
  const artifacts = (await Promise.all(artifactDirs.map(entries))).flat();
  return [
    ...previews.filter((p) => isPreviewStaging(path.basename(p))),
    // The dependency cache's staging directories (`<key>.tmp-<random>`) and trees it set aside
    // after a failed verification (`<key>.rejected-<random>`).
    ...deps.filter((p) => /\.(tmp|rejected)-/.test(path.basename(p))),
    // Install input directories (one per install attempt, removed when it ends).
    ...(await entries(path.join(dataDir, 'installs'))),
    ...artifacts.filter((p) => p.endsWith(TMP_SUFFIX)),
    // Sandbox HOME/TMPDIR of the process runner, package and source scratch directories.
    ...(await entries(scratchParent(dataDir))),
    // Scratch workspaces of POST /generate (removed when the request ends).
    ...(await entries(path.join(dataDir, 'generate'))),
  ];
}

async function entries(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.map((name) => path.join(dir, name));
}

async function isStale(p: string, options: SweepOptions): Promise<boolean> {
  if (options.staleMs === 0) return true;
  const st = await lstat(p).catch(() => undefined);
  return st !== undefined && (options.now ?? Date.now()) - st.mtimeMs > options.staleMs;
}
