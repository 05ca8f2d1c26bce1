import { Webhook } from 'standardwebhooks';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/webhooks/signing.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { makeProject } from '../support/webhook-events.js';

const OWNER = 'owner-1';

/**
 * POST /v1/webhook: deployment status from a provider, signed as Standard Webhooks (here by
 * the standardwebhooks package, as a sender would), applied once per webhook-id.
 */
describe('inbound deployment webhooks', () => {
  let t: TestApp;
  const secret = newWebhookSecret();
  let projectId: string;
  let versionId: string;
  let deploymentId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { INBOUND_WEBHOOK_SECRET: secret } });
    projectId = await makeProject(t, OWNER);
    versionId = ulid();
    deploymentId = ulid();
    const artifactId = ulid();
    const db = t.container.db;
    await db.query(
      `INSERT INTO artifacts (id, sha256, size_bytes, storage_kind, storage_key)
       VALUES ($1, $2, 1, 'fs', 'k')`,
      [artifactId, 'a'.repeat(64)],
    );
    await db.query(
      `INSERT INTO project_versions (id, project_id, version_number, kind, status, artifact_id)
       VALUES ($1, $2, 1, 'create', 'ready', $3)`,
      [versionId, projectId, artifactId],
    );
    await db.query(
      `INSERT INTO deployments (id, project_id, version_id, artifact_id, environment, provider,
         provider_deployment_id, status)
       VALUES ($1, $2, $3, $4, 'production', 'cloudflare-pages', 'cf-123', 'pending')`,
      [deploymentId, projectId, versionId, artifactId],
    );
  }, 60_000);
  afterAll(() => t?.close());

  const send = (
    id: string,
    payload: unknown,
    options: { secret?: string; at?: Date; headers?: Record<string, string> } = {},
  ) => {
    const body = JSON.stringify(payload);
    const at = options.at ?? new Date();
    const headers = {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(options.secret ?? secret).sign(id, at, body),
      ...options.headers,
    };
    return t.app.inject({ method: 'POST', url: '/v1/webhook', headers, payload: body });
  };
  const report = (data: Record<string, unknown>) => ({ type: 'deployment.status', data });
  const events = async () =>
    (
      await t.container.db.query<{ data: Record<string, unknown> }>(
        `SELECT data FROM project_events WHERE project_id = $1 AND type = 'deployment.updated'`,
        [projectId],
      )
    ).rows;

  it('refuses a missing, wrong or stale signature with a stable code', async () => {
    const body = report({ deploymentId, status: 'active' });
    const unsigned = await t.app.inject({
      method: 'POST',
      url: '/v1/webhook',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    const wrong = await send('evt_wrong', body, { secret: newWebhookSecret() });
    const stale = await send('evt_stale', body, { at: new Date(Date.now() - 3600_000) });
    for (const res of [unsigned, wrong, stale]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    expect(await events()).toHaveLength(0);
  });

  it('answers 404 for an unknown deployment, and keeps no record of the id', async () => {
    const res = await send(
      'evt_unknown',
      report({ providerDeploymentId: 'cf-nope', status: 'failed' }),
    );
    expect(res.statusCode).toBe(404);
    const { rows } = await t.container.db.query(
      `SELECT id FROM inbound_webhook_events WHERE id = 'evt_unknown'`,
    );
    expect(rows).toHaveLength(0);
  });

  it('refuses a signed body that is not a deployment report', async () => {
    const res = await send('evt_bad', { type: 'deployment.status', data: { status: 'exploded' } });
    expect(res.statusCode).toBe(400);
  });

  it('applies a valid report once; a replay of its id changes nothing', async () => {
    const body = report({
      providerDeploymentId: 'cf-123',
      status: 'active',
      url: 'https://hooks-project.pages.dev',
    });
    const first = await send('evt_1', body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      id: 'evt_1',
      duplicate: false,
      deploymentId,
      status: 'active',
      changed: true,
    });
    const { rows } = await t.container.db.query<{ status: string; url: string }>(
      'SELECT status, url FROM deployments WHERE id = $1',
      [deploymentId],
    );
    expect(rows[0]).toEqual({ status: 'active', url: 'https://hooks-project.pages.dev' });
    const project = await t.container.db.query<{ published_version_id: string }>(
      'SELECT published_version_id FROM projects WHERE id = $1',
      [projectId],
    );
    expect(project.rows[0]?.published_version_id).toBe(versionId);

    const replay = await send('evt_1', report({ deploymentId, status: 'failed' }));
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ id: 'evt_1', duplicate: true, changed: false });
    const after = await t.container.db.query<{ status: string }>(
      'SELECT status FROM deployments WHERE id = $1',
      [deploymentId],
    );
    expect(after.rows[0]?.status).toBe('active');
    expect(await events()).toEqual([
      { data: expect.objectContaining({ deploymentId, from: 'pending', status: 'active' }) },
    ]);
  });

  it('refuses to move a deployment that is no longer pending', async () => {
    const res = await send('evt_late', report({ deploymentId, status: 'failed' }));
    expect(res.statusCode).toBe(409);
    const same = await send('evt_same', report({ deploymentId, status: 'active' }));
    expect(same.json()).toMatchObject({ duplicate: false, changed: false });
  });
});
