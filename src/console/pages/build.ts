import type { BuildDetails } from '../../repositories/build-details.repo.js';
import { TERMINAL_STATUSES } from '../../pipeline/stage-names.js';
import { html, type Html } from '../html.js';
import { buildTaskTable, compressionLine, usd } from './ai-usage.js';
import { csrfField, dateTime, page } from './layout.js';

export interface BuildPageInput {
  csrf: string;
  details: BuildDetails;
  projectName: string;
  /** The preview as the worker serves it, when the build succeeded. */
  preview: { url: string; sandbox: string } | undefined;
}

/** A build: live stages and log while it runs, then its outcome and the preview in a frame. */
export function buildPage({ csrf, details, projectName, preview }: BuildPageInput): string {
  const { build } = details;
  const terminal = TERMINAL_STATUSES.includes(build.status);
  return page(
    { title: `Build of ${projectName}`, section: 'projects', csrf },
    html`<section
        class="card"
        id="build"
        data-events-url="/console/builds/${build.id}/events"
        data-terminal="${terminal ? 'true' : 'false'}"
      >
        <p>
          Status:
          <strong id="build-status" class="status-${build.status}">${build.status}</strong> ·
          project <a href="/console/projects/${build.projectId}">${projectName}</a> · started
          ${dateTime(build.startedAt ?? build.createdAt)}
          ${build.durationMs !== null ? html` · took ${Math.round(build.durationMs / 100) / 10} s` : ''}
        </p>
        ${
          build.error
            ? html`<p class="notice error" role="alert">
                <strong>${build.error.code}</strong>: ${build.error.message}
                <span class="hint">${build.error.hint}</span>
              </p>`
            : ''
        }
        ${unmetList(details)}
        <h2 id="stages-heading">Stages</h2>
        <ol class="stages" id="stages" aria-labelledby="stages-heading">
          ${build.stages.map(
            (s) =>
              html`<li data-stage="${s.name}">
                ${s.name}: <span class="stage-status status-${s.status}">${s.status}</span>
              </li>`,
          )}
        </ol>
        <h2 id="log-heading">Log</h2>
        <ol class="log" id="log" aria-labelledby="log-heading" aria-live="polite" tabindex="0"></ol>
        ${
          terminal
            ? ''
            : html`<form method="post" action="/console/builds/${build.id}/cancel">
                ${csrfField(csrf)}
                <p class="hint">Live: stages and log update as the build runs.</p>
                <button type="submit" class="secondary">Cancel build</button>
              </form>`
        }
      </section>
      ${costSection(details)} ${preview ? previewFrame(preview) : ''}`,
  );
}

/** What the build cost in engine calls, per task, and what compressing its assets saves. */
function costSection({ usage, assets }: BuildDetails): Html {
  const saved = compressionLine(assets);
  return html`<section class="card" aria-labelledby="usage-heading" id="build-usage">
    <h2 id="usage-heading">AI usage</h2>
    <p>
      ${usage.calls} engine ${usage.calls === 1 ? 'call' : 'calls'} · ${usd(usage.costUsd)}
      ${usage.engines.length > 0 ? html` · ${usage.engines.join(', ')}` : ''}
    </p>
    ${buildTaskTable(usage.byTask)}
    ${saved ? html`<p id="assets-saved">Compressed assets: ${saved}</p>` : ''}
  </section>`;
}

/** What the prompt asked for that the engine could not build, each with its reason. */
function unmetList({ plan }: BuildDetails): Html | string {
  if (!plan || plan.unmet.length === 0) return '';
  return html`<section class="notice" aria-labelledby="unmet-heading" id="unmet">
    <h2 id="unmet-heading">Not built: this needs an AI engine</h2>
    <ul>
      ${plan.unmet.map(
        (ask) => html`<li><strong>${ask.text}</strong> (${ask.kind}): ${ask.reason}</li>`,
      )}
    </ul>
  </section>`;
}

/**
 * The preview in a sandboxed frame. A preview on its own host keeps its own origin (its
 * storage works); one served under the console's origin gets none, so the generated app's
 * scripts can never act with the console's session.
 */
export function previewFrame(preview: { url: string; sandbox: string }): Html {
  return html`<section class="card" aria-labelledby="preview-heading">
    <h2 id="preview-heading">Preview</h2>
    <p>
      <a href="${preview.url}" target="_blank" rel="noopener noreferrer"
        >Open the preview in a new tab</a
      >
    </p>
    <iframe
      class="preview"
      title="App preview"
      src="${preview.url}"
      sandbox="${preview.sandbox}"
      referrerpolicy="no-referrer"
      loading="lazy"
    ></iframe>
  </section>`;
}
