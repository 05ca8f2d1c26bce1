import type { QueueCounts } from '../../queue/job-queue.js';
import type { RecentJob } from '../../queue/embedded-queue-reads.js';
import { html } from '../html.js';
import { dateTime, page, statusBadge } from './layout.js';

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;

/**
 * The embedded queue's dashboard, read-only: jobs per queue and state, how long the oldest
 * ready job has waited, and the jobs touched last. (With Redis, Bull Board takes this path.)
 */
export function queuesPage(
  csrf: string,
  counts: Record<string, QueueCounts>,
  oldestWaitingMs: Record<string, number>,
  jobs: RecentJob[],
): string {
  return page(
    { title: 'Queues', section: 'queues', csrf },
    html`<p class="hint">
        The embedded queue keeps its jobs in the database. This page only reads; cancel a build or
        send a webhook again from its own page.
      </p>
      <table>
        <caption>
          Jobs per queue
        </caption>
        <thead>
          <tr>
            <th scope="col">Queue</th>
            ${STATES.map((s) => html`<th scope="col">${s}</th>`)}
            <th scope="col">Oldest ready job waited</th>
          </tr>
        </thead>
        <tbody>
          ${Object.entries(counts).map(
            ([queue, c]) =>
              html`<tr>
                <th scope="row">${queue}</th>
                ${STATES.map((s) => html`<td class="num">${c[s]}</td>`)}
                <td class="num">${Math.round((oldestWaitingMs[queue] ?? 0) / 1000)} s</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <table>
        <caption>
          Jobs touched last
        </caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Queue</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Runs at</th>
            <th scope="col">Updated</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          ${jobs.map(
            (j) =>
              html`<tr>
                <td class="mono">${j.name} ${j.id}</td>
                <td>${j.queue}</td>
                <td>${statusBadge(j.status)}</td>
                <td class="num">${j.attempts} / ${j.maxAttempts}</td>
                <td>${dateTime(j.runAt)}</td>
                <td>${dateTime(j.updatedAt)}</td>
                <td>${j.lastError ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}
