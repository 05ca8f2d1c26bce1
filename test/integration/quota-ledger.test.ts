import { quotaLedgerSuite } from '../support/quota-suite.js';
import { onPostgres } from '../support/services.js';

onPostgres(quotaLedgerSuite, 10);
