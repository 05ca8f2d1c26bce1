import { alertsSuite } from '../../test/support/alerts-suite.js';

alertsSuite('PGlite', async () => ({}));
