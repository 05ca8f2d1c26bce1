import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import type { ArtifactRow } from '../../repositories/artifacts.repo.js';
import { APIError } from 'cloudflare';
import { DeployError, type Deployed, type Deployer } from '../deployer.js';
import { PagesApiError, type PagesApi, type PagesProject } from './pages-api.js';
import { withSiteFiles } from './site-files.js';
import { AssetUpload, type UploadOptions } from './upload.js';

/** Pages project names: lowercase letters, digits and dashes, at most 58 characters. */
const MAX_PROJECT_NAME = 58;
const PRODUCTION_BRANCH = 'main';

export interface PagesDeployerOptions {
  api: PagesApi;
  store: ArtifactStore;
  /** CF_PAGES_PROJECT_PREFIX: tells apart the Pages projects of several installations. */
  projectPrefix: string;
  upload: UploadOptions;
}

/**
 * Deploys artifacts to Cloudflare Pages by Direct Upload, one Pages project per project.
 * A build's preview goes to the branch `build-<buildId>`; production is a deployment of the
 * same stored artifact on the production branch. Publishing or rolling back to an older
 * version deploys its artifact again rather than calling Pages' rollback endpoint: that
 * endpoint only re-points to an earlier *production* deployment, and a version that was
 * never in production has only a preview one. The assets are content-addressed, so the
 * re-deploy uploads nothing new: it costs a check of the hashes and one deployment call.
 */
export class CloudflarePagesDeployer implements Deployer {
  readonly provider = 'cloudflare-pages';
  private readonly projects = new Map<string, Promise<PagesProject>>();

  constructor(private readonly options: PagesDeployerOptions) {}

  /** The Pages project of a project: derived from its id, so it is fixed from the first build. */
  projectName(projectId: string): string {
    return `${this.options.projectPrefix}-${projectId.toLowerCase()}`
      .slice(0, MAX_PROJECT_NAME)
      .replace(/-+$/, '');
  }

  async deployPreview(input: {
    buildId: string;
    projectId: string;
    artifact: ArtifactRow;
    attempt?: number;
  }): Promise<Deployed> {
    const branch = `build-${input.buildId.toLowerCase()}`;
    // A retried build whose first run deployed before it died: the branch is the build's own,
    // so its successful deployment is this build's preview and needs no second one.
    const earlier =
      (input.attempt ?? 1) > 1 ? await this.earlierPreview(input.projectId, branch) : undefined;
    const deployment =
      earlier ?? (await this.deploy(input.projectId, input.artifact, branch)).deployment;
    // The branch alias stays the build's address; the per-deployment URL is the fallback.
    return { url: deployment.aliases[0] ?? deployment.url, providerDeploymentId: deployment.id };
  }

  async deployProduction(input: { projectId: string; artifact: ArtifactRow }): Promise<Deployed> {
    const project = await this.pagesProject(input.projectId);
    const { deployment } = await this.deploy(
      input.projectId,
      input.artifact,
      project.productionBranch,
    );
    return { url: `https://${project.subdomain}/`, providerDeploymentId: deployment.id };
  }

  private async earlierPreview(projectId: string, branch: string) {
    try {
      const project = await this.pagesProject(projectId);
      return await this.options.api.findPreview(project.name, branch);
    } catch (err) {
      throw asDeployError(err);
    }
  }

  private async deploy(projectId: string, artifact: ArtifactRow, branch: string) {
    try {
      return await this.upload(projectId, artifact, branch);
    } catch (err) {
      throw asDeployError(err);
    }
  }

  private async upload(projectId: string, artifact: ArtifactRow, branch: string) {
    const project = await this.pagesProject(projectId);
    return withSiteFiles(this.options.store, artifact, async (site) => {
      const upload = new AssetUpload(this.options.api, project.name, this.options.upload);
      const { manifest, uploaded } = await upload.run(site.assets);
      const deployment = await this.options.api.createDeployment(project.name, {
        manifest,
        branch,
        ...(site.config._headers === undefined ? {} : { headers: site.config._headers }),
        ...(site.config._redirects === undefined ? {} : { redirects: site.config._redirects }),
      });
      return { deployment, uploaded };
    });
  }

  /** Read or created once per process; a failed lookup is forgotten so the next one retries. */
  pagesProject(projectId: string): Promise<PagesProject> {
    const name = this.projectName(projectId);
    let found = this.projects.get(name);
    if (!found) {
      found = this.options.api.ensureProject(name, PRODUCTION_BRANCH);
      found.catch(() => this.projects.delete(name));
      this.projects.set(name, found);
    }
    return found;
  }
}

/** Cloudflare's failures as the port's DeployError; anything else (a bad artifact) unchanged. */
function asDeployError(err: unknown): unknown {
  let status: number | undefined;
  if (err instanceof PagesApiError) status = err.status;
  else if (err instanceof APIError) status = (err as APIError).status;
  else return err;
  const retryable = status === undefined || status === 429 || status >= 500;
  const what = status === undefined ? 'could not be reached' : `answered HTTP ${status}`;
  return new DeployError(`Cloudflare Pages ${what}: ${(err as Error).message}`, retryable, {
    cause: err,
  });
}
