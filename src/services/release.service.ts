import type { Queryable } from '../db/db.js';
import { DeployError, type Deployed, type Deployer } from '../deploy/deployer.js';
import type { PreviewUrls } from '../deploy/local-preview.js';
import { AppError } from '../errors.js';
import type {
  ActiveDeployment,
  DeploymentReason,
  DeploymentsRepository,
  Environment,
} from '../repositories/deployments.repo.js';
import type { ProjectEventsRepository } from '../repositories/project-events.repo.js';
import type { Project, ProjectsRepository } from '../repositories/projects.repo.js';
import type { Version, VersionsRepository } from '../repositories/versions.repo.js';
import { slugCandidates } from './slug.js';

/** Runs `fn` in one database transaction (the Db port's, handed in by the container). */
export type Transaction = <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;

export interface ReleaseDeps {
  transaction: Transaction;
  projects: ProjectsRepository;
  versions: VersionsRepository;
  deployments: DeploymentsRepository;
  projectEvents: ProjectEventsRepository;
  deployer: Deployer;
  urls: PreviewUrls;
}

/** What is live for a project after a change: the answer of rollback, publish and unpublish. */
export interface LiveState {
  projectId: string;
  currentVersionId: string | null;
  publishedVersionId: string | null;
  publishedAt: Date | null;
  previewUrl: string | null;
  productionUrl: string | null;
}

export interface BuiltVersion {
  build: { id: string; projectId: string; versionId: string; userId: string };
  artifactId: string;
  deployed: Deployed;
  framework?: string | undefined;
  name?: string | undefined;
}

// Another request published or unpublished between preparing and committing: prepare again.
const RETRIES = 3;
class Moved extends Error {}

/**
 * Every change to what is live: a build's version becoming current, rollback, publish and
 * unpublish. Each is one transaction that moves the project's pointers, supersedes and
 * inserts deployments and appends the project event together, under the project's row lock.
 * None of them calls an engine or runs a build: they re-point to stored artifacts.
 */
export class ReleaseService {
  constructor(private readonly deps: ReleaseDeps) {}

  /**
   * The record stage: a built version becomes ready, current and the project's preview.
   * Once per build: a retried job whose earlier attempt committed this changes nothing
   * (returns false), so the deployment row and the version.ready event stay single.
   */
  async recordBuilt(input: BuiltVersion): Promise<boolean> {
    const { build } = input;
    return this.deps.transaction(async (tx) => {
      const ready = await this.deps.versions.markReady(tx, build.versionId, {
        artifactId: input.artifactId,
        previewUrl: input.deployed.url,
        framework: input.framework,
      });
      if (!ready) return false;
      const version = { id: build.versionId, projectId: build.projectId, buildId: build.id };
      await this.activate(
        tx,
        { ...version, artifactId: input.artifactId },
        'preview',
        input.deployed,
        'build',
      );
      await this.deps.projects.noteBuilt(tx, build.projectId, {
        framework: input.framework,
        name: input.name,
      });
      await this.deps.projectEvents.append(tx, {
        projectId: build.projectId,
        userId: build.userId,
        type: 'version.ready',
        versionId: build.versionId,
        data: { buildId: build.id, previewUrl: input.deployed.url },
      });
      return true;
    });
  }

  /**
   * Makes a ready version current again, and production too if the project is published.
   * Nothing is deleted: newer versions stay listed and can be rolled forward to.
   */
  async rollback(projectId: string, userId: string, versionId: string): Promise<LiveState> {
    return this.withRetry(projectId, userId, versionId, async (project, version) => {
      const preview = await this.deploy('preview', project, version);
      const production = project.publishedVersionId
        ? await this.deploy('production', project, version)
        : undefined;
      return this.deps.transaction(async (tx) => {
        const locked = await this.lockSame(tx, project);
        await this.activate(tx, live(version), 'preview', preview, 'rollback');
        if (production)
          await this.activate(tx, live(version), 'production', production, 'rollback');
        await this.deps.projectEvents.append(tx, {
          projectId,
          userId,
          type: 'version.rolled_back',
          versionId,
          data: {
            fromVersionId: locked.currentVersionId,
            toVersionId: versionId,
            toNumber: version.number,
            production: production !== undefined,
          },
        });
        return this.liveState(tx, projectId);
      });
    });
  }

  /** Serves a ready version in production; publishing the published version changes nothing. */
  async publish(projectId: string, userId: string, versionId: string): Promise<LiveState> {
    return this.withRetry(projectId, userId, versionId, async (project, version) => {
      if (project.publishedVersionId === versionId) return this.liveState(undefined, projectId);
      const slug =
        project.slug ?? (await this.deps.projects.claimSlug(projectId, slugCandidates(project)));
      const production = await this.deploy('production', { ...project, slug }, version);
      return this.deps.transaction(async (tx) => {
        const locked = await this.lockSame(tx, project);
        if (locked.publishedVersionId === versionId) return this.liveState(tx, projectId);
        await this.activate(tx, live(version), 'production', production, 'publish');
        await this.deps.projectEvents.append(tx, {
          projectId,
          userId,
          type: 'version.published',
          versionId,
          data: {
            number: version.number,
            productionUrl: production.url,
            previousVersionId: locked.publishedVersionId,
          },
        });
        return this.liveState(tx, projectId);
      });
    });
  }

  /** Takes production down; the versions and the host name stay for the next publish. */
  async unpublish(projectId: string, userId: string): Promise<LiveState> {
    return this.deps.transaction(async (tx) => {
      const project = await this.deps.projects.lockOwned(tx, projectId, userId);
      if (!project) throw notFound(projectId);
      if (!project.publishedVersionId) return this.liveState(tx, projectId);
      await this.deps.deployments.deactivate(tx, projectId, 'production');
      await this.deps.projects.setPublishedVersion(tx, projectId, null);
      await this.deps.projectEvents.append(tx, {
        projectId,
        userId,
        type: 'project.unpublished',
        versionId: project.publishedVersionId,
      });
      return this.liveState(tx, projectId);
    });
  }

  async liveState(q: Queryable | undefined, projectId: string): Promise<LiveState> {
    const [project, production] = await Promise.all([
      this.deps.projects.get(projectId, q),
      this.deps.deployments.active(projectId, 'production', q),
    ]);
    const current = project?.currentVersionId
      ? await this.deps.versions.get(projectId, project.currentVersionId, q)
      : undefined;
    return {
      projectId,
      currentVersionId: project?.currentVersionId ?? null,
      publishedVersionId: project?.publishedVersionId ?? null,
      publishedAt: production?.activatedAt ?? null,
      previewUrl: current?.previewUrl ?? null,
      productionUrl: project ? productionUrl(project, production, this.deps.urls) : null,
    };
  }

  /**
   * Loads and checks the project and version, prepares outside any transaction (provider
   * calls can be slow), then commits; if publication changed meanwhile, prepares again.
   */
  private async withRetry(
    projectId: string,
    userId: string,
    versionId: string,
    attempt: (project: Project, version: Version) => Promise<LiveState>,
  ): Promise<LiveState> {
    for (let i = 1; ; i++) {
      const project = await this.deps.projects.getOwned(projectId, userId);
      if (!project) throw notFound(projectId);
      const version = await this.deps.versions.get(projectId, versionId);
      if (!version) throw versionNotFound(versionId);
      if (version.status !== 'ready') throw notReady(version);
      try {
        return await attempt(project, version);
      } catch (err) {
        if (!(err instanceof Moved) || i >= RETRIES) throw err;
      }
    }
  }

  /** Locks the project; refuses to commit what was prepared if its publication moved. */
  private async lockSame(tx: Queryable, prepared: Project): Promise<Project> {
    const locked = await this.deps.projects.lockOwned(tx, prepared.id, prepared.userId);
    if (!locked) throw notFound(prepared.id);
    // Versions are never deleted: the one checked before preparing is still there.
    if (Boolean(locked.publishedVersionId) !== Boolean(prepared.publishedVersionId))
      throw new Moved();
    return locked;
  }

  private async deploy(env: Environment, project: Project, version: Version): Promise<Deployed> {
    const { artifact, buildId } = version;
    if (!artifact || !buildId) throw notReady(version);
    if (env === 'preview') {
      // The version's own preview is still where its build put it.
      return {
        url: version.previewUrl ?? this.deps.urls.forBuild(buildId),
        providerDeploymentId: buildId,
      };
    }
    try {
      return await this.deps.deployer.deployProduction({
        buildId,
        projectId: project.id,
        slug: project.slug ?? '',
        artifact,
      });
    } catch (err) {
      if (!(err instanceof DeployError)) throw err;
      // Nothing was committed: what was live stays live.
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        'The hosting provider did not deploy the version.',
        {
          cause: err,
          retryable: err.retryable,
          hint: err.retryable
            ? 'Nothing changed; try again shortly.'
            : 'Nothing changed; the operator should check the deployer settings.',
        },
      );
    }
  }

  /**
   * Makes a version live in an environment: its deployment becomes the active one, and the
   * project's pointer for that environment (current for preview, published for production)
   * moves with it, in the caller's transaction.
   */
  private async activate(
    tx: Queryable,
    version: Pick<Version, 'id' | 'projectId' | 'buildId'> & { artifactId: string },
    environment: Environment,
    deployed: Deployed,
    reason: DeploymentReason,
  ): Promise<void> {
    await this.deps.deployments.activate(tx, {
      projectId: version.projectId,
      versionId: version.id,
      buildId: version.buildId,
      artifactId: version.artifactId,
      environment,
      provider: this.deps.deployer.provider,
      providerDeploymentId: deployed.providerDeploymentId,
      url: deployed.url,
      reason,
    });
    if (environment === 'preview')
      await this.deps.projects.setCurrentVersion(tx, version.projectId, version.id);
    else await this.deps.projects.setPublishedVersion(tx, version.projectId, version.id);
  }
}

/** Where production answers, or null while the project is not published. */
export function productionUrl(
  project: Pick<Project, 'publishedVersionId' | 'slug'>,
  production: ActiveDeployment | undefined,
  urls: PreviewUrls,
): string | null {
  if (!project.publishedVersionId || !production || !project.slug) return null;
  return production.url ?? urls.forProduction(project.slug);
}

export function notFound(projectId: string): AppError {
  return new AppError('NOT_FOUND', `No project ${projectId}.`, {
    hint: 'Check the projectId and the userId: a project is visible only to the user who owns it.',
  });
}

function versionNotFound(versionId: string): AppError {
  return new AppError('NOT_FOUND', `No version ${versionId} in this project.`, {
    hint: 'List the versions with GET /v1/projects/:projectId/versions.',
  });
}

function notReady(version: Version): AppError {
  return new AppError(
    'VERSION_NOT_READY',
    `Version ${version.number} is ${version.status}: only a version that built successfully can go live.`,
    {
      hint:
        version.status === 'building'
          ? 'Wait for its build to finish, then try again.'
          : 'Pick a version whose status is ready.',
      details: { versionId: version.id, status: version.status },
    },
  );
}

/** A ready version as an activation needs it (deploy() has checked it has an artifact). */
function live(version: Version) {
  return { ...version, artifactId: (version.artifact as { id: string }).id };
}
