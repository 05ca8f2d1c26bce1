import { recommendationsRepoSuite } from '../support/recommendations-repo-suite.js';
import { openMigratedPglite } from '../support/pglite-template.js';

recommendationsRepoSuite('PGlite', openMigratedPglite);
