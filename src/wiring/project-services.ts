import type { AiEngine } from '../ai/engine.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { PreviewUrls } from '../deploy/local-preview.js';
import { DnsDomainVerifier } from '../domains/dns-check.js';
import type { HostedDomains } from '../domains/hosted-domains.js';
import type { Logger } from '../observability/logger.js';
import { ArtifactRetentionRepository } from '../repositories/artifact-retention.repo.js';
import { ArtifactCleanupService } from '../services/artifact-cleanup.service.js';
import { DomainsService } from '../services/domains.service.js';
import { GenerateService } from '../services/generate.service.js';
import { ProjectsService } from '../services/projects.service.js';
import type { QuotaService } from '../services/quota.service.js';
import type { Transaction } from '../services/release.service.js';
import { SitesService } from '../services/sites.service.js';
import type { Repositories } from './repositories.js';

/** What the routes use besides builds and releases: projects, domains, sites, generation, clean-up. */
export function createProjectServices(
  config: Config,
  parts: {
    db: Db;
    repos: Repositories;
    transaction: Transaction;
    urls: PreviewUrls;
    hosted: HostedDomains | undefined;
    artifactStore: ArtifactStore;
    engine: AiEngine;
    quota: QuotaService;
    logger: Logger;
  },
) {
  const { repos, urls, hosted, transaction } = parts;
  return {
    projects: new ProjectsService({
      projects: repos.projects,
      versions: repos.versions,
      deployments: repos.deployments,
      domains: repos.domains,
      urls,
      hosted,
    }),
    domains: new DomainsService({
      transaction,
      projects: repos.projects,
      domains: repos.domains,
      projectEvents: repos.projectEvents,
      verifier: new DnsDomainVerifier({
        ...(config.domains.dnsServers ? { servers: config.domains.dnsServers } : {}),
        timeoutMs: config.domains.dnsTimeoutMs,
      }),
      cnameTarget: config.domains.cnameTarget,
      hosted,
    }),
    sites: new SitesService({
      deployments: repos.deployments,
      domains: repos.domains,
      hostSuffix: config.preview.hostSuffix,
      apiHosts: config.http.publicUrl ? [new URL(config.http.publicUrl).hostname] : [],
    }),
    generate: new GenerateService({
      engine: parts.engine,
      usage: repos.usage,
      quota: parts.quota,
      dataDir: config.dataDir,
      workspaceLimits: config.pipeline.workspaceLimits,
    }),
    artifactCleanup: new ArtifactCleanupService({
      transaction,
      retention: new ArtifactRetentionRepository(parts.db),
      store: parts.artifactStore,
      retentionDays: config.artifacts.retentionDays,
      logger: parts.logger,
    }),
  };
}
