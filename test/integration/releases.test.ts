import { afterAll, describe } from 'vitest';
import { releasesSuite } from '../support/releases-suite.js';
import { freshPostgresSchema, servicesUp } from '../support/services.js';

const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

describe.skipIf(!servicesUp)('on PostgreSQL', () => {
  releasesSuite('PostgreSQL', async () => {
    const schema = await freshPostgresSchema();
    drops.push(schema.drop);
    return { DATABASE_URL: schema.url };
  });
});
