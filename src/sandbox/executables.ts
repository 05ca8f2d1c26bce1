import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** The first executable called `name` on a PATH-like list of directories. */
export function findExecutable(name: string, systemPath: string): string | undefined {
  for (const dir of systemPath.split(':').filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}
