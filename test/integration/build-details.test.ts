import { buildDetailsSuite } from '../support/build-details-suite.js';
import { onPostgres } from '../support/services.js';

onPostgres(buildDetailsSuite);
