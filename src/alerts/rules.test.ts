import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import type { QueueCounts } from '../queue/job-queue.js';
import { alertRules, RULE_NAMES, type RuleInputs } from './rules.js';

const settings = loadConfig({
  ALERT_BUILD_FAILURE_RATE: '0.5',
  ALERT_BUILD_FAILURE_MIN_BUILDS: '4',
  ALERT_QUEUE_STALL_MS: '60000',
  ALERT_OLDEST_WAITING_MS: '300000',
  ALERT_DISK_FREE_PERCENT: '10',
  ALERT_WEBHOOK_FAILURES: '3',
}).observability.alerts;

const idle: QueueCounts = { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 };

/** What the rules read, as plain values a test changes between evaluations. */
function world() {
  const w = {
    now: 1_000_000,
    builds: { ended: 0, failed: 0 },
    webhookFailures: [] as Array<{ url: string; failures: number }>,
    counts: { builds: { ...idle }, ai: { ...idle }, webhooks: { ...idle } },
    oldest: { builds: 0, ai: 0, webhooks: 0 },
    disk: { freeBytes: 500, totalBytes: 1000 },
    circuits: [{ engine: 'anthropic', open: false }],
  };
  const inputs: RuleInputs = {
    stats: {
      buildOutcomesSince: async () => w.builds,
      webhookFailuresSince: async () => w.webhookFailures,
    },
    queue: { counts: async () => w.counts, oldestWaitingMs: async () => w.oldest },
    disk: async () => w.disk,
    circuits: () => w.circuits,
    now: () => w.now,
  };
  const rules = alertRules(settings, inputs, { host: 'h1', workerId: 'w1', dataDir: '/data' });
  const rule = (name: string) => {
    const found = rules.find((r) => r.name === name);
    if (!found) throw new Error(`no rule ${name}`);
    return found;
  };
  return { w, rule, rules };
}

describe('alert rules', () => {
  it('has one rule per name the docs list', () => {
    expect(world().rules.map((r) => r.name)).toEqual([...RULE_NAMES]);
  });

  it('build failure rate fires at the threshold with enough builds, and clears', async () => {
    const { w, rule } = world();
    w.builds = { ended: 3, failed: 3 };
    expect(await rule('build.failure_rate').evaluate()).toEqual([]); // too few builds to judge
    w.builds = { ended: 10, failed: 5 };
    const [fired] = await rule('build.failure_rate').evaluate();
    expect(fired).toMatchObject({ subject: 'builds', value: 0.5, threshold: 0.5 });
    w.builds = { ended: 10, failed: 4 };
    expect(await rule('build.failure_rate').evaluate()).toEqual([]);
  });

  it('a queue with work waiting and nothing running fires after the stall time, and clears', async () => {
    const { w, rule } = world();
    w.counts.builds = { ...idle, waiting: 3 };
    expect(await rule('queue.not_draining').evaluate()).toEqual([]); // starts counting
    w.now += 59_000;
    expect(await rule('queue.not_draining').evaluate()).toEqual([]);
    w.now += 2_000;
    const [fired] = await rule('queue.not_draining').evaluate();
    expect(fired).toMatchObject({ subject: 'builds', severity: 'critical', value: 61_000 });
    w.counts.builds = { ...idle, waiting: 3, active: 1 };
    expect(await rule('queue.not_draining').evaluate()).toEqual([]);
  });

  it('the oldest waiting job fires per queue past its threshold, and clears', async () => {
    const { w, rule } = world();
    w.oldest = { builds: 299_000, ai: 300_000, webhooks: 700_000 };
    const fired = await rule('queue.oldest_waiting').evaluate();
    expect(fired.map((f) => [f.subject, f.severity])).toEqual([
      ['ai', 'warning'],
      ['webhooks', 'critical'],
    ]);
    w.oldest = { builds: 0, ai: 0, webhooks: 0 };
    expect(await rule('queue.oldest_waiting').evaluate()).toEqual([]);
  });

  it('low disk fires for this host only, and clears', async () => {
    const { w, rule } = world();
    w.disk = { freeBytes: 40, totalBytes: 1000 };
    const [fired] = await rule('disk.low').evaluate();
    expect(fired).toMatchObject({ subject: '/data@h1', severity: 'critical', value: 4 });
    expect(rule('disk.low').owner).toBe('h1');
    w.disk = { freeBytes: 200, totalBytes: 1000 };
    expect(await rule('disk.low').evaluate()).toEqual([]);
  });

  it("an open engine circuit fires for this worker's breaker, and clears", async () => {
    const { w, rule } = world();
    w.circuits = [{ engine: 'anthropic', open: true }];
    const [fired] = await rule('engine.circuit_open').evaluate();
    expect(fired).toMatchObject({ subject: 'anthropic@w1' });
    w.circuits = [{ engine: 'anthropic', open: false }];
    expect(await rule('engine.circuit_open').evaluate()).toEqual([]);
  });

  it('webhook failures add up per receiving host (never the path), and clear', async () => {
    const { w, rule } = world();
    w.webhookFailures = [
      { url: 'https://hooks.example.com/a/secret-token', failures: 2 },
      { url: 'https://hooks.example.com/b', failures: 1 },
      { url: 'https://other.example.com/', failures: 2 },
    ];
    const fired = await rule('webhook.failures').evaluate();
    expect(fired.map((f) => [f.subject, f.value])).toEqual([['hooks.example.com', 3]]);
    expect(JSON.stringify(fired)).not.toContain('secret-token');
    w.webhookFailures = [];
    expect(await rule('webhook.failures').evaluate()).toEqual([]);
  });
});
