import { ApiError, type WorkerClient } from '../../src/cli/client.js';
import { TERMINAL_STATUSES, type BuildStatus } from '../../src/pipeline/stage-names.js';
import { percentile, round1 } from './report.js';

/** Load shapes of the scale bench: many creates at once, reads while builds run, the wait. */

export interface Accepted {
  buildId: string;
  projectId: string;
  userId: string;
}

export interface CreateOutcome {
  accepted: Accepted[];
  /** Refused or failed requests by error code (HTTP error code, or NETWORK). */
  errors: Record<string, number>;
  wallMs: number;
  p50Ms: number;
  p99Ms: number;
}

const PROMPTS = [
  'A landing page for "Sunrise Bakery" in Lisbon',
  'A todo app for weekly chores',
  'A portfolio for a photographer called "Lena Ortiz"',
  'A blog about urban gardening',
  'A product catalog for a bike shop',
  'An event page for "DevFest 2027"',
];

/** `count` signed creates, `concurrency` in flight at a time, spread over 20 users. */
export async function createMany(
  client: WorkerClient,
  count: number,
  concurrency: number,
  tag: string,
): Promise<CreateOutcome> {
  const accepted: Accepted[] = [];
  const errors: Record<string, number> = {};
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const caller = async () => {
    while (next < count) {
      const i = next++;
      const userId = `scale-${tag}-${i % 20}`;
      const start = performance.now();
      try {
        const r = await client.json<{ buildId: string; projectId: string }>(
          'POST',
          '/v1/create-preview-for-new-project',
          { userId, prompt: PROMPTS[i % PROMPTS.length] },
        );
        accepted.push({ buildId: r.buildId, projectId: r.projectId, userId });
      } catch (err) {
        const code = err instanceof ApiError ? err.code : 'NETWORK';
        errors[code] = (errors[code] ?? 0) + 1;
      }
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, caller));
  return {
    accepted,
    errors,
    wallMs: Math.round(performance.now() - t0),
    p50Ms: round1(percentile(latencies, 50)),
    p99Ms: round1(percentile(latencies, 99)),
  };
}

const isTerminal = (status: string) => TERMINAL_STATUSES.includes(status as BuildStatus);

/**
 * Waits until the database holds at least `total` builds and none is queued or running,
 * asking the admin queue-status route once a second (one cheap query, whatever the count).
 */
export async function waitAllTerminal(
  admin: WorkerClient,
  total: number,
  timeoutMs: number,
): Promise<{ done: boolean; byStatus: Record<string, number> }> {
  const started = Date.now();
  let lastLog = started;
  let byStatus: Record<string, number> = {};
  while (Date.now() - started < timeoutMs) {
    ({ builds: byStatus } = await admin.json<{ builds: Record<string, number> }>(
      'GET',
      '/v1/admin/queue-status',
    ));
    const all = Object.values(byStatus).reduce((a, b) => a + b, 0);
    const open = (byStatus.queued ?? 0) + (byStatus.running ?? 0);
    if (all >= total && open === 0) return { done: true, byStatus };
    if (Date.now() - lastLog > 15_000) {
      console.log(`  ${all - open}/${all} builds terminal (${JSON.stringify(byStatus)})`);
      lastLog = Date.now();
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { done: false, byStatus };
}

export interface Verified {
  byStatus: Record<string, number>;
  /** Accepted builds the API no longer knows (404), or that are not terminal. */
  missing: number;
  notTerminal: number;
  /** Builds that ran to an end (succeeded or failed), from the first start to the last finish. */
  buildsPerMinute: number;
}

interface BuildTimes {
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Reads every accepted build back: each must exist and be terminal. */
export async function verifyBuilds(client: WorkerClient, builds: Accepted[]): Promise<Verified> {
  const byStatus: Record<string, number> = {};
  const ran: BuildTimes[] = [];
  let missing = 0;
  let notTerminal = 0;
  let next = 0;
  const reader = async () => {
    while (next < builds.length) {
      const b = builds[next++] as Accepted;
      try {
        const s = await client.json<BuildTimes>(
          'GET',
          `/v1/builds/${b.buildId}?userId=${b.userId}`,
        );
        byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
        if (!isTerminal(s.status)) notTerminal += 1;
        if ((s.status === 'succeeded' || s.status === 'failed') && s.startedAt) ran.push(s);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'NOT_FOUND') missing += 1;
        else throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: 10 }, reader));
  return { byStatus, missing, notTerminal, buildsPerMinute: perMinute(ran) };
}

function perMinute(ran: BuildTimes[]): number {
  const first = Math.min(...ran.map((b) => Date.parse(b.startedAt ?? '')));
  const last = Math.max(...ran.map((b) => Date.parse(b.finishedAt ?? b.startedAt ?? '')));
  const minutes = (last - first) / 60_000;
  return ran.length > 0 && minutes > 0 ? round1(ran.length / minutes) : 0;
}

/** Cancels every build given (an ended one is left as it is), 10 requests at a time. */
export async function cancelAll(client: WorkerClient, builds: Accepted[]): Promise<void> {
  let next = 0;
  const caller = async () => {
    while (next < builds.length) {
      const b = builds[next++] as Accepted;
      await client.json('POST', `/v1/builds/${b.buildId}/cancel?userId=${b.userId}`);
    }
  };
  await Promise.all(Array.from({ length: 10 }, caller));
}

export interface ApiSample {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  routes: Record<string, { requests: number; p50Ms: number; p99Ms: number }>;
}

/**
 * Non-build routes, round robin from `loops` callers with a short pause each, until `until`
 * settles: a build read, a project's versions, liveness, a billing balance.
 */
export async function sampleApi(
  client: WorkerClient,
  baseUrl: string,
  targets: Accepted[],
  until: Promise<unknown>,
  loops = 4,
): Promise<ApiSample> {
  const routes: Record<string, (t: Accepted) => Promise<unknown>> = {
    'GET /v1/builds/:id': (t) => client.json('GET', `/v1/builds/${t.buildId}?userId=${t.userId}`),
    'GET /v1/projects/:id/versions': (t) =>
      client.json('GET', `/v1/projects/${t.projectId}/versions?userId=${t.userId}`),
    'GET /myhealthz': () =>
      fetch(`${baseUrl}/myhealthz`).then((r) => {
        if (!r.ok) throw new Error(`myhealthz ${r.status}`);
        return r.arrayBuffer();
      }),
    'GET /v1/billing/balance/:userId': (t) => client.json('GET', `/v1/billing/balance/${t.userId}`),
  };
  const names = Object.keys(routes);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  let errors = 0;
  let done = false;
  void until.finally(() => (done = true));
  let n = 0;
  const loop = async () => {
    while (!done) {
      const i = n++;
      const name = names[i % names.length] as string;
      const target = targets[i % targets.length] as Accepted;
      const t0 = performance.now();
      try {
        await routes[name]?.(target);
        times[name]?.push(performance.now() - t0);
      } catch {
        errors += 1;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await Promise.all(Array.from({ length: loops }, loop));
  const all = Object.values(times).flat();
  return {
    requests: all.length,
    p50Ms: round1(percentile(all, 50)),
    p99Ms: round1(percentile(all, 99)),
    maxMs: round1(Math.max(...all)),
    errors,
    routes: Object.fromEntries(
      names.map((name) => {
        const xs = times[name] ?? [];
        return [
          name,
          {
            requests: xs.length,
            p50Ms: round1(percentile(xs, 50)),
            p99Ms: round1(percentile(xs, 99)),
          },
        ];
      }),
    ),
  };
}
