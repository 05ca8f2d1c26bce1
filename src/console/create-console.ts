import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import { ConsoleReadsRepository } from '../repositories/console-reads.repo.js';
import { ConsoleSessionsRepository } from '../repositories/console-sessions.repo.js';
import type { ProjectsRepository } from '../repositories/projects.repo.js';
import { ConsoleAuthService } from './console-auth.service.js';
import { ConsoleService } from './console.service.js';

export interface ConsoleParts {
  auth: ConsoleAuthService;
  reads: ConsoleService;
}

/** The web console's sign-in and reads, built by the composition root. */
export function createConsole(config: Config, db: Db, projects: ProjectsRepository): ConsoleParts {
  return {
    auth: new ConsoleAuthService(new ConsoleSessionsRepository(db), {
      ...config.console,
      adminSecrets: config.auth.adminSecrets,
    }),
    reads: new ConsoleService(new ConsoleReadsRepository(db), projects),
  };
}
