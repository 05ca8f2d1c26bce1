import { ulid } from 'ulid';
import { expect } from 'vitest';
import { ProjectEventsRepository } from '../../src/repositories/project-events.repo.js';
import type { TestApp } from './harness.js';

/** A project row of `userId`, made directly: webhook tests need one, not a build. */
export async function makeProject(t: TestApp, userId: string): Promise<string> {
  const id = ulid();
  await t.container.db.query(`INSERT INTO projects (id, user_id, name) VALUES ($1, $2, 'Hooks')`, [
    id,
    userId,
  ]);
  return id;
}

/** Appends a project event the way the services do: in a transaction of its own change. */
export async function appendDomainVerified(
  t: TestApp,
  projectId: string,
  userId: string,
): Promise<void> {
  await t.container.db.transaction((tx) =>
    new ProjectEventsRepository().append(tx, {
      projectId,
      userId,
      type: 'domain.verified',
      data: { domain: 'shop.example.com' },
    }),
  );
}

export interface DeliveryRow {
  id: string;
  status: string;
  attempts: number;
  url: string;
}

export interface AttemptRow {
  attempt: number;
  outcome: string;
  address: string | null;
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  created_at: Date;
}

/** Waits until the project's delivery has left `pending`, and returns it with its attempts. */
export async function settledDelivery(t: TestApp, projectId: string, timeout = 20_000) {
  let delivery: DeliveryRow | undefined;
  await expect
    .poll(
      async () => {
        const { rows } = await t.container.db.query<DeliveryRow>(
          `SELECT id, status, attempts, url FROM webhook_deliveries WHERE project_id = $1`,
          [projectId],
        );
        delivery = rows[0];
        return delivery?.status;
      },
      { timeout, interval: 50 },
    )
    .toMatch(/^(delivered|failed|cancelled)$/);
  const { rows: attempts } = await t.container.db.query<AttemptRow>(
    `SELECT attempt, outcome, address, status_code, error, latency_ms, created_at
     FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt`,
    [delivery?.id],
  );
  return { delivery: delivery as DeliveryRow, attempts };
}
