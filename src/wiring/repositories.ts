import type { Db } from '../db/db.js';
import { ArtifactsRepository } from '../repositories/artifacts.repo.js';
import { BuildsRepository } from '../repositories/builds.repo.js';
import { DeploymentsRepository } from '../repositories/deployments.repo.js';
import { DomainsRepository } from '../repositories/domains.repo.js';
import { EventsRepository } from '../repositories/events.repo.js';
import { ProjectEventsRepository } from '../repositories/project-events.repo.js';
import { ProjectsRepository } from '../repositories/projects.repo.js';
import { UsageRepository } from '../repositories/usage.repo.js';
import { VersionsRepository } from '../repositories/versions.repo.js';

/** The repositories every profile shares, over one database. */
export function createRepositories(db: Db, retentionDays: number) {
  const projectEvents = new ProjectEventsRepository();
  return {
    artifacts: new ArtifactsRepository(db, retentionDays),
    projectEvents,
    builds: new BuildsRepository(db, projectEvents),
    events: new EventsRepository(db),
    projects: new ProjectsRepository(db),
    versions: new VersionsRepository(db),
    deployments: new DeploymentsRepository(db),
    domains: new DomainsRepository(db),
    usage: new UsageRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
