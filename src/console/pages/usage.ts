import type { LedgerEntry } from '../../repositories/console-reads.repo.js';
import type { TaskModelUsage } from '../../repositories/usage.repo.js';
import type { QuotaService } from '../../services/quota.service.js';
import { html } from '../html.js';
import { periodTaskTable } from './ai-usage.js';
import { dateTime, page } from './layout.js';

type Balance = Awaited<ReturnType<QuotaService['balance']>>;

/** Engine calls per task and model over the days the page covers. */
export interface TaskCosts {
  days: number;
  byTask: TaskModelUsage[];
}

/**
 * A user's AI time: balance, the plan and bonuses with their expiry, cost per task and model,
 * and the ledger.
 */
export function usagePage(
  csrf: string,
  balance: Balance,
  ledger: LedgerEntry[],
  costs: TaskCosts,
): string {
  const { plan } = balance;
  return page(
    { title: 'Usage', section: 'usage', csrf },
    html`<form class="card" method="get" action="/console/usage">
        <label for="userId">User id</label>
        <input
          type="text"
          id="userId"
          name="userId"
          required
          maxlength="128"
          value="${balance.userId}"
        />
        <div class="actions"><button type="submit">Show</button></div>
      </form>
      <div class="grid">
        <section class="card" aria-labelledby="balance-heading">
          <h2 id="balance-heading">Balance</h2>
          <p class="stat">${balance.balanceSeconds} s</p>
          <p class="hint">
            ${balance.reservedSeconds} s held by open reservations
            ${balance.metered ? '' : html`· the configured engine is not metered`}
          </p>
        </section>
        <section class="card" aria-labelledby="plan-heading">
          <h2 id="plan-heading">Plan</h2>
          ${
            plan
              ? html`<p>${plan.usedSeconds} of ${plan.allowanceSeconds} s used (${plan.source})</p>
                  <p class="hint">${dateTime(plan.periodStart)} to ${dateTime(plan.periodEnd)}</p>`
              : html`<p class="hint">No plan.</p>`
          }
        </section>
      </div>
      <h2 id="tasks-heading">Cost per task and model</h2>
      <p class="hint">Engine calls in the last ${costs.days} days.</p>
      ${periodTaskTable(costs.byTask)}
      <h2 id="grants-heading">Bonus grants</h2>
      <table aria-labelledby="grants-heading">
        <thead>
          <tr>
            <th scope="col">Reason</th>
            <th scope="col">Granted</th>
            <th scope="col">Left</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          ${
            balance.bonuses.length === 0
              ? html`<tr>
                  <td colspan="4" class="hint">No live bonuses.</td>
                </tr>`
              : balance.bonuses.map(
                  (b) =>
                    html`<tr>
                      <td>${b.reason}</td>
                      <td class="num">${b.seconds} s</td>
                      <td class="num">${b.remainingSeconds} s</td>
                      <td>${b.expiresAt ? dateTime(b.expiresAt) : 'never'}</td>
                    </tr>`,
                )
          }
        </tbody>
      </table>
      <h2 id="ledger-heading">Ledger</h2>
      <table aria-labelledby="ledger-heading">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Seconds</th>
            <th scope="col">Balance after</th>
            <th scope="col">Reason</th>
            <th scope="col">Build</th>
          </tr>
        </thead>
        <tbody>
          ${
            ledger.length === 0
              ? html`<tr>
                  <td colspan="6" class="hint">No movements yet.</td>
                </tr>`
              : ledger.map(
                  (e) =>
                    html`<tr>
                      <td>${dateTime(e.createdAt)}</td>
                      <td>${e.action}${e.grantKind ? ` (${e.grantKind})` : ''}</td>
                      <td class="num">${e.seconds}</td>
                      <td class="num">${e.balanceAfter ?? '—'}</td>
                      <td>${e.reason ?? ''}</td>
                      <td>
                        ${e.buildId ? html`<a href="/console/builds/${e.buildId}" class="mono">${e.buildId}</a>` : ''}
                      </td>
                    </tr>`,
                )
          }
        </tbody>
      </table>`,
  );
}
