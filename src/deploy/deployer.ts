import type { ArtifactRow } from '../repositories/artifacts.repo.js';

/** Puts a built artifact where people can open it. */
export interface Deployer {
  readonly provider: 'local' | 'cloudflare-pages';
  deployPreview(input: { buildId: string; projectId: string; artifact: ArtifactRow }): Promise<{
    url: string;
    providerDeploymentId: string;
  }>;
}
