import { newBuildSuite } from '../support/new-build-suite.js';
import { onPostgres } from '../support/services.js';

onPostgres(newBuildSuite);
