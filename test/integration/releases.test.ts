import { describe } from 'vitest';
import { releasesSuite } from '../support/releases-suite.js';
import { postgresEnv, servicesUp } from '../support/services.js';

describe.skipIf(!servicesUp)('on PostgreSQL', () => {
  releasesSuite('PostgreSQL', postgresEnv());
});
