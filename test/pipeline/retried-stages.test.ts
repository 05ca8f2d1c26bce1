import { retriedStagesSuite } from '../support/retried-stages-suite.js';

retriedStagesSuite('PGlite', () => Promise.resolve({}));
