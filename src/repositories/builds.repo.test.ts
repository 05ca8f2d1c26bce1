import { newBuildSuite } from '../../test/support/new-build-suite.js';
import { migrate } from '../db/migrate.js';
import { openPglite } from '../db/pglite.js';

newBuildSuite('PGlite', async () => {
  const db = await openPglite(undefined);
  await migrate(db);
  return db;
});
