import path from 'node:path';
import type { Config } from '../config/config.js';
import type { ArtifactStore } from './artifact-store.js';
import { FsArtifactStore } from './fs-artifact-store.js';
import { RoutedArtifactStore } from './routed-artifact-store.js';
import type { S3ArtifactStore } from './s3-artifact-store.js';

/**
 * The configured artifact store. With S3, the disk store stays readable for artifacts
 * recorded before ARTIFACT_STORE=s3 (each key names the store it belongs to). The AWS SDK is
 * loaded only for S3: importing it costs every process and test that keeps artifacts on disk.
 */
export async function createArtifactStore(config: Config): Promise<{
  store: ArtifactStore;
  s3: S3ArtifactStore | undefined;
}> {
  const fsStore = new FsArtifactStore(path.join(config.dataDir, 'artifacts'));
  if (config.artifacts.store.kind !== 's3') return { store: fsStore, s3: undefined };
  const { S3ArtifactStore } = await import('./s3-artifact-store.js');
  const s3 = new S3ArtifactStore(config.artifacts.store);
  return { store: new RoutedArtifactStore(s3, [fsStore]), s3 };
}
