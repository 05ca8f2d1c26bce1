import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../src/pipeline/jobs.js';
import type { StageName } from '../../src/pipeline/stage-names.js';
import type { Db } from '../../src/db/db.js';
import { signedInject, startTestApp, type TestApp } from './harness.js';
import { ScriptedEngine } from './scripted-engine.js';

/** A failure the queue retries: what a worker that died mid-job looks like to the next one. */
class WorkerDied extends Error {
  readonly retryable = true;
}

/** Every row a build's effects leave, counted so that a retried job can be compared. */
export interface EffectCounts {
  versions: number;
  readyVersions: number;
  deployments: number;
  artifacts: number;
  recommendations: number;
  reservations: number;
  settledReservations: number;
  /** Audit rows (reserve, settle, refund) a reservation has more than once: always none. */
  repeatedAudit: string[];
  projectEvents: Record<string, number>;
  /** Webhook deliveries per outbox event type (one endpoint: 1 each, or none if not sent). */
  deliveries: Record<string, number>;
  /** build.finished events: the build ended once. */
  finishedEvents: number;
}

export async function effectsOf(db: Db, buildId: string): Promise<EffectCounts> {
  const one = async (sql: string) =>
    Number((await db.query<{ n: number }>(sql, [buildId])).rows[0]?.n ?? 0);
  const build = `(SELECT version_id FROM builds WHERE id = $1)`;
  const project = `(SELECT project_id FROM builds WHERE id = $1)`;
  const audit = await db.query<{ action: string }>(
    `SELECT action FROM quota_audit_log WHERE build_id = $1 AND reservation_id IS NOT NULL
     GROUP BY action, reservation_id HAVING count(*) > 1`,
    [buildId],
  );
  const events = await db.query<{ type: string; n: number }>(
    `SELECT type, count(*)::int AS n FROM project_events WHERE project_id = ${project}
     GROUP BY type`,
    [buildId],
  );
  const deliveries = await db.query<{ type: string; n: number }>(
    `SELECT e.type, count(*)::int AS n FROM project_events e
     JOIN webhook_deliveries d ON d.event_id = e.id
     WHERE e.project_id = ${project} GROUP BY e.type`,
    [buildId],
  );
  return {
    versions: await one(`SELECT count(*)::int AS n FROM project_versions WHERE id = ${build}`),
    readyVersions: await one(
      `SELECT count(*)::int AS n FROM project_versions WHERE id = ${build} AND status = 'ready'`,
    ),
    deployments: await one(`SELECT count(*)::int AS n FROM deployments WHERE build_id = $1`),
    // Content-addressed: the same bytes stored again are the same row.
    artifacts: await one(
      `SELECT count(*)::int AS n FROM artifacts WHERE id IN (
         SELECT artifact_id FROM project_versions WHERE id = ${build}
         UNION SELECT source_artifact_id FROM project_versions WHERE id = ${build})`,
    ),
    recommendations: await one(
      `SELECT count(*)::int AS n FROM recommendations WHERE version_id = ${build}`,
    ),
    reservations: await one(
      `SELECT count(*)::int AS n FROM quota_reservations WHERE build_id = $1`,
    ),
    settledReservations: await one(
      `SELECT count(*)::int AS n FROM quota_reservations WHERE build_id = $1 AND status = 'settled'`,
    ),
    repeatedAudit: audit.rows.map((r) => r.action),
    projectEvents: Object.fromEntries(events.rows.map((r) => [r.type, r.n])),
    deliveries: Object.fromEntries(deliveries.rows.map((r) => [r.type, r.n])),
    finishedEvents: await one(
      `SELECT count(*)::int AS n FROM build_events WHERE build_id = $1 AND type = 'build.finished'`,
    ),
  };
}

/**
 * A worker dies right after a stage's effect committed and before the stage was saved as done;
 * the queue runs the job again. Whatever stage it was, every effect exists exactly once, as
 * after a build no one killed. Runs on whichever database `env` selects.
 */
export function retriedStagesSuite(profile: string, env: () => Promise<Record<string, string>>) {
  describe(`a stage retried after its worker died does not repeat its effect (${profile})`, () => {
    let t: TestApp;
    let engine: ScriptedEngine;
    let baseline: EffectCounts;

    beforeAll(async () => {
      engine = new ScriptedEngine({ 'index.html': '<h1>retried</h1>' });
      // The scripted engine is metered: each build reserves and settles AI time.
      t = await startTestApp({ engine, env: await env() });
      engine.generateUsage = { durationMs: 2500 };
      baseline = await effectsOf(t.container.db, await runBuild(undefined));
    }, 120_000);
    afterAll(async () => {
      delete t.container.pipeline.afterStageWork;
      await t.close();
    });

    /** Creates a build, runs its job as the queue would (killed once after `killAfter`). */
    async function runBuild(killAfter: StageName | undefined): Promise<string> {
      const res = await signedInject(t.app, {
        method: 'POST',
        url: '/v1/create-preview-for-new-project',
        body: { userId: 'retry-user', prompt: `killed after ${killAfter ?? 'nothing'}` },
      });
      expect(res.statusCode).toBe(202);
      const { buildId, projectId } = res.json<{ buildId: string; projectId: string }>();
      await t.container.db.query(
        `INSERT INTO project_webhooks (project_id, url, secret)
       VALUES ($1, 'http://127.0.0.1:9/hooks', 'whsec_dGVzdA==')`,
        [projectId],
      );
      let killed = false;
      t.container.pipeline.afterStageWork = async (stage, id) => {
        if (stage === killAfter && id === buildId && !killed) {
          killed = true;
          throw new WorkerDied(`worker died after ${stage}`);
        }
      };
      const run = jobHandlers(t.container.pipeline, 'retry-worker')['build.run'];
      const signal = new AbortController().signal;
      if (killAfter) {
        await expect(run({ buildId }, { attempt: 1, maxAttempts: 3, signal })).rejects.toThrow(
          /worker died/,
        );
        expect(killed).toBe(true);
      }
      await run({ buildId }, { attempt: killAfter ? 2 : 1, maxAttempts: 3, signal });
      // The outbox turns each event into deliveries; run it as the dispatcher's timer would.
      await t.container.webhookDispatcher.runOnce();
      return buildId;
    }

    it('a build no one killed has one of each', () => {
      expect(baseline).toMatchObject({
        versions: 1,
        readyVersions: 1,
        deployments: 1,
        reservations: 1,
        settledReservations: 1,
        repeatedAudit: [],
        projectEvents: { 'version.created': 1, 'version.ready': 1, 'build.succeeded': 1 },
        deliveries: { 'build.succeeded': 1 },
        finishedEvents: 1,
      });
      expect(Object.values(baseline.deliveries).every((n) => n === 1)).toBe(true);
      expect(baseline.artifacts).toBeGreaterThan(0);
      expect(baseline.recommendations).toBeGreaterThan(0);
    });

    it.each<StageName>(['generate', 'package', 'deploy', 'record', 'recommend'])(
      'killed after %s',
      async (stage) => {
        const buildId = await runBuild(stage);
        const build = await t.container.pipeline.builds.get(buildId);
        expect(build).toMatchObject({ status: 'succeeded', attempts: 2 });
        // The stages say what ran: none is left running in an ended build.
        expect(build?.stages.filter((s) => s.status === 'running')).toEqual([]);
        expect(build?.stages.find((s) => s.name === 'record')?.status).toBe('succeeded');
        const effects = await effectsOf(t.container.db, buildId);
        // Once the version is recorded the retried job ends the build as it stands: the
        // advisory recommendations of the dead job's recommend stage may be missing (a client
        // asks for them again with POST /v1/recommendations/:projectId), never doubled.
        if (stage === 'record') {
          expect(effects.recommendations).toBeLessThanOrEqual(baseline.recommendations);
          effects.recommendations = baseline.recommendations;
        }
        expect(effects).toEqual(baseline);
      },
      120_000,
    );
  });
}
