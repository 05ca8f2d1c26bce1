import { retentionSuite } from '../support/retention-suite.js';

retentionSuite('PGlite', async () => ({}));
