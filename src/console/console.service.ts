import { AppError } from '../errors.js';
import type { ConsoleReadsRepository } from '../repositories/console-reads.repo.js';
import type { Project, ProjectsRepository } from '../repositories/projects.repo.js';

const CURSOR = /^(\d{1,15})\.([0-9A-Z]{26})$/;

/**
 * What the console reads besides the API's own services. The console acts for the operator:
 * it lists every user's projects, and acts on a project as its owner (the owner's id is read
 * here and handed to the same services the API routes call).
 */
export class ConsoleService {
  constructor(
    private readonly reads: ConsoleReadsRepository,
    private readonly projects: ProjectsRepository,
  ) {}

  async listProjects(limit: number, cursor?: string) {
    const rows = await this.reads.listProjects(limit + 1, cursor ? decode(cursor) : undefined);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      projects: page,
      nextCursor: rows.length > limit && last ? `${last.updatedAt.getTime()}.${last.id}` : null,
    };
  }

  /** The project, whoever owns it; NOT_FOUND when there is none. */
  async project(projectId: string): Promise<Project> {
    const project = await this.projects.get(projectId);
    if (!project) throw new AppError('NOT_FOUND', `No project ${projectId}.`);
    return project;
  }

  ledger(userId: string, limit: number) {
    return this.reads.ledger(userId, limit);
  }
}

function decode(cursor: string): { updatedAt: Date; id: string } {
  const match = CURSOR.exec(cursor);
  if (!match) {
    throw new AppError(
      'VALIDATION_FAILED',
      'querystring.cursor: is not a cursor this page gave out.',
      {
        hint: 'Follow the "Older" link unchanged, or leave cursor out for the first page.',
      },
    );
  }
  return { updatedAt: new Date(Number(match[1])), id: match[2] as string };
}
