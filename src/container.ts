import { createRequire } from 'node:module';
import { chmod, mkdir } from 'node:fs/promises';
import type { DestinationStream } from 'pino';
import { hostname } from 'node:os';
import path from 'node:path';
import { newId } from './ids.js';
import type { ClaudeCliRuntime } from './ai/claude-cli/cli-runtime.js';
import { createClaudeCliRuntime, createEngine } from './ai/create-engine.js';
import type { AiEngine } from './ai/engine.js';
import { s3BucketProbe } from './artifacts/artifact-store-probe.js';
import { createArtifactStore } from './artifacts/create-artifact-store.js';
import { resolveToolchain } from './build/toolchain.js';
import { createDeployer } from './deploy/create-deployer.js';
import { LocalPreviewHost, previewUrls, type PreviewUrls } from './deploy/local-preview.js';
import type { EventBus } from './events/event-bus.js';
import { MemoryEventBus } from './events/memory-bus.js';
import { RedisEventBus } from './events/redis-bus.js';
import type { PipelineDeps } from './pipeline/context.js';
import { createQueue } from './queue/create-queue.js';
import type { JobQueue } from './queue/job-queue.js';
import { ArtifactRetentionRepository } from './repositories/artifact-retention.repo.js';
import { ArtifactsRepository } from './repositories/artifacts.repo.js';
import { BuildsRepository } from './repositories/builds.repo.js';
import { EventsRepository } from './repositories/events.repo.js';
import { DeploymentsRepository } from './repositories/deployments.repo.js';
import { DomainsRepository } from './repositories/domains.repo.js';
import { ProjectEventsRepository } from './repositories/project-events.repo.js';
import { ProjectsRepository } from './repositories/projects.repo.js';
import { UsageRepository } from './repositories/usage.repo.js';
import { VersionsRepository } from './repositories/versions.repo.js';
import { createRecommendations } from './recommendations/create-recommendations.js';
import type { RecommendationsService } from './recommendations/recommendations.service.js';
import { DnsDomainVerifier } from './domains/dns-check.js';
import { DomainsService } from './services/domains.service.js';
import { ProjectsService } from './services/projects.service.js';
import type { QuotaService } from './services/quota.service.js';
import { createQuota } from './billing/create-quota.js';
import { ReleaseService, type Transaction } from './services/release.service.js';
import { SitesService } from './services/sites.service.js';
import { ArtifactCleanupService } from './services/artifact-cleanup.service.js';
import { createSandbox, type ProbeMemo } from './sandbox/create-sandbox.js';
import { createIdentityPool } from './sandbox/identities.js';
import { TreeWalker } from './build/tree-walker.js';
import { assertBuildsCanReach } from './sandbox/reach-check.js';
import type { IdentityPool } from './sandbox/identity-pool.js';
import type { Sandbox } from './sandbox/sandbox.js';
import { BuildService } from './services/build.service.js';
import { ImportService } from './services/import.service.js';
import { GenerateService } from './services/generate.service.js';
import { scratchParent } from './pipeline/leftovers.js';
import { runStages } from './pipeline/runner.js';
import type { SweepReport } from './pipeline/sweep.js';
import type { QueueReconciler } from './queue/reconcile.js';
import { leftoverSweep, pipelineSettings, queueReconciler } from './worker-upkeep.js';
import { BuildEventLog } from './pipeline/event-log.js';
import { createSupplyChecks } from './supply/supply-checks.js';
import { STAGES } from './pipeline/stage-names.js';
import { engineProbe } from './ai/engine-probe.js';
import { DbNonceStore } from './auth/db-nonce-store.js';
import { nonceTtlSeconds, type AdmissionStore } from './http/admission/admission.js';
import { LocalAdmission } from './http/admission/local-admission.js';
import { RedisAdmission } from './http/admission/redis-admission.js';
import { secretValues, type Config } from './config/config.js';
import type { Db } from './db/db.js';
import { databaseProbe } from './db/db-probe.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import { diskProbe } from './observability/disk-probe.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createRedactor, type Redactor } from './observability/redact.js';
import { connectRedis, redisProbe, watchRedis, type Redis } from './redis/redis.js';
import { DependencyState } from './observability/dependency-state.js';
import { guardDatabase } from './db/outage-guard.js';
import type { HealthProbe, ProbeResult } from './services/health.service.js';
import { HealthService } from './services/health.service.js';
import { queueProbe } from './queue/queue-probe.js';
import type { InboundWebhooksService } from './services/inbound-webhooks.service.js';
import type { WebhookDispatcher } from './webhooks/dispatcher.js';
import type { WebhooksService } from './services/webhooks.service.js';
import { webhookParts } from './webhooks/create-webhooks.js';
import { Metrics } from './observability/metrics.js';
import { meteredEngine, meteredSandbox } from './observability/metered.js';
import { circuitsOf } from './ai/engine-chain.js';
import { alertParts } from './alerts/create-alerts.js';
import type { AlertEvaluator } from './alerts/alert-evaluator.js';
import type { AlertsRepository } from './repositories/alerts.repo.js';
import type { OpsStatsRepository } from './repositories/ops-stats.repo.js';
import { createConsole, type ConsoleParts } from './console/create-console.js';

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
  await mkdir(config.dataDir, { recursive: true });
  if (process.getuid?.() === 0) {
    // The unprivileged sandbox user must reach workspaces and caches under DATA_DIR, but list
    // nothing there; the database and secrets below stay private to the worker.
    await chmod(config.dataDir, 0o711);
  }
  const toolchain = resolveToolchain();
  await assertBuildsCanReach(config.dataDir, toolchain, config.sandbox.uids);

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
  const closers: Array<() => Promise<unknown>> = [];
  const metrics = new Metrics();
  try {
    const report = await migrate(db);
    if (report.applied.length > 0) logger.info({ applied: report.applied }, 'migrations applied');

    // Two connections: the queue and event bus ride out a short blip on ioredis' offline
    // queue; what a request waits on (nonces, rate limits, health) fails at once instead.
    const queueRedis = config.redis ? await connectRedis(config.redis.url) : undefined;
    if (queueRedis) closers.push(() => queueRedis.quit());
    const redis = config.redis
      ? await connectRedis(config.redis.url, { failFast: true })
      : undefined;
    if (redis) {
      closers.push(() => redis.quit());
      watchRedis(redis, dependencies);
    }
    const nonceTtl = nonceTtlSeconds(config.auth.toleranceSeconds);
    const admission: AdmissionStore = redis
      ? new RedisAdmission(redis, config.redis?.keyPrefix ?? 'sheen', config.rateLimit, nonceTtl)
      : new LocalAdmission(config.rateLimit, new DbNonceStore(db), nonceTtl);

    const workerId = `${hostname()}:${process.pid}:${newId().slice(-6)}`;
    const identities = await createIdentityPool(config.sandbox.uids, logger);
    const unmetered = await createSandbox({
      mode: config.sandbox.mode,
      limits: config.sandbox.limits,
      scratchDir: scratchParent(config.dataDir),
      toolPaths: toolchain.paths,
      systemPath: config.systemPath,
      requireBwrap: config.sandbox.requireBwrap,
      allowUnisolated: config.sandbox.allowUnisolated,
      nice: config.sandbox.nice,
      identities,
      ...(options.sandboxProbes ? { probes: options.sandboxProbes } : {}),
    });
    const sandbox = meteredSandbox(unmetered, metrics);
    for (const limitation of sandbox.limitations)
      logger.warn({ sandbox: sandbox.kind }, `sandbox: ${limitation}`);
    const claudeCli = createClaudeCliRuntime(config, sandbox);
    if ([config.ai.provider, ...config.ai.fallback].includes('claude-cli')) {
      await warmUpClaudeCli(claudeCli, logger);
    }
    const engine = options.engine
      ? meteredEngine(options.engine, metrics)
      : await createEngine(config, sandbox, claudeCli, (e) => meteredEngine(e, metrics));
    const bus: EventBus = queueRedis
      ? await RedisEventBus.create(queueRedis, config.redis?.keyPrefix ?? 'sheen')
      : new MemoryEventBus();
    closers.push(() => bus.close());
    const queue = await createQueue(config, { db, redis: queueRedis, logger, workerId });
    const circuits = circuitsOf(engine);
    metrics.collectFrom({
      queue,
      circuits,
      // An outage is logged once where it is found; per scrape, debug is enough.
      onCollectError: (err) => logger.debug({ err }, 'metrics: the queue could not be read'),
    });
    const { store: artifactStore, s3: s3Store } = await createArtifactStore(config);
    if (s3Store) closers.push(async () => s3Store.close());
    const artifacts = new ArtifactsRepository(db, config.artifacts.retentionDays);
    const projectEvents = new ProjectEventsRepository();
    const buildsRepo = new BuildsRepository(db, projectEvents);
    const events = new EventsRepository(db);
    const projectsRepo = new ProjectsRepository(db);
    const versions = new VersionsRepository(db);
    const deployments = new DeploymentsRepository(db);
    const domainsRepo = new DomainsRepository(db);
    const usage = new UsageRepository(db);
    const quota = createQuota(config, { db, usage, engineName: engine.name, logger, metrics });
    const urls = previewUrls({
      ...(config.http.publicUrl ? { publicUrl: config.http.publicUrl } : {}),
      hostSuffix: config.preview.hostSuffix,
      port: config.http.port,
    });
    await mkdir(path.join(config.dataDir, 'previews'), { recursive: true });
    const previews = new LocalPreviewHost(
      path.join(config.dataDir, 'previews'),
      artifactStore,
      urls,
      (id) => artifacts.ofBuild(id),
    );
    const { deployer, hosted } = await createDeployer(config, artifactStore, previews);
    const transaction: Transaction = (fn) => db.transaction(fn);
    const hooks = webhookParts(config, {
      db,
      transaction,
      queue,
      logger,
      projects: projectsRepo,
      projectEvents,
      userAgent: `SheenApps-Worker/${VERSION}`,
      metrics,
    });
    const releases = new ReleaseService({
      transaction,
      projects: projectsRepo,
      versions,
      deployments,
      projectEvents,
      deployer,
      urls,
    });
    const recommendations = createRecommendations(config, db, identities, {
      projects: projectsRepo,
      builds: buildsRepo,
      versions,
      events,
      artifactStore,
      engine,
      usage,
      logger,
    });
    const dependencyTrees = new TreeWalker((err) =>
      logger.warn({ err }, 'dependency tree walks run on the event loop: their thread failed'),
    );
    closers.push(() => dependencyTrees.close());
    const pipeline: PipelineDeps = {
      builds: buildsRepo,
      projects: projectsRepo,
      versions,
      usage,
      quota,
      releases,
      recommendations,
      events,
      artifacts,
      bus,
      engine,
      sandbox,
      identities,
      toolchain,
      artifactStore,
      deployer,
      logger,
      redact,
      webhooks: hooks.delivery,
      metrics,
      settings: pipelineSettings(config),
      supply: createSupplyChecks(config.supply, config.pipeline.npmRegistry),
      dependencyTrees,
    };
    const builds = new BuildService({
      builds: buildsRepo,
      quota,
      queue,
      bus,
      engine,
      previewUrls: urls,
      archMode: config.pipeline.archMode,
      logger,
      metrics,
      eventLog: (buildId) => new BuildEventLog(buildId, events, bus, redact),
      ...(config.pipeline.skipQueue
        ? {
            runInline: async (buildId: string) => {
              await runStages(pipeline, buildId, STAGES, {
                workerId,
                finalize: true,
                lastAttempt: true,
              });
            },
          }
        : {}),
    });

    const alerting = alertParts(config, { db, transaction, queue, circuits, logger, workerId });
    const imports = new ImportService({
      builds,
      artifactStore,
      artifacts,
      dataDir: config.dataDir,
      limits: config.import,
    });

    const checkClaudeCli = () => claudeCli.check();
    const probes: HealthProbe[] = [
      databaseProbe(db),
      ...(redis ? [redisProbe(redis)] : []),
      diskProbe(config.dataDir),
      engineProbe(config.ai.provider, checkClaudeCli),
      queueProbe(queue),
      ...(s3Store ? [s3BucketProbe(s3Store)] : []),
    ];

    return {
      config,
      logger,
      redact,
      db,
      redis,
      dependencies,
      admission,
      health: new HealthService(probes, VERSION),
      checkClaudeCli,
      workerId,
      engine,
      sandbox,
      identities,
      bus,
      queue,
      events,
      previews,
      pipeline,
      builds,
      imports,
      quota,
      projects: new ProjectsService({
        projects: projectsRepo,
        versions,
        deployments,
        domains: domainsRepo,
        urls,
        hosted,
      }),
      releases,
      recommendations,
      domains: new DomainsService({
        transaction,
        projects: projectsRepo,
        domains: domainsRepo,
        projectEvents,
        verifier: new DnsDomainVerifier({
          ...(config.domains.dnsServers ? { servers: config.domains.dnsServers } : {}),
          timeoutMs: config.domains.dnsTimeoutMs,
        }),
        cnameTarget: config.domains.cnameTarget,
        hosted,
      }),
      sites: new SitesService({
        deployments,
        domains: domainsRepo,
        hostSuffix: config.preview.hostSuffix,
        apiHosts: config.http.publicUrl ? [new URL(config.http.publicUrl).hostname] : [],
      }),
      reservedDomainSuffixes: config.domains.reservedSuffixes,
      generate: new GenerateService({
        engine,
        usage,
        quota,
        dataDir: config.dataDir,
        workspaceLimits: config.pipeline.workspaceLimits,
      }),
      previewUrls: urls,
      artifactCleanup: new ArtifactCleanupService({
        transaction,
        retention: new ArtifactRetentionRepository(db),
        store: artifactStore,
        retentionDays: config.artifacts.retentionDays,
        logger,
      }),
      webhooks: hooks.service,
      inboundWebhooks: hooks.inbound,
      webhookDispatcher: hooks.dispatcher,
      queueReconciler: queueReconciler(config, { queue, logger, builds: buildsRepo, hooks }),
      sweepLeftovers: leftoverSweep(config, { db, identities, logger, builds: buildsRepo }),
      metrics,
      alerts: alerting.alerts,
      alertEvaluator: alerting.evaluator,
      opsStats: alerting.stats,
      console: createConsole(config, db, projectsRepo),
      async close(jobGraceMs?: number, handBackMs?: number) {
        await hooks.dispatcher.stop();
        // Leave a margin inside the shutdown timeout for the rest of the teardown.
        await queue.close(
          jobGraceMs ?? Math.floor(config.http.shutdownTimeoutMs * 0.8),
          handBackMs,
        );
        await admission.close();
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

/**
 * Finds (and stages, if the sandbox user cannot reach it) the Claude Code CLI at start-up, so
 * the first build does not wait for a large copy and a bad CLAUDE_BIN shows in the log at once.
 * Not fatal: the CLI may be installed later, and until then builds fail naming CLAUDE_BIN.
 */
async function warmUpClaudeCli(claudeCli: ClaudeCliRuntime, logger: Logger): Promise<void> {
  try {
    const cli = await claudeCli.resolve();
    logger.info(
      { bin: claudeCli.bin, path: cli.command, source: cli.source, staged: cli.staged },
      cli.staged ? 'Claude Code CLI staged for the sandbox user' : 'Claude Code CLI found',
    );
  } catch (err) {
    logger.error({ bin: claudeCli.bin }, (err as Error).message);
  }
}

/** PostgreSQL can go away under a running worker; PGlite lives in this process and cannot. */
function withOutageGuard(db: Db, dependencies: DependencyState): Db {
  return db.kind === 'postgres' ? guardDatabase(db, dependencies) : db;
}
