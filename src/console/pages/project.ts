import type { Project } from '../../repositories/projects.repo.js';
import type { Version } from '../../repositories/versions.repo.js';
import type { StoredRecommendation } from '../../recommendations/recommendation.js';
import type { PublicationStatus } from '../../services/projects.service.js';
import type { DomainView } from '../../services/domains.service.js';
import { html, type Html } from '../html.js';
import { compressionLine } from './ai-usage.js';
import { bytes, csrfField, dateTime, page, statusBadge } from './layout.js';

export interface ProjectPageInput {
  csrf: string;
  project: Project;
  versions: Version[];
  publication: PublicationStatus;
  recommendations: StoredRecommendation[];
  notice?: string | undefined;
  error?: string | undefined;
}

/** One project: update form, versions timeline with publish and rollback, domains, advice. */
export function projectPage(input: ProjectPageInput): string {
  const { csrf, project, publication } = input;
  const base = `/console/projects/${project.id}`;
  return page(
    { title: project.name, section: 'projects', csrf, notice: input.notice, error: input.error },
    html`<section class="card" aria-label="Summary">
        <p>
          Owner <strong>${project.userId}</strong> ·
          ${project.framework ?? 'framework not known yet'} ·
          <span class="mono">${project.id}</span>
        </p>
        <p>
          Production:
          ${
            publication.productionUrl
              ? html`<a
                    href="${publication.productionUrl}"
                    target="_blank"
                    rel="noopener noreferrer"
                    >${publication.productionUrl}</a
                  >
                  (published ${dateTime(publication.publishedAt)})`
              : html`<span class="hint">not published</span>`
          }
        </p>
        ${
          publication.publishedVersionId
            ? html`<form method="post" action="${base}/unpublish">
                ${csrfField(csrf)}
                <button type="submit" class="secondary">Take production down</button>
              </form>`
            : ''
        }
      </section>
      <form class="card" method="post" action="${base}/update">
        ${csrfField(csrf)}
        <label for="update-prompt"
          >Change the app
          <span class="hint">a new version is built from the current one</span></label
        >
        <textarea id="update-prompt" name="prompt" required maxlength="20000"></textarea>
        <div class="actions"><button type="submit">Build update</button></div>
      </form>
      <h2 id="versions-heading">Versions</h2>
      <ol class="timeline" aria-labelledby="versions-heading">
        ${input.versions.map((v) => versionItem(csrf, base, v))}
      </ol>
      ${domainsSection(csrf, base, publication.domains)}
      ${recommendationsSection(input.recommendations)}`,
  );
}

function versionItem(csrf: string, base: string, v: Version): Html {
  const files = v.filesChanged;
  const ready = v.status === 'ready';
  return html`<li data-version="${v.number}">
    <p>
      <strong>v${v.number}</strong> · ${v.kind} · ${statusBadge(v.status)}
      ${v.isCurrent ? html`<span class="badge">current</span>` : ''}
      ${v.isPublished ? html`<span class="badge ok">published</span>` : ''}
    </p>
    <p class="prompt">${v.prompt ?? ''}</p>
    <p class="meta">
      ${dateTime(v.createdAt)} · files
      ${files ? `+${files.added} ~${files.modified} −${files.removed}` : '—'} · artifact
      ${bytes(v.artifact?.sizeBytes)}
    </p>
    ${v.assets?.files ? html`<p class="meta assets-saved">${compressionLine(v.assets)}</p>` : ''}
    <div class="actions">
      ${v.buildId ? html`<a href="/console/builds/${v.buildId}">Build and preview</a>` : ''}
      ${
        ready && !v.isCurrent
          ? html`<form method="post" action="${base}/rollback/${v.id}">
              ${csrfField(csrf)}
              <button type="submit" class="secondary" aria-label="Roll back to v${v.number}">
                Roll back to this
              </button>
            </form>`
          : ''
      }
      ${
        ready && !v.isPublished
          ? html`<form method="post" action="${base}/publish/${v.id}">
              ${csrfField(csrf)}
              <button type="submit" aria-label="Publish v${v.number}">Publish</button>
            </form>`
          : ''
      }
    </div>
  </li>`;
}

function domainsSection(csrf: string, base: string, domains: DomainView[]): Html {
  return html`<h2 id="domains-heading">Domains</h2>
    <section class="card" aria-labelledby="domains-heading">
      ${domains.length === 0 ? html`<p class="hint">No custom domains.</p>` : ''}
      ${domains.map(
        (d) =>
          html`<div class="domain">
            <p>
              <strong>${d.domain}</strong> ${statusBadge(d.status)}
              <span class="hint">checked ${dateTime(d.checkedAt)}</span>
            </p>
            ${d.error ? html`<p class="notice error">${d.error}</p>` : ''}
            ${d.hosting ? html`<p class="hint">Hosting: ${d.hosting.status}${d.hosting.error ? ` (${d.hosting.error})` : ''}</p>` : ''}
            <table>
              <caption class="hint">
                DNS records to create
              </caption>
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Name</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                ${d.records.map(
                  (r) =>
                    html`<tr>
                      <td>${r.type}</td>
                      <td class="mono">${r.name}</td>
                      <td class="mono">${r.value}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            <form method="post" action="${base}/domains/verify">
              ${csrfField(csrf)}
              <input type="hidden" name="domain" value="${d.domain}" />
              <div class="actions">
                <button type="submit" class="secondary" aria-label="Check DNS of ${d.domain}">
                  Check DNS now
                </button>
              </div>
            </form>
          </div>`,
      )}
      <form method="post" action="${base}/domains">
        ${csrfField(csrf)}
        <label for="domain">Add a domain</label>
        <input
          type="text"
          id="domain"
          name="domain"
          required
          maxlength="253"
          placeholder="www.example.com"
        />
        <div class="actions"><button type="submit">Add domain</button></div>
      </form>
    </section>`;
}

function recommendationsSection(items: StoredRecommendation[]): Html {
  return html`<h2 id="advice-heading">Recommendations</h2>
    <section class="card" aria-labelledby="advice-heading">
      ${
        items.length === 0
          ? html`<p class="hint">None stored for the current version.</p>`
          : html`<ul>
              ${items.map(
                (r) =>
                  html`<li>
                    <span class="badge">${r.severity}</span> <strong>${r.title}</strong> —
                    ${r.detail} <span class="hint">${r.action}</span>
                  </li>`,
              )}
            </ul>`
      }
    </section>`;
}
