import { quotaLedgerSuite } from '../support/quota-suite.js';
import { openMigratedPglite } from '../support/pglite-template.js';

quotaLedgerSuite('PGlite', openMigratedPglite);
