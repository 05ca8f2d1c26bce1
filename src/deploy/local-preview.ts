import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { extractTarball } from '../artifacts/tarball.js';
import { removeTree } from '../workspace/remove-tree.js';
import type { ArtifactRow } from '../repositories/artifacts.repo.js';
import type { Deployed, Deployer } from './deployer.js';
import { ULID_LOWER_SOURCE } from '../ids.js';

const BUILD_ID = new RegExp(`^${ULID_LOWER_SOURCE}$`);
const STAGING_PREFIX = '.';

/** Whether an entry of the previews directory is an unpack's staging file, never a preview. */
export function isPreviewStaging(name: string): boolean {
  return name.startsWith(STAGING_PREFIX);
}

export interface PreviewUrls {
  /** Host-based URL for a build, e.g. http://build-<id>.localhost:8080/ */
  forBuild(buildId: string): string;
  /** A published project's production URL, e.g. http://sunrise-bakery.localhost:8080/ */
  forProduction(slug: string): string;
  /** The port the server actually listens on (PORT=0 picks one at start). */
  setPort(port: number): void;
}

export function previewUrls(options: {
  publicUrl?: string;
  hostSuffix: string;
  port: number;
}): PreviewUrls {
  let port = options.port;
  return {
    forBuild(buildId: string) {
      const id = buildId.toLowerCase();
      if (options.publicUrl) return `${options.publicUrl.replace(/\/$/, '')}/preview/${id}/`;
      return `http://build-${id}.${options.hostSuffix}:${port}/`;
    },
    forProduction(slug: string) {
      // A site is served at the root of its own host, so this is host-based even behind a
      // public URL (the operator points *.<suffix> at the worker).
      return `http://${slug}.${options.hostSuffix}:${port}/`;
    },
    setPort(value: number) {
      port = value;
    },
  };
}

/**
 * Previews served by the worker itself: the artifact is unpacked under DATA_DIR/previews.
 * Any process can serve any preview: a missing directory is filled from the artifact store.
 */
export class LocalPreviewHost implements Deployer {
  readonly provider = 'local';
  private readonly pending = new Map<string, Promise<string | undefined>>();

  constructor(
    readonly root: string,
    private readonly store: ArtifactStore,
    private readonly urls: PreviewUrls,
    private readonly findArtifact: (buildId: string) => Promise<ArtifactRow | undefined>,
  ) {}

  async deployPreview(input: { buildId: string; artifact: ArtifactRow }): Promise<Deployed> {
    await this.unpack(input.buildId.toLowerCase(), input.artifact);
    return { url: this.urls.forBuild(input.buildId), providerDeploymentId: input.buildId };
  }

  /**
   * Production serves the files of the build that made the version, from the same unpacked
   * directory as its preview: nothing is built or copied, only made sure to be on this disk.
   */
  async deployProduction(input: { buildId: string; slug: string }): Promise<Deployed> {
    if (!(await this.directoryFor(input.buildId)))
      throw new Error(`the artifact of build ${input.buildId} is missing`);
    return { url: this.urls.forProduction(input.slug), providerDeploymentId: input.buildId };
  }

  /** The directory holding a build's preview, or undefined if it has none. */
  async directoryFor(buildId: string): Promise<string | undefined> {
    const id = buildId.toLowerCase();
    if (!BUILD_ID.test(id)) return undefined;
    const dir = path.join(this.root, id);
    if (await isDir(dir)) return dir;
    let job = this.pending.get(id);
    if (!job) {
      job = (async () => {
        const artifact = await this.findArtifact(id.toUpperCase());
        if (!artifact) return undefined;
        await this.unpack(id, artifact);
        return dir;
      })().finally(() => this.pending.delete(id));
      this.pending.set(id, job);
    }
    return job;
  }

  /**
   * Unpacks into a staging directory beside the preview and swaps it in. Staging names start
   * with STAGING_PREFIX, which `isPreviewStaging` recognises for the start-up sweep.
   */
  private async unpack(id: string, artifact: ArtifactRow): Promise<void> {
    const dir = path.join(this.root, id);
    const unique = `${process.pid}.${randomBytes(6).toString('hex')}`;
    const staging = path.join(this.root, `${STAGING_PREFIX}${id}.${unique}`);
    const file = `${staging}.tar.gz`;
    // The directory calls are made at once: awaited, these few calls on every preview's path
    // waited 3-5 ms on libuv's pool here. Only a tree's removal stays awaited.
    try {
      mkdirSync(staging, { recursive: true });
      await this.store.fetch(artifact, file);
      await extractTarball(file, staging);
      if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    } finally {
      // Whichever step failed (after the rename the staging directory is already gone).
      rmSync(file, { force: true });
      if (existsSync(staging)) await removeTree(staging);
    }
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
