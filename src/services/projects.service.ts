import type { PreviewUrls } from '../deploy/local-preview.js';
import type { HostedDomains, HostedDomainState } from '../domains/hosted-domains.js';
import { AppError } from '../errors.js';
import type { DeploymentsRepository } from '../repositories/deployments.repo.js';
import type { DomainsRepository } from '../repositories/domains.repo.js';
import type { Project, ProjectsRepository } from '../repositories/projects.repo.js';
import type { Version, VersionsRepository } from '../repositories/versions.repo.js';
import { domainView, type DomainView } from './domains.service.js';
import { notFound, productionUrl } from './release.service.js';

export interface ProjectsServiceDeps {
  projects: ProjectsRepository;
  versions: VersionsRepository;
  deployments: DeploymentsRepository;
  domains: DomainsRepository;
  urls: PreviewUrls;
  /** The deployer's own domains (Cloudflare Pages), whose state publication shows. */
  hosted?: HostedDomains | undefined;
}

export interface VersionPage {
  versions: Version[];
  nextCursor: string | null;
}

export interface PublicationStatus {
  projectId: string;
  publishedVersionId: string | null;
  publishedAt: Date | null;
  productionUrl: string | null;
  domains: DomainView[];
}

/** Reading a project as its owner: versions, what is published, its domains. */
export class ProjectsService {
  constructor(private readonly deps: ProjectsServiceDeps) {}

  /** The project if `userId` owns it; otherwise NOT_FOUND, whether or not it exists. */
  async requireOwned(projectId: string, userId: string): Promise<Project> {
    const project = await this.deps.projects.getOwned(projectId, userId);
    if (!project) throw notFound(projectId);
    return project;
  }

  /** Newest first; the cursor is opaque to clients and names the last version they saw. */
  async listVersions(
    projectId: string,
    userId: string,
    limit: number,
    cursor?: string,
  ): Promise<VersionPage> {
    await this.requireOwned(projectId, userId);
    const before = cursor === undefined ? undefined : decodeCursor(cursor);
    const rows = await this.deps.versions.list(projectId, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      versions: page,
      nextCursor: rows.length > limit && last ? encodeCursor(last.number) : null,
    };
  }

  async publicationStatus(projectId: string, userId: string): Promise<PublicationStatus> {
    const project = await this.requireOwned(projectId, userId);
    const [production, domains, hosting] = await Promise.all([
      this.deps.deployments.active(projectId, 'production'),
      this.deps.domains.list(projectId),
      this.hostingStates(projectId),
    ]);
    return {
      projectId,
      publishedVersionId: project.publishedVersionId,
      publishedAt: project.publishedVersionId ? (production?.activatedAt ?? null) : null,
      productionUrl: productionUrl(project, production, this.deps.urls),
      domains: domains.map((d) =>
        hosting ? domainView(d, hosting.get(d.domain) ?? null) : domainView(d),
      ),
    };
  }

  /**
   * The provider's view of the domains, or undefined without one. A provider that does not
   * answer shows as such on every domain rather than failing the whole status.
   */
  private async hostingStates(
    projectId: string,
  ): Promise<{ get(domain: string): HostedDomainState | undefined } | undefined> {
    if (!this.deps.hosted) return undefined;
    try {
      return await this.deps.hosted.states(projectId);
    } catch {
      const unknown: HostedDomainState = {
        provider: 'cloudflare-pages',
        status: 'unknown',
        validationStatus: null,
        verificationStatus: null,
        error: 'Cloudflare Pages did not answer; try again shortly.',
      };
      return { get: () => unknown };
    }
  }
}

const CURSOR_PREFIX = 'v1:';

export function encodeCursor(versionNumber: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${versionNumber}`, 'utf8').toString('base64url');
}

/** The version number a cursor stands for; anything else is the client's mistake. */
export function decodeCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('utf8')
    : '';
  const n = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) {
    throw new AppError(
      'VALIDATION_FAILED',
      'querystring.cursor: is not a cursor this API gave out.',
      {
        hint: 'Pass nextCursor from the previous page unchanged, or leave cursor out for the first page.',
      },
    );
  }
  return n;
}
