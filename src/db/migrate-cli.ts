import { ConfigError, loadConfig, secretValues } from '../config/config.js';
import { createLogger } from '../observability/logger.js';
import { createRedactor } from '../observability/redact.js';
import { migrate } from './migrate.js';
import { openDatabase } from './open.js';

/** `npm run migrate`: apply pending migrations to the configured database and exit. */
async function run(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({
    level: config.logLevel,
    redact: createRedactor(secretValues(config)),
  });
  const db = await openDatabase(config, logger);
  try {
    const report = await migrate(db);
    process.stdout.write(
      report.applied.length > 0
        ? `applied ${report.applied.join(', ')} to ${db.kind}\n`
        : `${db.kind} schema is up to date (${report.alreadyApplied} migrations)\n`,
    );
  } finally {
    await db.close();
  }
}

run().catch((err: unknown) => {
  const message = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`migrate failed: ${message}\n`);
  process.exit(1);
});
