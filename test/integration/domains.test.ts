import { describe } from 'vitest';
import { domainsSuite } from '../support/domains-suite.js';
import { postgresEnv, servicesUp } from '../support/services.js';

describe.skipIf(!servicesUp)('on PostgreSQL', () => {
  domainsSuite('PostgreSQL', postgresEnv());
});
