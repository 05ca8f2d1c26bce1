import type { Project } from '../repositories/projects.repo.js';

const MAX_BASE = 40;

/**
 * Host labels to try for a project's production URL, best first: its name as a DNS label
 * ("Sunrise Bakery" → sunrise-bakery), then with the end of its id, then with all of it (the
 * last is unique because ids are). Never `build-…`, which is the shape of preview hosts.
 */
export function slugCandidates(project: Pick<Project, 'id' | 'name'>): string[] {
  const base = slugify(project.name);
  const id = project.id.toLowerCase();
  return [base, `${base}-${id.slice(-6)}`, `${base}-${id}`];
}

export function slugify(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_BASE)
    .replace(/-+$/, '');
  const base = ascii === '' ? 'app' : ascii;
  return base.startsWith('build-') || base === 'build' ? `site-${base}` : base;
}
