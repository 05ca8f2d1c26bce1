import cors from '@fastify/cors';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { VERSION, type Container } from '../container.js';
import { newId } from '../ids.js';
import { registerDocsUi, registerOpenApi } from './plugins/docs.js';
import { frameworkErrorHandler, registerErrorHandling } from './plugins/errors.js';
import { registerRateLimits } from './plugins/rate-limit.js';
import { registerRawBodyJson } from './plugins/raw-body.js';
import { registerReadAhead } from './plugins/read-ahead.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { registerRouteAuthCheck, registerSignatureAuth } from './plugins/signature-auth.js';
import { BuildEventStreams } from './build-stream.js';
import { QuietRequestLog, lazyRequestLogger } from './request-log.js';
import { adminRoutes } from './routes/admin.routes.js';
import { backupRoutes } from './routes/backup.routes.js';
import { billingRoutes } from './routes/billing.routes.js';
import { buildRoutes } from './routes/builds.routes.js';
import { eventRoutes } from './routes/events.routes.js';
import { generateRoutes } from './routes/generate.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { domainRoutes } from './routes/domains.routes.js';
import { projectRoutes } from './routes/projects.routes.js';
import { recommendationRoutes } from './routes/recommendations.routes.js';
import { siteRoutes } from './routes/sites.routes.js';
import { webhookAdminRoutes } from './routes/webhook-admin.routes.js';
import { webhookRoutes } from './routes/webhooks.routes.js';
import { registerHttpMetrics, registerMetricsRoute } from './plugins/metrics.js';
import { alertRoutes } from './routes/alerts.routes.js';
import { consoleRoutes } from '../console/routes.js';
import { registerQueueDashboard } from '../console/queue-dashboard.js';
import { consoleSessionCheck } from '../console/guard.js';
import { consoleFrameAncestors } from '../console/csp.js';
import { importRoutes } from './routes/import.routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    container: Container;
  }
}

const INCOMING_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Builds the HTTP app around a container. Does not listen: main.ts does, and tests call
 * `inject`. Routes may be added by the caller before `ready()`.
 */
export async function buildApp(container: Container): Promise<FastifyInstance> {
  const app = createFastify(container);
  await registerPlugins(app, container);
  await registerRoutes(app, container);
  return app;
}

type App = ReturnType<typeof createFastify>;

function createFastify(container: Container) {
  const { config, logger } = container;
  return Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps Fastify's default generics.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && INCOMING_REQUEST_ID.test(incoming)
        ? incoming
        : newId();
    },
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: frameworkErrorHandler(container.redact),
    logController: new QuietRequestLog(),
    childLoggerFactory: lazyRequestLogger,
  }).withTypeProvider<ZodTypeProvider>();
}

/** What every request passes through: checks, metrics, headers, errors, CORS, limits, auth, docs. */
async function registerPlugins(app: App, container: Container): Promise<void> {
  const { config } = container;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('container', container);
  registerRouteAuthCheck(app);
  registerHttpMetrics(app, container.metrics);
  registerSecurityHeaders(app);
  registerReadAhead(app);

  registerErrorHandling(app, container.redact);
  registerRawBodyJson(app);
  if (config.http.corsOrigins.length > 0) {
    // Preflights are answered in an onRequest hook before any auth, as browsers send them
    // unsigned; the catch-all OPTIONS route the plugin adds only lets the router accept them.
    app.addHook('onRoute', (route) => {
      if (route.method === 'OPTIONS' && route.url === '*') {
        route.config = { ...(route.config ?? {}), auth: 'public' };
      }
    });
    await app.register(cors, { origin: config.http.corsOrigins });
  }
  const limits = registerRateLimits(app, config.rateLimit, container.admission);
  registerSignatureAuth(
    app,
    config.auth,
    limits,
    consoleSessionCheck(container.console.auth, config.http.publicUrl),
  );
  await registerOpenApi(app, VERSION);
  if (config.http.docsEnabled) await registerDocsUi(app);
  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}

async function registerRoutes(app: App, container: Container): Promise<void> {
  const { config } = container;
  // A worker-only process serves health and admin routes; clients talk to the api processes.
  // Sites first: a site's host name must never reach an API route.
  if (config.role !== 'worker')
    await siteRoutes(app, container.previews, container.sites, consoleFrameAncestors(config));
  await app.register(healthRoutes(container));
  await app.register(adminRoutes(container));
  await app.register(backupRoutes(container));
  await app.register(webhookAdminRoutes(container.webhooks));
  await app.register(alertRoutes(container.alerts));
  registerMetricsRoute(app, container.metrics, config.observability.metrics.token);
  if (config.role === 'worker') return;
  const streams = new BuildEventStreams(container.builds, container.events, container.bus);
  await app.register(buildRoutes(container.builds, streams));
  await app.register(eventRoutes(streams));
  await app.register(generateRoutes(container.generate));
  await app.register(projectRoutes(container.projects, container.releases));
  await app.register(recommendationRoutes(container.recommendations));
  await app.register(domainRoutes(container.domains, container.reservedDomainSuffixes));
  await app.register(billingRoutes(container.quota, container.pipeline.projects));
  await app.register(webhookRoutes(container.webhooks, container.inboundWebhooks));
  await app.register(consoleRoutes(container, streams));
  await registerQueueDashboard(app, container);
  await app.register(importRoutes(container.imports, container.builds, config.import.maxBytes));
}
