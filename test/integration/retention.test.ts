import { describe } from 'vitest';
import { retentionSuite } from '../support/retention-suite.js';
import { postgresEnv, servicesUp } from '../support/services.js';

// On PostgreSQL two cleanup runs really overlap: the advisory lock keeps them apart.
describe.skipIf(!servicesUp)('on PostgreSQL', () => {
  retentionSuite('PostgreSQL', postgresEnv());
});
