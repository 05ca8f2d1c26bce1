import { slugify } from '../text.js';
import type { Project } from '../repositories/projects.repo.js';

/**
 * Host labels to try for a project's production URL, best first: its name as a DNS label
 * ("Sunrise Bakery" → sunrise-bakery), then with the end of its id, then with all of it (the
 * last is unique because ids are). Never `build-…`, which is the shape of preview hosts.
 */
export function slugCandidates(project: Pick<Project, 'id' | 'name'>): string[] {
  const base = hostLabel(project.name);
  const id = project.id.toLowerCase();
  return [base, `${base}-${id.slice(-6)}`, `${base}-${id}`];
}

function hostLabel(name: string): string {
  const base = slugify(name, 'app');
  return base.startsWith('build-') || base === 'build' ? `site-${base}` : base;
}
