import { describe } from 'vitest';
import { alertsSuite } from '../support/alerts-suite.js';
import { postgresEnv, servicesUp } from '../support/services.js';

describe.skipIf(!servicesUp)('on PostgreSQL', () => {
  alertsSuite('PostgreSQL', postgresEnv());
});
