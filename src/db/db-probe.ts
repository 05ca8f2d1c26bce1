import type { HealthProbe, ProbeResult } from '../services/health.service.js';
import type { Db } from './db.js';

export function databaseProbe(db: Db): HealthProbe {
  return {
    name: 'database',
    async check(): Promise<ProbeResult> {
      const { rows } = await db.query<{ version: number | null }>(
        'SELECT max(version) AS version FROM schema_migrations',
      );
      return { status: 'ok', detail: { kind: db.kind, schemaVersion: rows[0]?.version ?? null } };
    },
  };
}
