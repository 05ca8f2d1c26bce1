import type { ArtifactRow } from '../repositories/artifacts.repo.js';

export interface Deployed {
  url: string;
  providerDeploymentId: string;
}

/** Puts a built artifact where people can open it. */
export interface Deployer {
  readonly provider: 'local' | 'cloudflare-pages';
  /**
   * A build's own preview, at a URL of its own (build-<id>). `attempt` above 1 means an
   * earlier run of the build may already have deployed it: a provider that keeps deployments
   * reuses that one rather than making a second.
   */
  deployPreview(input: {
    buildId: string;
    projectId: string;
    artifact: ArtifactRow;
    attempt?: number;
  }): Promise<Deployed>;
  /**
   * Makes an artifact that was already built live in production at the project's host name,
   * without building anything. Idempotent: promoting the same artifact twice is harmless.
   */
  deployProduction(input: {
    buildId: string;
    projectId: string;
    slug: string;
    artifact: ArtifactRow;
  }): Promise<Deployed>;
}

/**
 * A provider that did not deploy. `retryable` is false when sending the same request again
 * cannot help (credentials, a refused request); true for rate limits, 5xx and the network.
 */
export class DeployError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DeployError';
  }
}
