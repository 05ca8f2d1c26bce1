import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { ProjectsRepository } from '../../repositories/projects.repo.js';
import type { QuotaService } from '../../services/quota.service.js';
import { clientString, ulidString, userIdString } from '../schemas.js';

const DAY_MS = 86_400_000;
/** The longest usage report one request may ask for. */
const MAX_USAGE_DAYS = 366;
/** Plans and bonuses stay within what the ledger's integer columns hold. */
const MAX_SECONDS = 1_000_000_000;

const userParams = z.object({ userId: userIdString });
const instant = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO 8601 date-time with a zone, e.g. 2027-01-01T00:00:00Z',
  })
  .transform((v) => new Date(v))
  // Year 0 and the far future are not dates a ledger can store (PostgreSQL has no year 0).
  .refine((d) => d.getUTCFullYear() >= 1970 && d.getUTCFullYear() <= 9999, {
    message: 'must be between the years 1970 and 9999',
  });

const balanceSchema = z.object({
  userId: z.string(),
  metered: z.boolean().describe('false when the configured engine is not metered (offline)'),
  balanceSeconds: z.number(),
  reservedSeconds: z.number(),
  plan: z
    .object({
      allowanceSeconds: z.number(),
      usedSeconds: z.number(),
      reservedSeconds: z.number(),
      periodStart: z.string(),
      periodEnd: z.string(),
      source: z.enum(['set', 'default']),
    })
    .nullable(),
  bonuses: z.array(
    z.object({
      bonusId: z.string(),
      seconds: z.number(),
      remainingSeconds: z.number(),
      reason: z.string(),
      expiresAt: z.string().nullable(),
    }),
  ),
});

const usageQuery = z
  .object({ from: instant.optional(), to: instant.optional() })
  .transform(({ from, to }) => {
    const end = to ?? new Date();
    return { from: from ?? new Date(end.getTime() - 30 * DAY_MS), to: end };
  })
  .refine(({ from, to }) => from < to, { message: 'from must be before to', path: ['from'] })
  .refine(({ from, to }) => to.getTime() - from.getTime() <= MAX_USAGE_DAYS * DAY_MS, {
    message: `the range may span at most ${MAX_USAGE_DAYS} days`,
    path: ['to'],
  });

const planBody = z
  .object({
    userId: userIdString,
    allowanceSeconds: z.number().int().min(0).max(MAX_SECONDS),
    periodStart: instant,
    periodEnd: instant,
  })
  .refine((b) => b.periodStart < b.periodEnd, {
    message: 'must be after periodStart',
    path: ['periodEnd'],
  });

const bonusBody = z.object({
  userId: userIdString,
  seconds: z.number().int().min(1).max(MAX_SECONDS),
  expiresAt: instant
    .refine((d) => d.getTime() > Date.now(), { message: 'must be in the future' })
    .nullable()
    .describe('null: the bonus never expires'),
  reason: clientString({ kind: 'text', trim: true, max: 500 }).pipe(z.string().min(1)),
});

export const billingRoutes =
  (quota: QuotaService, projects: ProjectsRepository): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/billing/check-sufficient',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['billing'],
          summary: "Whether a user's AI-time balance covers the estimate of an operation.",
          body: z.object({
            userId: userIdString,
            operation: z.enum(['create', 'update', 'fix']),
            projectId: ulidString('must be a project id (26-character ULID)').optional(),
          }),
          response: {
            200: z.object({
              sufficient: z.boolean(),
              metered: z.boolean(),
              balanceSeconds: z.number(),
              estimateSeconds: z.number(),
              estimateCostUsd: z.number(),
            }),
          },
        },
      },
      async (request) => {
        const { userId, operation, projectId } = request.body;
        if (projectId && !(await projects.getOwned(projectId, userId))) {
          throw new AppError('NOT_FOUND', `No project ${projectId}.`);
        }
        return quota.check(userId, operation, projectId);
      },
    );

    app.get(
      '/v1/billing/balance/:userId',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['billing'],
          summary:
            'AI-time balance: what is left, what open reservations hold, the plan and bonuses.',
          params: userParams,
          response: { 200: balanceSchema },
        },
      },
      async (request) => quota.balance(request.params.userId),
    );

    app.get(
      '/v1/billing/usage/:userId',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['billing'],
          summary:
            'AI usage per UTC day (engine time, seconds charged, tokens, cost, builds) and per task and model.',
          params: userParams,
          querystring: usageQuery,
          response: {
            200: z.object({
              userId: z.string(),
              from: z.string(),
              to: z.string(),
              days: z.array(
                z.object({
                  day: z.string(),
                  seconds: z.number(),
                  chargedSeconds: z.number(),
                  tokens: z.number(),
                  costUsd: z.number(),
                  builds: z.number(),
                }),
              ),
              byTask: z
                .array(
                  z.object({
                    task: z.string(),
                    model: z.string().nullable(),
                    calls: z.number(),
                    tokens: z.number(),
                    costUsd: z.number(),
                    seconds: z.number(),
                  }),
                )
                .describe('The same period per task (plan, generate, fix, recommend) and model.'),
            }),
          },
        },
      },
      async (request) => {
        const { userId } = request.params;
        const { from, to } = request.query;
        const [days, byTask] = await Promise.all([
          quota.usage(userId, from, to),
          quota.usageByTask(userId, from, to),
        ]);
        return { userId, from: from.toISOString(), to: to.toISOString(), days, byTask };
      },
    );

    app.post(
      '/v1/admin/quota/plan',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['billing'],
          summary: "Set a user's AI-time allowance for a period; signed with an admin secret.",
          body: planBody,
          response: { 200: balanceSchema.extend({ planId: z.string(), created: z.boolean() }) },
        },
      },
      async (request) => {
        const result = await quota.setPlan(request.body);
        if ('conflict' in result) {
          throw new AppError('CONFLICT', result.conflict, {
            hint: 'Change the existing period (same periodStart) or choose a period that does not overlap it.',
          });
        }
        return { ...result, ...(await quota.balance(request.body.userId)) };
      },
    );

    app.post(
      '/v1/admin/quota/bonus',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['billing'],
          summary: 'Grant a user extra AI time, optionally expiring; signed with an admin secret.',
          body: bonusBody,
          response: { 200: balanceSchema.extend({ bonusId: z.string() }) },
        },
      },
      async (request) => {
        const { bonusId } = await quota.addBonus(request.body);
        return { bonusId, ...(await quota.balance(request.body.userId)) };
      },
    );
  };
