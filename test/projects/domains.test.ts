import { domainsSuite } from '../support/domains-suite.js';

domainsSuite('PGlite', async () => ({}));
