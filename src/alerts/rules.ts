import type { Firing } from '../repositories/alerts.repo.js';
import type { AlertSettings } from '../config/observability-config.js';
import type { CircuitSource } from '../observability/metrics.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { OpsStatsRepository } from '../repositories/ops-stats.repo.js';

/** What the rules read. */
export interface RuleInputs {
  stats: Pick<OpsStatsRepository, 'buildOutcomesSince' | 'webhookFailuresSince'>;
  queue: Pick<JobQueue, 'counts' | 'oldestWaitingMs'>;
  /** Free and total bytes where DATA_DIR lives. */
  disk: () => Promise<{ freeBytes: number; totalBytes: number }>;
  circuits: CircuitSource;
  now: () => number;
}

export interface AlertRule {
  name: string;
  /**
   * Set for rules about what only this process sees (its engine breakers, its host's disk):
   * their subjects end in `@owner`, and an evaluator resolves only its own (others' when
   * their process stopped refreshing them). Absent: every evaluator sees the same, shared.
   */
  owner?: string;
  evaluate(): Promise<Omit<Firing, 'rule'>[]>;
}

export const RULE_NAMES = [
  'build.failure_rate',
  'queue.not_draining',
  'queue.oldest_waiting',
  'disk.low',
  'engine.circuit_open',
  'webhook.failures',
] as const;

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const minutes = (ms: number) => `${Math.round(ms / 6000) / 10} min`;

/**
 * The alert rules, with thresholds from config (ALERT_*). `host` and `workerId` name this
 * process for the rules that only it can see.
 */
export function alertRules(
  s: AlertSettings,
  inputs: RuleInputs,
  self: { host: string; workerId: string; dataDir: string },
): AlertRule[] {
  return [
    buildFailureRate(s, inputs),
    queueNotDraining(s, inputs),
    oldestWaiting(s, inputs),
    diskLow(s, inputs, self),
    circuitOpen(inputs, self.workerId),
    webhookFailures(s, inputs),
  ];
}

function buildFailureRate(s: AlertSettings, { stats, now }: RuleInputs): AlertRule {
  return {
    name: 'build.failure_rate',
    async evaluate() {
      const { ended, failed } = await stats.buildOutcomesSince(new Date(now() - s.buildWindowMs));
      const rate = ended === 0 ? 0 : failed / ended;
      if (ended < s.buildFailureMinBuilds || rate < s.buildFailureRate) return [];
      return [
        {
          subject: 'builds',
          severity: rate >= Math.min(1, s.buildFailureRate * 1.5) ? 'critical' : 'warning',
          message: `${failed} of ${ended} builds failed in the last ${minutes(s.buildWindowMs)} (${pct(rate)}, threshold ${pct(s.buildFailureRate)}).`,
          value: rate,
          threshold: s.buildFailureRate,
          details: { ended, failed, windowMs: s.buildWindowMs },
        },
      ];
    },
  };
}

/**
 * A queue with jobs ready to run and none running, for ALERT_QUEUE_STALL_MS: no worker takes
 * its jobs (none started, or all stuck). How long is remembered by this evaluator.
 */
function queueNotDraining(s: AlertSettings, { queue, now }: RuleInputs): AlertRule {
  const stalledSince = new Map<string, number>();
  return {
    name: 'queue.not_draining',
    async evaluate() {
      const counts = await queue.counts();
      const out: Omit<Firing, 'rule'>[] = [];
      for (const [name, c] of Object.entries(counts)) {
        if (c.waiting === 0 || c.active > 0) {
          stalledSince.delete(name);
          continue;
        }
        const since = stalledSince.get(name) ?? now();
        stalledSince.set(name, since);
        const stalledMs = now() - since;
        if (stalledMs < s.queueStallMs) continue;
        out.push({
          subject: name,
          severity: 'critical',
          message: `Queue ${name} has ${c.waiting} waiting jobs and none running for ${minutes(stalledMs)}.`,
          value: stalledMs,
          threshold: s.queueStallMs,
          details: { waiting: c.waiting, active: c.active },
        });
      }
      return out;
    },
  };
}

function oldestWaiting(s: AlertSettings, { queue }: RuleInputs): AlertRule {
  return {
    name: 'queue.oldest_waiting',
    async evaluate() {
      const oldest = await queue.oldestWaitingMs();
      return Object.entries(oldest)
        .filter(([, ms]) => ms >= s.oldestWaitingMs)
        .map(([name, ms]) => ({
          subject: name,
          severity: ms >= 2 * s.oldestWaitingMs ? ('critical' as const) : ('warning' as const),
          message: `The oldest job waiting in queue ${name} has waited ${minutes(ms)} (threshold ${minutes(s.oldestWaitingMs)}).`,
          value: ms,
          threshold: s.oldestWaitingMs,
        }));
    },
  };
}

function diskLow(
  s: AlertSettings,
  { disk }: RuleInputs,
  self: { host: string; dataDir: string },
): AlertRule {
  return {
    name: 'disk.low',
    owner: self.host,
    async evaluate() {
      const { freeBytes, totalBytes } = await disk();
      const freePercent = totalBytes === 0 ? 100 : (freeBytes / totalBytes) * 100;
      if (freePercent >= s.diskFreePercent) return [];
      return [
        {
          subject: `${self.dataDir}@${self.host}`,
          severity: freePercent < s.diskFreePercent / 2 ? 'critical' : 'warning',
          message: `Only ${Math.round(freePercent * 10) / 10}% free (${Math.round(freeBytes / 1024 ** 2)} MB) on the disk of DATA_DIR on ${self.host}.`,
          value: freePercent,
          threshold: s.diskFreePercent,
          details: { freeBytes, totalBytes },
        },
      ];
    },
  };
}

function circuitOpen({ circuits }: RuleInputs, workerId: string): AlertRule {
  return {
    name: 'engine.circuit_open',
    owner: workerId,
    evaluate() {
      return Promise.resolve(
        circuits()
          .filter((c) => c.open)
          .map((c) => ({
            subject: `${c.engine}@${workerId}`,
            severity: 'warning' as const,
            message: `The ${c.engine} engine was unavailable; worker ${workerId} skips it for now (circuit open).`,
            value: 1,
            threshold: 1,
          })),
      );
    },
  };
}

function webhookFailures(s: AlertSettings, { stats, now }: RuleInputs): AlertRule {
  return {
    name: 'webhook.failures',
    async evaluate() {
      const rows = await stats.webhookFailuresSince(new Date(now() - s.webhookWindowMs));
      // Per receiving host: a URL's path may carry a token, the host is what an operator needs.
      const perHost = new Map<string, number>();
      for (const r of rows) {
        const host = hostOf(r.url);
        perHost.set(host, (perHost.get(host) ?? 0) + r.failures);
      }
      return [...perHost]
        .filter(([, n]) => n >= s.webhookFailures)
        .map(([host, n]) => ({
          subject: host,
          severity: 'warning' as const,
          message: `${n} webhook attempts to ${host} failed in the last ${minutes(s.webhookWindowMs)} (threshold ${s.webhookFailures}).`,
          value: n,
          threshold: s.webhookFailures,
        }));
    },
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}
