import { createRequire } from 'node:module';
import { chmod, mkdir } from 'node:fs/promises';
import type { DestinationStream } from 'pino';
import { hostname } from 'node:os';
import { newId } from './ids.js';
import type { AiEngine } from './ai/engine.js';
import { engineProbe } from './ai/engine-probe.js';
import { circuitsOf } from './ai/engine-chain.js';
import { s3BucketProbe } from './artifacts/artifact-store-probe.js';
import { createArtifactStore } from './artifacts/create-artifact-store.js';
import { CompressionCache } from './artifacts/compression-cache.js';
import { resolveToolchain, type Toolchain } from './build/toolchain.js';
import { TreeWalker } from './build/tree-walker.js';
import type { LocalPreviewHost, PreviewUrls } from './deploy/local-preview.js';
import type { EventBus } from './events/event-bus.js';
import { MemoryEventBus } from './events/memory-bus.js';
import { RedisEventBus } from './events/redis-bus.js';
import type { PipelineDeps } from './pipeline/context.js';
import type { SweepReport } from './pipeline/sweep.js';
import { createQueue } from './queue/create-queue.js';
import type { JobQueue } from './queue/job-queue.js';
import { queueProbe } from './queue/queue-probe.js';
import type { QueueReconciler } from './queue/reconcile.js';
import type { EventsRepository } from './repositories/events.repo.js';
import { createRecommendations } from './recommendations/create-recommendations.js';
import type { RecommendationsService } from './recommendations/recommendations.service.js';
import type { DomainsService } from './services/domains.service.js';
import type { ProjectsService } from './services/projects.service.js';
import type { QuotaService } from './services/quota.service.js';
import { createQuota } from './billing/create-quota.js';
import type { ReleaseService, Transaction } from './services/release.service.js';
import type { SitesService } from './services/sites.service.js';
import type { ArtifactCleanupService } from './services/artifact-cleanup.service.js';
import type { ProbeMemo } from './sandbox/create-sandbox.js';
import { assertBuildsCanReach } from './sandbox/reach-check.js';
import type { IdentityPool } from './sandbox/identity-pool.js';
import type { Sandbox } from './sandbox/sandbox.js';
import type { BuildService } from './services/build.service.js';
import { ImportService } from './services/import.service.js';
import type { GenerateService } from './services/generate.service.js';
import { leftoverSweep, pipelineSettings, queueReconciler } from './wiring/worker-upkeep.js';
import { createSupplyChecks } from './supply/supply-checks.js';
import type { AdmissionStore } from './http/admission/admission.js';
import { secretValues, type Config } from './config/config.js';
import type { Db } from './db/db.js';
import { databaseProbe } from './db/db-probe.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import { guardDatabase } from './db/outage-guard.js';
import { diskProbe } from './observability/disk-probe.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createRedactor, type Redactor } from './observability/redact.js';
import { DependencyState } from './observability/dependency-state.js';
import { Metrics } from './observability/metrics.js';
import { redisProbe, type Redis } from './redis/redis.js';
import type { HealthProbe, ProbeResult } from './services/health.service.js';
import { HealthService } from './services/health.service.js';
import type { InboundWebhooksService } from './services/inbound-webhooks.service.js';
import type { WebhookDispatcher } from './webhooks/dispatcher.js';
import type { WebhooksService } from './services/webhooks.service.js';
import { webhookParts } from './webhooks/create-webhooks.js';
import { alertParts } from './alerts/create-alerts.js';
import type { AlertEvaluator } from './alerts/alert-evaluator.js';
import type { AlertsRepository } from './repositories/alerts.repo.js';
import type { OpsStatsRepository } from './repositories/ops-stats.repo.js';
import { createConsole, type ConsoleParts } from './console/create-console.js';
import { createBuildService } from './wiring/build-service.js';
import { openConnections } from './wiring/connections.js';
import { createExecution } from './wiring/execution.js';
import { createHosting } from './wiring/hosting.js';
import { createProjectServices } from './wiring/project-services.js';
import { createRepositories, type Repositories } from './wiring/repositories.js';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
export const VERSION = pkg.version;

/** Everything a process needs, built once from validated config. The only place adapters are chosen. */
export interface Container {
  config: Config;
  logger: Logger;
  redact: Redactor;
  db: Db;
  /** The request-path Redis connection (nonces, rate limits): fails at once while disconnected. */
  redis: Redis | undefined;
  /** Which dependencies this process cannot reach right now. */
  dependencies: DependencyState;
  /** Per-IP and per-user counts and nonce claims, checked together on each signed request. */
  admission: AdmissionStore;
  health: HealthService;
  checkClaudeCli: () => Promise<ProbeResult>;
  workerId: string;
  engine: AiEngine;
  sandbox: Sandbox;
  identities: IdentityPool;
  bus: EventBus;
  queue: JobQueue;
  events: EventsRepository;
  previews: LocalPreviewHost;
  pipeline: PipelineDeps;
  builds: BuildService;
  /** Projects imported from an uploaded archive (POST /v1/projects/import). */
  imports: ImportService;
  quota: QuotaService;
  projects: ProjectsService;
  releases: ReleaseService;
  recommendations: RecommendationsService;
  domains: DomainsService;
  sites: SitesService;
  /** Names nobody may claim as a custom domain: the worker's own host names. */
  reservedDomainSuffixes: readonly string[];
  generate: GenerateService;
  previewUrls: PreviewUrls;
  /** Deletes expired artifacts nothing live uses (on a timer on workers, and by admin call). */
  artifactCleanup: ArtifactCleanupService;
  webhooks: WebhooksService;
  inboundWebhooks: InboundWebhooksService;
  /** Turns the outbox into delivery jobs; started with the workers (main.ts), stopped by close. */
  webhookDispatcher: WebhookDispatcher;
  /** Puts back work the queue lost; run by the workers at start-up and on a timer (main.ts). */
  queueReconciler: QueueReconciler;
  /**
   * Removes what earlier runs left behind: once at start, before the workers, and then
   * `periodic`ally while other processes may be writing DATA_DIR (staging files are then
   * left until they are stale, and idle sandbox uids are swept too).
   */
  sweepLeftovers(options?: { periodic?: boolean }): Promise<SweepReport>;
  /** This process's Prometheus registry, fed where the work happens (GET /metrics). */
  metrics: Metrics;
  /** Rule alerts and one-off notices (GET /v1/admin/alerts). */
  alerts: AlertsRepository;
  /** Opens and resolves rule alerts; run by the workers on a timer (main.ts). */
  alertEvaluator: AlertEvaluator;
  /** Webhook and cleanup backlogs for the queue-status route. */
  opsStats: OpsStatsRepository;
  /** The web console's sign-in, sessions and operator reads. */
  console: ConsoleParts;
  /** Stops everything; active jobs get `jobGraceMs` (default: most of SHUTDOWN_TIMEOUT_MS). */
  close(jobGraceMs?: number, handBackMs?: number): Promise<void>;
}

export interface ContainerOptions {
  /** Log destination (tests capture lines here); stdout by default. */
  logDestination?: DestinationStream;
  /** An already-open database (tests share one); opened from config otherwise. */
  db?: Db;
  /** An engine to use instead of the configured one (tests drive the pipeline with scripted apps). */
  engine?: AiEngine;
  /**
   * A migrated PGlite data directory to copy into a DATA_DIR that holds no database yet, in
   * place of initdb (tests build one per run). Migrations still run against the copy. Ignored
   * with DATABASE_URL or `db`.
   */
  pgliteTemplate?: string;
  /** Sandbox setups already probed in this process (tests start many apps alike; see ProbeMemo). */
  sandboxProbes?: ProbeMemo;
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
    format: config.observability.logFormat,
  });
  const toolchain = await prepareDataDir(config);
  const dependencies = new DependencyState(logger);
  const db =
    options.db ??
    withOutageGuard(
      await openDatabase(
        config,
        logger,
        options.pgliteTemplate === undefined ? {} : { copyFrom: options.pgliteTemplate },
      ),
      dependencies,
    );
  const core: Core = { config, options, logger, redact, toolchain, dependencies, db, closers: [] };
  try {
    return await assemble(core, await openInfrastructure(core));
  } catch (err) {
    await closeOpened(core);
    if (!options.db) await db.close().catch(() => undefined);
    throw err;
  }
}

/** What start-up opens first; `closers` is what must be closed if a later step fails. */
interface Core {
  config: Config;
  options: ContainerOptions;
  logger: Logger;
  redact: Redactor;
  toolchain: Toolchain;
  dependencies: DependencyState;
  db: Db;
  closers: Array<() => Promise<unknown>>;
}

/** DATA_DIR exists with the right mode, and the sandbox user can reach the build tools. */
async function prepareDataDir(config: Config): Promise<Toolchain> {
  await mkdir(config.dataDir, { recursive: true });
  if (process.getuid?.() === 0) {
    // The unprivileged sandbox user must reach workspaces and caches under DATA_DIR, but list
    // nothing there; the database and secrets below stay private to the worker.
    await chmod(config.dataDir, 0o711);
  }
  const toolchain = resolveToolchain();
  await assertBuildsCanReach(config.dataDir, toolchain, config.sandbox.uids);
  return toolchain;
}

/** The connections, the sandbox and engine, the bus, the queue and the artifact store. */
async function openInfrastructure(core: Core) {
  const { config, db, logger, closers } = core;
  const report = await migrate(db);
  if (report.applied.length > 0) logger.info({ applied: report.applied }, 'migrations applied');
  const metrics = new Metrics();
  const connections = await openConnections(config, db, core.dependencies, (close) =>
    closers.push(close),
  );
  const workerId = `${hostname()}:${process.pid}:${newId().slice(-6)}`;
  const execution = await createExecution(config, {
    toolchain: core.toolchain,
    logger,
    metrics,
    ...(core.options.engine ? { engine: core.options.engine } : {}),
    ...(core.options.sandboxProbes ? { sandboxProbes: core.options.sandboxProbes } : {}),
  });
  const bus: EventBus = connections.queueRedis
    ? await RedisEventBus.create(connections.queueRedis, config.redis?.keyPrefix ?? 'sheen')
    : new MemoryEventBus();
  closers.push(() => bus.close());
  const queue = await createQueue(config, {
    db,
    redis: connections.queueRedis,
    logger,
    workerId,
  });
  const circuits = circuitsOf(execution.engine);
  metrics.collectFrom({
    queue,
    circuits,
    // An outage is logged once where it is found; per scrape, debug is enough.
    onCollectError: (err) => logger.debug({ err }, 'metrics: the queue could not be read'),
  });
  const { store: artifactStore, s3: s3Store } = await createArtifactStore(config);
  if (s3Store) closers.push(async () => s3Store.close());
  return {
    metrics,
    connections,
    workerId,
    execution,
    bus,
    queue,
    circuits,
    artifactStore,
    s3Store,
  };
}

type Infrastructure = Awaited<ReturnType<typeof openInfrastructure>>;

/** The repositories, services and pipeline over the infrastructure: the container. */
async function assemble(core: Core, infra: Infrastructure): Promise<Container> {
  const { config, db, logger } = core;
  const { engine, sandbox, identities } = infra.execution;
  const { queue, metrics, workerId, artifactStore } = infra;
  const repos = createRepositories(db, config.artifacts.retentionDays);
  const quota = createQuota(config, {
    db,
    usage: repos.usage,
    engineName: engine.name,
    logger,
    metrics,
  });
  const transaction: Transaction = (fn) => db.transaction(fn);
  const { urls, previews, deployer, hosted, releases } = await createHosting(config, {
    artifactStore,
    repos,
    transaction,
  });
  const hooks = webhookParts(config, {
    db,
    transaction,
    queue,
    logger,
    projects: repos.projects,
    projectEvents: repos.projectEvents,
    userAgent: `SheenApps-Worker/${VERSION}`,
    metrics,
  });
  const pipeline = pipelineDeps(core, infra, repos, {
    quota,
    releases,
    deployer,
    webhooks: hooks.delivery,
  });
  const builds = createBuildService(config, pipeline, { queue, urls, workerId });
  const alerting = alertParts(config, {
    db,
    transaction,
    queue,
    circuits: infra.circuits,
    logger,
    workerId,
  });
  const checkClaudeCli = () => infra.execution.claudeCli.check();
  return {
    config,
    logger,
    redact: core.redact,
    db,
    redis: infra.connections.redis,
    dependencies: core.dependencies,
    admission: infra.connections.admission,
    health: new HealthService(healthProbes(core, infra, checkClaudeCli), VERSION),
    checkClaudeCli,
    workerId,
    engine,
    sandbox,
    identities,
    bus: infra.bus,
    queue,
    events: repos.events,
    previews,
    pipeline,
    builds,
    imports: new ImportService({
      builds,
      artifactStore,
      artifacts: repos.artifacts,
      dataDir: config.dataDir,
      limits: config.import,
    }),
    quota,
    releases,
    recommendations: pipeline.recommendations,
    ...createProjectServices(config, {
      db,
      repos,
      transaction,
      urls,
      hosted,
      artifactStore,
      engine,
      quota,
      logger,
    }),
    reservedDomainSuffixes: config.domains.reservedSuffixes,
    previewUrls: urls,
    webhooks: hooks.service,
    inboundWebhooks: hooks.inbound,
    webhookDispatcher: hooks.dispatcher,
    queueReconciler: queueReconciler(config, { queue, logger, builds: repos.builds, hooks }),
    sweepLeftovers: leftoverSweep(config, { db, identities, logger, builds: repos.builds }),
    metrics,
    alerts: alerting.alerts,
    alertEvaluator: alerting.evaluator,
    opsStats: alerting.stats,
    console: createConsole(config, db, repos.projects),
    async close(jobGraceMs?: number, handBackMs?: number) {
      await hooks.dispatcher.stop();
      // No spare bundler for a build that will not come: none starts from here on (a bundle
      // that ends during the grace would start one), and the one waiting goes now.
      await infra.execution.warmBundler?.close();
      // Leave a margin inside the shutdown timeout for the rest of the teardown.
      await queue.close(jobGraceMs ?? Math.floor(config.http.shutdownTimeoutMs * 0.8), handBackMs);
      await infra.connections.admission.close();
      await closeOpened(core);
      if (!core.options.db) await db.close();
      logger.flush();
    },
  };
}

/** What the stages of a build use. */
function pipelineDeps(
  core: Core,
  infra: Infrastructure,
  repos: Repositories,
  services: Pick<PipelineDeps, 'quota' | 'releases' | 'deployer' | 'webhooks'>,
): PipelineDeps {
  const { config, logger, db } = core;
  const { engine, sandbox, identities } = infra.execution;
  const dependencyTrees = new TreeWalker((err) =>
    logger.warn({ err }, 'dependency tree walks run on the event loop: their thread failed'),
  );
  core.closers.push(() => dependencyTrees.close());
  const { warmBundler } = infra.execution;
  if (warmBundler) core.closers.push(() => warmBundler.close());
  return {
    builds: repos.builds,
    projects: repos.projects,
    versions: repos.versions,
    usage: repos.usage,
    events: repos.events,
    artifacts: repos.artifacts,
    recommendations: createRecommendations(config, db, identities, {
      projects: repos.projects,
      builds: repos.builds,
      versions: repos.versions,
      events: repos.events,
      artifactStore: infra.artifactStore,
      engine,
      usage: repos.usage,
      logger,
    }),
    ...services,
    bus: infra.bus,
    engine,
    sandbox,
    identities,
    toolchain: core.toolchain,
    artifactStore: infra.artifactStore,
    compressionCache: new CompressionCache(),
    logger,
    redact: core.redact,
    metrics: infra.metrics,
    settings: pipelineSettings(config),
    supply: createSupplyChecks(config.supply, config.pipeline.npmRegistry),
    dependencyTrees,
    ...(warmBundler && { warmBundler }),
  };
}

/** What GET /v1/health checks: each dependency on the path the real work takes. */
function healthProbes(
  core: Core,
  infra: Infrastructure,
  checkClaudeCli: () => Promise<ProbeResult>,
): HealthProbe[] {
  const { config } = core;
  const redis = infra.connections.redis;
  return [
    databaseProbe(core.db),
    ...(redis ? [redisProbe(redis)] : []),
    diskProbe(config.dataDir),
    engineProbe(config.ai.provider, checkClaudeCli),
    queueProbe(infra.queue),
    ...(infra.s3Store ? [s3BucketProbe(infra.s3Store)] : []),
  ];
}

/** Closes what start-up opened besides the database, last first. */
async function closeOpened(core: Core): Promise<void> {
  for (const close of core.closers.reverse()) await close().catch(() => undefined);
  core.closers.length = 0;
}

/** PostgreSQL can go away under a running worker; PGlite lives in this process and cannot. */
function withOutageGuard(db: Db, dependencies: DependencyState): Db {
  return db.kind === 'postgres' ? guardDatabase(db, dependencies) : db;
}
