import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import { isCompressedSibling } from '../../artifacts/compressed-siblings.js';
import { extractTarball } from '../../artifacts/tarball.js';
import type { ArtifactRow } from '../../repositories/artifacts.repo.js';
import { removeTree } from '../../workspace/remove-tree.js';
import { assetHash, contentTypeOf } from './asset-hash.js';

/** Pages refuses larger assets (wrangler's MAX_ASSET_SIZE). */
export const MAX_ASSET_BYTES = 25 * 1024 * 1024;
/** Pages' default limit of files in one deployment (a plan's JWT may allow more). */
export const MAX_ASSET_COUNT = 20_000;

/** Files Pages reads as configuration, sent beside the manifest instead of as assets. */
const CONFIG_FILES = ['_headers', '_redirects'] as const;
/** Never uploaded, as wrangler skips them: Functions and tooling the static host cannot use. */
const SKIPPED =
  /^(_worker\.js|_routes\.json|functions)(\/|$)|(^|\/)(\.DS_Store|node_modules|\.git)(\/|$)/;

export interface SiteAsset {
  /** Path inside the site, with forward slashes and no leading slash. */
  name: string;
  file: string;
  sizeBytes: number;
  contentType: string;
  hash: string;
}

export interface SiteFiles {
  assets: SiteAsset[];
  /** `_headers` and `_redirects` when the site has them. */
  config: Partial<Record<(typeof CONFIG_FILES)[number], string>>;
}

/** A site Pages would refuse: a file too large, or too many files. */
export class PagesLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PagesLimitError';
  }
}

/**
 * Unpacks an artifact into a scratch directory, hashes every file and hands the list to `use`;
 * the directory is removed afterwards whatever `use` did. Contents are read again when
 * uploaded, so only the files of one upload request are in memory at a time.
 */
export async function withSiteFiles<T>(
  store: ArtifactStore,
  artifact: ArtifactRow,
  use: (site: SiteFiles) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sheen-pages-'));
  const tarball = `${dir}.tar.gz`;
  try {
    await store.fetch(artifact, tarball);
    await extractTarball(tarball, dir);
    return await use(await readSite(dir));
  } finally {
    await Promise.all([removeTree(dir), rm(tarball, { force: true })]);
  }
}

export async function readSite(root: string): Promise<SiteFiles> {
  const site: SiteFiles = { assets: [], config: {} };
  const names = await listFiles(root);
  const present = new Set(names);
  for (const name of names) {
    // Pages compresses what it serves itself; the worker's .br/.gz copies would only be
    // uploaded, counted against the file limit, and served as downloads.
    if (isCompressedSibling(name, (other) => present.has(other))) continue;
    const file = path.join(root, name);
    const configName = CONFIG_FILES.find((c) => c === name);
    if (configName) {
      site.config[configName] = await readFile(file, 'utf8');
      continue;
    }
    if (SKIPPED.test(name)) continue;
    const contents = await readFile(file);
    if (contents.length > MAX_ASSET_BYTES)
      throw new PagesLimitError(
        `${name} is ${(contents.length / 1024 / 1024).toFixed(1)} MiB; Cloudflare Pages serves files of at most 25 MiB.`,
      );
    site.assets.push({
      name,
      file,
      sizeBytes: contents.length,
      contentType: contentTypeOf(name),
      hash: await assetHash(contents, name),
    });
  }
  if (site.assets.length > MAX_ASSET_COUNT)
    throw new PagesLimitError(
      `The site has ${site.assets.length} files; Cloudflare Pages deploys at most ${MAX_ASSET_COUNT}.`,
    );
  return site;
}

/** Regular files under `root`, relative, sorted (an artifact holds only files and folders). */
async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}
