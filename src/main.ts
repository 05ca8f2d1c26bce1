import { buildApp } from './http/app.js';
import { withLocalSecrets } from './auth/local-secrets.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { quotaSweeper } from './billing/quota-sweeper.js';
import { artifactCleanupScheduler } from './artifacts/cleanup-scheduler.js';
import { leftoverSweeper } from './pipeline/leftover-sweeper.js';
import { PeriodicTask } from './periodic-task.js';
import { createContainer, type Container } from './container.js';
import { HANDBACK_MS, settlesWithin } from './queue/settles-within.js';
import { jobHandlers, onFinalJobFailure, workerConcurrency } from './pipeline/jobs.js';
import { startMetricsServer, type MetricsServer } from './http/metrics-server.js';
import { sharedLauncher } from './sandbox/launcher/client.js';

/** The process entry point: the only place that listens on a port and handles signals. */
async function main(): Promise<void> {
  const { config, created, loaded } = await withLocalSecrets(loadConfig(process.env));
  const container = await createContainer(config);
  const { logger } = container;
  if (created.length > 0) {
    logger.warn(
      { files: created },
      'generated signing secrets for local use (mode 0600); set HMAC_SECRETS and ADMIN_HMAC_SECRETS to use your own',
    );
  } else if (loaded.length > 0) {
    logger.info({ files: loaded }, 'using local signing secrets');
  }

  // Before any worker starts: what a crash left behind is removed, builds that resume keep theirs.
  await container.sweepLeftovers();
  const app = await buildApp(container);
  let sweeper: PeriodicTask | undefined;
  let cleanup: PeriodicTask | undefined;
  let leftovers: PeriodicTask | undefined;
  let reconcile: PeriodicTask | undefined;
  let alerts: PeriodicTask | undefined;
  if (config.role !== 'api' && !config.pipeline.skipQueue) {
    startLauncher(logger);
    // The queue refuses to start unless every job in the catalog has exactly one handler.
    await container.queue.start(
      jobHandlers(container.pipeline, container.workerId),
      workerConcurrency(config.pipeline),
      onFinalJobFailure(container.pipeline),
    );
    sweeper = quotaSweeper(container.quota, logger, {
      intervalMs: config.quota.sweepIntervalMs,
      // A reservation of a request (not a build) is abandoned once no engine call could last.
      staleMs: config.ai.claudeCli.totalTimeoutMs + 10 * 60_000,
    });
    sweeper.start();
    cleanup = artifactCleanupScheduler(container.artifactCleanup, logger, {
      intervalMs: config.artifacts.cleanupIntervalMs,
    });
    cleanup.start();
    leftovers = leftoverSweeper((o) => container.sweepLeftovers(o), logger, {
      intervalMs: config.pipeline.workspaceSweepIntervalMs,
    });
    leftovers.start();
    container.webhookDispatcher.start();
    // The database says what must run; this puts back what the queue lost (a Redis restart).
    reconcile = new PeriodicTask({
      name: 'queue reconciliation',
      intervalMs: config.pipeline.reconcileIntervalMs,
      run: () => container.queueReconciler.runOnce(),
      logger,
    });
    reconcile.start();
    alerts = new PeriodicTask({
      name: 'alert evaluation',
      intervalMs: config.observability.alerts.intervalMs,
      run: () => container.alertEvaluator.runOnce(),
      logger,
    });
    alerts.start();
    logger.info(
      {
        queue: container.queue.kind,
        archMode: config.pipeline.archMode,
        sandbox: container.sandbox.kind,
        buildNice: config.sandbox.nice,
      },
      'workers started',
    );
  }
  const { metrics: metricsSettings } = config.observability;
  const metricsServer: MetricsServer | undefined =
    metricsSettings.port === undefined
      ? undefined
      : await startMetricsServer(
          container.metrics,
          { host: metricsSettings.host, port: metricsSettings.port },
          logger,
        );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing active ones');
    const deadline = Date.now() + config.http.shutdownTimeoutMs;
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.http.shutdownTimeoutMs);
    force.unref();
    try {
      const httpClosed = app.close();
      // A client that keeps its connection open must not hold the shutdown: cut it.
      if (!(await settlesWithin(httpClosed, shutdownReserveMs(config) / 2)))
        app.server.closeAllConnections();
      await httpClosed;
      await sweeper?.stop();
      await cleanup?.stop();
      await leftovers?.stop();
      await reconcile?.stop();
      await alerts?.stop();
      await metricsServer?.close();
      // Active jobs run until the reserve before the deadline, then are handed back: the
      // reserve covers stopping them, moving their jobs and closing connections.
      // Handing back gets most of the reserve; closing connections the rest.
      const reserve = shutdownReserveMs(config);
      await container.close(
        Math.max(0, deadline - Date.now() - reserve),
        Math.min(HANDBACK_MS, Math.floor(reserve * 0.6)),
      );
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (s) => void shutdown(s));
  process.once('SIGINT', (s) => void shutdown(s));

  await app.listen({ host: config.http.host, port: config.http.port });
  const address = app.server.address();
  if (address && typeof address === 'object') container.previewUrls.setPort(address.port);
  logger.info(
    {
      role: config.role,
      database: config.database.kind,
      redis: Boolean(config.redis),
      engine: config.ai.provider,
    },
    `SheenApps Worker ready; API docs at http://${displayHost(config.http.host)}:${config.http.port}/docs`,
  );
  if (config.role !== 'worker') {
    const port = address && typeof address === 'object' ? address.port : config.http.port;
    await printConsoleLink(container, config, port);
  }
}

/**
 * Prints a one-time link into the web console (as Jupyter does): the token works once, for
 * CONSOLE_SIGNIN_TTL seconds, and only its hash is stored. It goes to stderr, for the person
 * who started the worker, not into the JSON log (whose redaction would hide it anyway);
 * `npm run console-link` mints more.
 */
async function printConsoleLink(container: Container, config: Config, port: number) {
  const base =
    config.http.publicUrl?.replace(/\/$/, '') ?? `http://${displayHost(config.http.host)}:${port}`;
  const token = await container.console.auth.issueStartupToken();
  const ttl = config.console.startupLinkTtlSeconds;
  process.stderr.write(
    `\nWeb console (this link works once, for ${ttl} s):\n  ${base}/console/signin?token=${token}\n\n`,
  );
  container.logger.info({ expiresInSeconds: ttl }, 'console sign-in link printed to stderr');
}

/** Builds' processes start from the launcher: it is up before the first build needs it. */
function startLauncher(logger: Container['logger']): void {
  const launcher = sharedLauncher();
  launcher.onLost = (how, runs) =>
    logger.error(
      { how, runs },
      'the process launcher ended; its runs were stopped, the next run starts another',
    );
  launcher.warm();
}

/** What a shutdown keeps back from SHUTDOWN_TIMEOUT_MS to hand jobs back and close. */
function shutdownReserveMs(config: Config): number {
  return Math.min(HANDBACK_MS + 2000, Math.floor(config.http.shutdownTimeoutMs / 2));
}

function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`start-up failed: ${message}\n`);
  process.exit(1);
});
