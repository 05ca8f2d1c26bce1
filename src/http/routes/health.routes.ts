import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';

const probeStatus = z.enum(['ok', 'degraded', 'down']);
const probeReport = z.object({
  name: z.string(),
  status: probeStatus,
  latencyMs: z.number(),
  message: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

const systemHealth = z.object({
  status: probeStatus,
  version: z.string(),
  uptimeSeconds: z.number(),
  role: z.string(),
  checks: z.array(probeReport),
});

/**
 * While Redis is down the signature's replay check cannot run, so the route itself answers
 * 503 in the error shape, naming what is down in `details.unavailable`.
 */
const unavailable = z.object({
  error: z.object({
    code: z.literal('SERVICE_UNAVAILABLE'),
    message: z.string(),
    hint: z.string(),
    requestId: z.string(),
    details: z.object({ unavailable: z.array(z.string()) }).optional(),
  }),
});

export const healthRoutes =
  (c: Pick<Container, 'health' | 'checkClaudeCli' | 'config'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/myhealthz',
      {
        config: { auth: 'public', rateLimit: false, quietLog: true },
        schema: {
          tags: ['operations'],
          summary: 'Liveness: the process is up. Needs no signature and reveals nothing.',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
        // The answer is a constant the types already check: load balancers call this every
        // few seconds, and validating it against its schema each time was a fifth of its cost.
        serializerCompiler: () => (data) => JSON.stringify(data),
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/v1/admin/system-health',
      {
        config: { auth: 'admin', quietLog: true },
        schema: {
          tags: ['operations'],
          summary: 'Dependencies: database, Redis, disk, AI engine; signed with an admin secret.',
          response: { 200: systemHealth, 503: z.union([systemHealth, unavailable]) },
        },
      },
      async (_request, reply) => {
        const report = await c.health.report();
        // 503 lets load balancers and monitors act on it without parsing the body.
        if (report.status === 'down') reply.status(503);
        return { ...report, role: c.config.role };
      },
    );

    app.get(
      '/claude-executor/health',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['ai'],
          summary:
            'Whether the Claude Code CLI runs in the sandbox, as builds run it (`--version`, on the same path).',
          response: {
            200: z.object({
              status: probeStatus,
              provider: z.string(),
              bin: z.string(),
              /** The executable builds run (a staged copy when the sandbox user cannot reach CLAUDE_BIN). */
              path: z.string().nullable(),
              version: z.string().nullable(),
              message: z.string().optional(),
            }),
          },
        },
      },
      async () => {
        const result = await c.checkClaudeCli();
        const text = (value: unknown) => (typeof value === 'string' ? value : null);
        return {
          status: result.status,
          provider: c.config.ai.provider,
          bin: c.config.ai.claudeCli.bin,
          path: text(result.detail?.path),
          version: text(result.detail?.version),
          ...(result.message ? { message: result.message } : {}),
        };
      },
    );
  };
