import { afterAll, describe } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres.js';
import { newBuildSuite } from '../support/new-build-suite.js';
import { freshPostgresSchema, servicesUp } from '../support/services.js';

describe.skipIf(!servicesUp)('on PostgreSQL', () => {
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });
  newBuildSuite('PostgreSQL', async () => {
    const schema = await freshPostgresSchema();
    drops.push(schema.drop);
    const db = openPostgres({ url: schema.url, poolMax: 4 });
    await migrate(db);
    return db;
  });
});
