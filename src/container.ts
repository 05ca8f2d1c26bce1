import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import type { DestinationStream } from 'pino';
import { claudeCliProbe } from './ai/claude-cli-probe.js';
import { engineProbe } from './ai/engine-probe.js';
import { DbNonceStore } from './auth/db-nonce-store.js';
import type { NonceStore } from './auth/nonce-store.js';
import { RedisNonceStore } from './auth/redis-nonce-store.js';
import { secretValues, type Config } from './config/config.js';
import type { Db } from './db/db.js';
import { databaseProbe } from './db/db-probe.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import { diskProbe } from './observability/disk-probe.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createRedactor, type Redactor } from './observability/redact.js';
import { connectRedis, redisProbe, type Redis } from './redis/redis.js';
import type { HealthProbe, ProbeResult } from './services/health.service.js';
import { HealthService } from './services/health.service.js';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
export const VERSION = pkg.version;

/** Everything a process needs, built once from validated config. The only place adapters are chosen. */
export interface Container {
  config: Config;
  logger: Logger;
  redact: Redactor;
  db: Db;
  redis: Redis | undefined;
  nonces: NonceStore;
  health: HealthService;
  checkClaudeCli: () => Promise<ProbeResult>;
  close(): Promise<void>;
}

export interface ContainerOptions {
  /** Log destination (tests capture lines here); stdout by default. */
  logDestination?: DestinationStream;
  /** An already-open database (tests share one); opened from config otherwise. */
  db?: Db;
}

export async function createContainer(
  config: Config,
  options: ContainerOptions = {},
): Promise<Container> {
  const redact = createRedactor(secretValues(config));
  const logger = createLogger({
    level: config.logLevel,
    redact,
    destination: options.logDestination,
  });
  await mkdir(config.dataDir, { recursive: true });

  const db = options.db ?? (await openDatabase(config, logger));
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const report = await migrate(db);
    if (report.applied.length > 0) logger.info({ applied: report.applied }, 'migrations applied');

    const redis = config.redis ? await connectRedis(config.redis.url) : undefined;
    if (redis) closers.push(() => redis.quit());
    const nonces: NonceStore = redis
      ? new RedisNonceStore(redis, config.redis?.keyPrefix ?? 'sheen')
      : new DbNonceStore(db);

    const checkClaudeCli = claudeCliProbe(config.ai.claudeCli.bin, config.systemPath);
    const probes: HealthProbe[] = [
      databaseProbe(db),
      ...(redis ? [redisProbe(redis)] : []),
      diskProbe(config.dataDir),
      engineProbe(config.ai.provider, checkClaudeCli),
    ];

    return {
      config,
      logger,
      redact,
      db,
      redis,
      nonces,
      health: new HealthService(probes, VERSION),
      checkClaudeCli,
      async close() {
        await nonces.close();
        for (const close of closers.reverse()) await close().catch(() => undefined);
        if (!options.db) await db.close();
        logger.flush();
      },
    };
  } catch (err) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    if (!options.db) await db.close().catch(() => undefined);
    throw err;
  }
}
