import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BuildService } from '../../services/build.service.js';
import type { BuildEventStreams } from '../build-stream.js';
import { compiledSerializer } from '../compiled-serializer.js';
import {
  frameworkEnum,
  idempotencyKeyString,
  projectNameString,
  estimateSchema,
  promptString,
  ulidString,
  userIdString,
  compressionStatsSchema,
} from '../schemas.js';
import { BUILD_STATUSES, STAGES } from '../../pipeline/stage-names.js';
import { BUILD_ERROR_CODES } from '../../build/build-errors.js';
import type { BuildDetails } from '../../repositories/build-details.repo.js';
import { recommendationJson, recommendationSchema } from './recommendations.routes.js';

const buildIdParam = z.object({
  buildId: ulidString('must be a build id (26-character ULID)'),
});

const createBody = z.object({
  userId: userIdString,
  prompt: promptString,
  projectId: ulidString().optional(),
  name: projectNameString.optional(),
  framework: frameworkEnum.optional(),
  idempotencyKey: idempotencyKeyString.optional(),
});

const buildError = z
  .object({ code: z.enum(BUILD_ERROR_CODES), message: z.string(), hint: z.string() })
  .nullable();
const askKind = z
  .string()
  .describe('entity, section, feature, colour, date or count (more may be added).');
const planSchema = z
  .object({
    summary: z.string().describe("The engine's summary of what it will build or change."),
    assessed: z
      .boolean()
      .describe(
        'True when the engine checked each ask of the prompt (the offline engine does); false when it did not, and asks and unmet are empty.',
      ),
    asks: z
      .array(
        z.object({ kind: askKind, text: z.string(), honoured: z.boolean(), reason: z.string() }),
      )
      .describe('Every ask the engine recognised in the prompt, and whether the app honours it.'),
    unmet: z
      .array(z.object({ kind: askKind, text: z.string(), reason: z.string() }))
      .describe(
        'The asks the engine could not honour, each with the reason; each is also a prompt.unmet recommendation (this needs an AI engine).',
      ),
  })
  .nullable()
  .describe('The plan of the build; null until the plan stage has run.');

/** The acting user, optional on build routes: given, a build of someone else answers 404. */
const ownerQuery = z.object({ userId: userIdString.optional() });
const buildStatus = z.object({
  buildId: z.string(),
  projectId: z.string(),
  versionId: z.string(),
  status: z.enum(BUILD_STATUSES),
  stage: z.enum(STAGES).nullable(),
  stages: z.array(
    z.object({
      name: z.enum(STAGES),
      status: z.string(),
      startedAt: z.string().nullable(),
      durationMs: z.number().nullable(),
    }),
  ),
  previewUrl: z.string().nullable(),
  error: buildError,
  attempts: z.number(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  usage: z.object({
    calls: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    cacheReadTokens: z.number(),
    cacheWriteTokens: z.number(),
    costUsd: z.number(),
    durationMs: z.number(),
    engines: z.array(z.string()),
    byTask: z
      .array(
        z.object({
          task: z.string(),
          models: z.array(z.string()),
          calls: z.number(),
          inputTokens: z.number(),
          outputTokens: z.number(),
          cacheReadTokens: z.number(),
          cacheWriteTokens: z.number(),
          costUsd: z.number(),
          durationMs: z.number(),
        }),
      )
      .describe('The same sums per task (plan, generate, fix, recommend) and the models used.'),
  }),
  assets: compressionStatsSchema.describe(
    'Text files of the output served compressed, and the bytes a brotli client saves (originalBytes - brotliBytes); null for output packaged without compressed copies.',
  ),
  recommendations: z
    .array(recommendationSchema)
    .describe(
      "What the recommend stage (or a later on-demand check) stored for the build's version.",
    ),
  plan: planSchema,
});

export function buildView({ build, usage, recommendations, assets, plan }: BuildDetails) {
  return {
    usage,
    assets,
    recommendations: recommendations.map(recommendationJson),
    plan,
    buildId: build.id,
    projectId: build.projectId,
    versionId: build.versionId,
    status: build.status,
    stage: build.stage,
    stages: build.stages,
    previewUrl: build.status === 'succeeded' ? build.previewUrl : null,
    error: build.error,
    attempts: build.attempts,
    createdAt: build.createdAt.toISOString(),
    startedAt: build.startedAt?.toISOString() ?? null,
    finishedAt: build.finishedAt?.toISOString() ?? null,
    durationMs: build.durationMs,
  };
}

export const accepted = z.object({
  projectId: z.string(),
  buildId: z.string(),
  versionId: z.string(),
  status: z.enum(BUILD_STATUSES),
  statusUrl: z.string(),
  eventsUrl: z.string(),
  previewUrl: z.string(),
  created: z.boolean(),
  estimate: estimateSchema,
});

export function acceptedView(
  service: BuildService,
  { build, created, estimate }: Awaited<ReturnType<BuildService['create']>>,
) {
  return {
    projectId: build.projectId,
    buildId: build.id,
    versionId: build.versionId,
    status: build.status,
    statusUrl: `/v1/builds/${build.id}`,
    eventsUrl: `/v1/builds/${build.id}/events`,
    previewUrl: service.previewUrlFor(build),
    created,
    estimate,
  };
}

const updateBody = createBody.pick({ userId: true, prompt: true, idempotencyKey: true });

export const buildRoutes =
  (service: BuildService, streams: BuildEventStreams): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/projects/:projectId/update',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['projects'],
          summary:
            "Change an existing app with a prompt: the engine edits the latest version's files and a new version is built.",
          params: z.object({ projectId: ulidString() }),
          body: updateBody,
          response: { 202: accepted },
        },
      },
      async (request, reply) => {
        const accepted = await service.create({
          ...request.body,
          projectId: request.params.projectId,
          update: true,
        });
        reply.status(202);
        return acceptedView(service, accepted);
      },
    );

    app.post(
      '/build-preview-for-new-project',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['projects'],
          summary:
            'Legacy: start a build and stream its events (text/event-stream) in the same response.',
          body: createBody,
        },
      },
      async (request, reply) => {
        const { build } = await service.create(request.body);
        await streams.stream(request, reply, build.id, 0);
      },
    );

    app.post(
      '/v1/create-preview-for-new-project',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['projects'],
          summary: 'Start building a new app from a prompt. Returns at once; follow eventsUrl.',
          body: createBody,
          response: { 202: accepted },
        },
      },
      async (request, reply) => {
        reply.status(202);
        return acceptedView(service, await service.create(request.body));
      },
    );

    app.get(
      '/v1/builds/:buildId',
      {
        config: { auth: 'app', readAhead: true },
        schema: {
          tags: ['builds'],
          summary:
            "A build: status, current stage, stage timings, preview URL, error, its version's recommendations and the plan's asks (plan.unmet: what the engine could not honour).",
          params: buildIdParam,
          querystring: ownerQuery,
          response: { 200: buildStatus },
        },
        // The most frequent request: see compiledSerializer for what it keeps.
        serializerCompiler: compiledSerializer,
      },
      async (request) => {
        return buildView(await service.details(request.params.buildId, request.query.userId));
      },
    );

    app.post(
      '/v1/builds/:buildId/cancel',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['builds'],
          summary:
            'Stop a build and kill its processes. Cancelling an ended build changes nothing.',
          params: buildIdParam,
          querystring: ownerQuery,
          response: { 200: buildStatus },
        },
        // The most frequent request: see compiledSerializer for what it keeps.
        serializerCompiler: compiledSerializer,
      },
      async (request) => {
        const build = await service.cancel(request.params.buildId, request.query.userId);
        return buildView(await service.details(build.id));
      },
    );
  };
