import { isAppError } from '../errors.js';
import type { HealthProbe, ProbeResult } from '../services/health.service.js';
import type { Db } from './db.js';

export function databaseProbe(db: Db): HealthProbe {
  return {
    name: 'database',
    async check(): Promise<ProbeResult> {
      try {
        const { rows } = await db.query<{ version: number | null }>(
          'SELECT max(version) AS version FROM schema_migrations',
        );
        return { status: 'ok', detail: { kind: db.kind, schemaVersion: rows[0]?.version ?? null } };
      } catch (err) {
        // The outage guard's answer: the server is known to be gone, which is worth saying.
        if (isAppError(err) && err.code === 'SERVICE_UNAVAILABLE')
          return { status: 'down', message: 'cannot reach the database' };
        throw err;
      }
    },
  };
}
