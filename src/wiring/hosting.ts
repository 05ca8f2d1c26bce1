import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Config } from '../config/config.js';
import { createDeployer } from '../deploy/create-deployer.js';
import { LocalPreviewHost, previewUrls } from '../deploy/local-preview.js';
import { ReleaseService, type Transaction } from '../services/release.service.js';
import type { Repositories } from './repositories.js';

/**
 * Where built versions are served: the preview URLs, the local preview host, the deployer
 * DEPLOYER names (and the custom domains it hosts), and the release service that makes a
 * version live.
 */
export async function createHosting(
  config: Config,
  parts: { artifactStore: ArtifactStore; repos: Repositories; transaction: Transaction },
) {
  const { artifactStore, repos } = parts;
  const urls = previewUrls({
    ...(config.http.publicUrl ? { publicUrl: config.http.publicUrl } : {}),
    hostSuffix: config.preview.hostSuffix,
    port: config.http.port,
  });
  const previewDir = path.join(config.dataDir, 'previews');
  await mkdir(previewDir, { recursive: true });
  const previews = new LocalPreviewHost(previewDir, artifactStore, urls, (id) =>
    repos.artifacts.ofBuild(id),
  );
  const { deployer, hosted } = await createDeployer(config, artifactStore, previews);
  const releases = new ReleaseService({
    transaction: parts.transaction,
    projects: repos.projects,
    versions: repos.versions,
    deployments: repos.deployments,
    projectEvents: repos.projectEvents,
    deployer,
    urls,
  });
  return { urls, previews, deployer, hosted, releases };
}
