import { afterAll, describe } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres.js';
import { quotaLedgerSuite } from '../support/quota-suite.js';
import { freshPostgresSchema, servicesUp } from '../support/services.js';

const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

describe.skipIf(!servicesUp)('on PostgreSQL', () => {
  quotaLedgerSuite('PostgreSQL', async () => {
    const schema = await freshPostgresSchema();
    drops.push(schema.drop);
    const db = openPostgres({ url: schema.url, poolMax: 10 });
    await migrate(db);
    return db;
  });
});
