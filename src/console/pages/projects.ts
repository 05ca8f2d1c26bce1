import type { ProjectSummary } from '../../repositories/console-reads.repo.js';
import { html } from '../html.js';
import { dateTime, page } from './layout.js';

/** Every project with its current and published version, newest change first. */
export function projectsPage(
  csrf: string,
  projects: ProjectSummary[],
  nextCursor: string | null,
): string {
  const rows = projects.map(
    (p) =>
      html`<tr>
        <td>
          <a href="/console/projects/${p.id}">${p.name}</a><br /><span class="hint mono"
            >${p.id}</span
          >
        </td>
        <td>${p.userId}</td>
        <td>${p.framework ?? '—'}</td>
        <td class="num">${p.currentVersion === null ? '—' : `v${p.currentVersion}`}</td>
        <td class="num">
          ${
            p.publishedVersion === null
              ? html`<span class="hint">not published</span>`
              : html`<span class="badge ok">v${p.publishedVersion}</span>`
          }
        </td>
        <td>${dateTime(p.updatedAt)}</td>
      </tr>`,
  );
  return page(
    { title: 'Projects', section: 'projects', csrf },
    projects.length === 0
      ? html`<p class="card">No projects yet. <a href="/console">Build the first app</a>.</p>`
      : html`<table>
            <caption class="hint">
              All projects, most recently changed first
            </caption>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Owner</th>
                <th scope="col">Framework</th>
                <th scope="col">Current</th>
                <th scope="col">Published</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
          ${
            nextCursor
              ? html`<p>
                  <a href="/console/projects?cursor=${encodeURIComponent(nextCursor)}"
                    >Older projects</a
                  >
                </p>`
              : ''
          }`,
  );
}
