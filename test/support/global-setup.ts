import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A directory for this run's migrated PGlite template (see pglite-template.ts). */
    pgliteTemplateRoot: string;
  }
}

/**
 * Once per `vitest` run, in the main process. The template itself is built by the first test
 * file that needs it, so runs of unit tests alone pay nothing for it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(tmpdir(), 'sheen-template-'));
  project.provide('pgliteTemplateRoot', root);
  return () => rm(root, { recursive: true, force: true });
}
