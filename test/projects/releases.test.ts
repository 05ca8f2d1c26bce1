import { releasesSuite } from '../support/releases-suite.js';

releasesSuite('PGlite', async () => ({}));
