import type {
  Attempt,
  Delivery,
  DeliveryStatus,
} from '../../repositories/webhook-deliveries.repo.js';
import { DELIVERY_STATUSES } from '../../repositories/webhook-deliveries.repo.js';
import { html } from '../html.js';
import { csrfField, dateTime, page, statusBadge } from './layout.js';

type DeliveryWithAttempts = Delivery & { attemptLog: Attempt[] };

/** Webhook deliveries, newest first, each with its attempts and a redeliver button. */
export function webhooksPage(
  csrf: string,
  deliveries: DeliveryWithAttempts[],
  status: DeliveryStatus | undefined,
  notice?: string,
): string {
  return page(
    { title: 'Webhooks', section: 'webhooks', csrf, notice },
    html`<form class="card" method="get" action="/console/webhooks">
        <label for="status">Status</label>
        <select id="status" name="status">
          <option value="">all</option>
          ${DELIVERY_STATUSES.map(
            (s) => html`<option value="${s}" ${s === status ? html`selected` : ''}>${s}</option>`,
          )}
        </select>
        <div class="actions"><button type="submit">Filter</button></div>
      </form>
      ${deliveries.length === 0 ? html`<p class="card hint">No deliveries.</p>` : ''}
      ${deliveries.map(
        (d) =>
          html`<section class="card" aria-label="Delivery ${d.id}">
            <p>
              <strong>${d.eventType}</strong> ${statusBadge(d.status)} · ${d.endpoint} endpoint ·
              <span class="mono">${d.url}</span>
            </p>
            <p class="hint">
              ${dateTime(d.createdAt)} · ${d.attempts} attempt(s)
              ${d.lastStatus !== null ? ` · last response ${d.lastStatus}` : ''}
              ${d.projectId ? html` · <a href="/console/projects/${d.projectId}">project</a>` : ''}
            </p>
            <table>
              <caption class="hint">
                Attempts
              </caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">When</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Response</th>
                  <th scope="col">Latency</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                ${d.attemptLog.map(
                  (a) =>
                    html`<tr>
                      <td class="num">${a.attempt}</td>
                      <td>${dateTime(a.createdAt)}</td>
                      <td>${statusBadge(a.outcome)}</td>
                      <td class="num">${a.statusCode ?? '—'}</td>
                      <td class="num">${a.latencyMs} ms</td>
                      <td>${a.error ?? ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            <form method="post" action="/console/webhooks/${d.id}/redeliver">
              ${csrfField(csrf)}
              <div class="actions">
                <button
                  type="submit"
                  class="secondary"
                  aria-label="Redeliver ${d.eventType} ${d.id}"
                >
                  Redeliver
                </button>
              </div>
            </form>
          </section>`,
      )}`,
  );
}
