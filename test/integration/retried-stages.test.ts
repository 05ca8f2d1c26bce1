import { describe } from 'vitest';
import { retriedStagesSuite } from '../support/retried-stages-suite.js';
import { postgresEnv, servicesUp } from '../support/services.js';

describe.skipIf(!servicesUp)('on PostgreSQL', () => {
  retriedStagesSuite('PostgreSQL', postgresEnv());
});
