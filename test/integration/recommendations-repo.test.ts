import { recommendationsRepoSuite } from '../support/recommendations-repo-suite.js';
import { onPostgres } from '../support/services.js';

onPostgres(recommendationsRepoSuite);
