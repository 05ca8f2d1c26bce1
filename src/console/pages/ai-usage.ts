import type { CompressionStats } from '../../artifacts/compressed-siblings.js';
import type { TaskUsage } from '../../repositories/build-details.repo.js';
import type { TaskModelUsage } from '../../repositories/usage.repo.js';
import { html, type Html } from '../html.js';
import { bytes } from './layout.js';

/**
 * What compression saves, as one line: "3 text files: 568.0 KB → 108.0 KB brotli (81% saved)".
 * Empty when the artifact has no compressed siblings (null), so callers can drop it in as is.
 */
export function compressionLine(assets: CompressionStats | null | undefined): string {
  if (!assets || assets.files === 0) return '';
  const noun = assets.files === 1 ? 'text file' : 'text files';
  const percent =
    assets.originalBytes > 0 ? Math.round((assets.savedBytes / assets.originalBytes) * 100) : 0;
  return (
    `${assets.files} ${noun}: ${bytes(assets.originalBytes)} → ` +
    `${bytes(assets.brotliBytes)} brotli (${percent}% saved)`
  );
}

/** Dollars to the tenth of a cent below a dollar, so a cheap fix call does not read as $0.00. */
export function usd(cost: number): string {
  return `$${cost.toFixed(cost < 1 ? 4 : 2)}`;
}

const count = (n: number) => n.toLocaleString('en-US');

const tokensOf = (t: TaskUsage) =>
  t.inputTokens + t.outputTokens + t.cacheReadTokens + t.cacheWriteTokens;

/** The columns both usage tables share. */
const TASK_HEAD = html`<thead>
  <tr>
    <th scope="col">Task</th>
    <th scope="col">Model</th>
    <th scope="col">Calls</th>
    <th scope="col">Tokens</th>
    <th scope="col">Cost</th>
  </tr>
</thead>`;

/** One build's engine calls per task (plan, generate, fix, recommend) with the models used. */
export function buildTaskTable(byTask: readonly TaskUsage[]): Html {
  if (byTask.length === 0) return html`<p class="hint" id="usage-empty">No engine calls.</p>`;
  return html`<table aria-labelledby="usage-heading" id="usage-by-task">
    ${TASK_HEAD}
    <tbody>
      ${byTask.map(
        (t) =>
          html`<tr data-task="${t.task}">
            <td>${t.task}</td>
            <td class="mono">${t.models.length > 0 ? t.models.join(', ') : '—'}</td>
            <td class="num">${count(t.calls)}</td>
            <td class="num">${count(tokensOf(t))}</td>
            <td class="num">${usd(t.costUsd)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** A user's engine calls over a period, per task and model (the billing API's byTask). */
export function periodTaskTable(rows: readonly TaskModelUsage[]): Html {
  const empty = html`<tr>
    <td colspan="5" class="hint">No engine calls in this period.</td>
  </tr>`;
  const total = rows.reduce((sum, r) => sum + r.costUsd, 0);
  return html`<table aria-labelledby="tasks-heading" id="usage-by-task">
    ${TASK_HEAD}
    <tbody>
      ${
        rows.length === 0
          ? empty
          : rows.map(
              (r) =>
                html`<tr data-task="${r.task}">
                  <td>${r.task}</td>
                  <td class="mono">${r.model ?? '—'}</td>
                  <td class="num">${count(r.calls)}</td>
                  <td class="num">${count(r.tokens)}</td>
                  <td class="num">${usd(r.costUsd)}</td>
                </tr>`,
            )
      }
    </tbody>
    ${
      rows.length > 0
        ? html`<tfoot>
            <tr>
              <th scope="row" colspan="4">Total</th>
              <td class="num" id="usage-total">${usd(total)}</td>
            </tr>
          </tfoot>`
        : ''
    }
  </table>`;
}
