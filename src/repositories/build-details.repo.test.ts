import { buildDetailsSuite } from '../../test/support/build-details-suite.js';
import { openMigratedPglite } from '../../test/support/pglite-template.js';

buildDetailsSuite('PGlite', openMigratedPglite);
