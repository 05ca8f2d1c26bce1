import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Version } from '../../repositories/versions.repo.js';
import type { ProjectsService } from '../../services/projects.service.js';
import type { LiveState, ReleaseService } from '../../services/release.service.js';
import { clientString, compressionStatsSchema, ulidString, userIdString } from '../schemas.js';
import { domainViewSchema, toDomainJson } from './domains.routes.js';

const projectParams = z.object({
  projectId: ulidString('must be a project id (26-character ULID)'),
});
const versionParams = projectParams.extend({
  versionId: ulidString('must be a version id (26-character ULID)'),
});
const ownerBody = z.object({ userId: userIdString });
const ownerQuery = z.object({ userId: userIdString });

const versionSchema = z.object({
  versionId: z.string(),
  number: z.number().int(),
  kind: z.enum(['create', 'update']),
  status: z.enum(['building', 'ready', 'failed', 'deleted']),
  prompt: z.string().nullable(),
  buildId: z.string().nullable(),
  createdAt: z.string(),
  previewUrl: z.string().nullable(),
  artifact: z.object({ sha256: z.string(), sizeBytes: z.number() }).nullable(),
  assets: compressionStatsSchema.describe(
    "What the compressed copies of the version's text assets save; null without them.",
  ),
  filesChanged: z
    .object({ added: z.number(), modified: z.number(), removed: z.number() })
    .nullable(),
  parentVersionId: z.string().nullable(),
  isCurrent: z.boolean(),
  isPublished: z.boolean(),
});

const liveSchema = z.object({
  projectId: z.string(),
  currentVersionId: z.string().nullable(),
  publishedVersionId: z.string().nullable(),
  publishedAt: z.string().nullable(),
  previewUrl: z.string().nullable(),
  productionUrl: z.string().nullable(),
});

const publicationSchema = z.object({
  projectId: z.string(),
  publishedVersionId: z.string().nullable(),
  publishedAt: z.string().nullable(),
  productionUrl: z.string().nullable(),
  domains: z.array(domainViewSchema),
});

function versionJson(v: Version) {
  return {
    versionId: v.id,
    number: v.number,
    kind: v.kind,
    status: v.status,
    prompt: v.prompt,
    buildId: v.buildId,
    createdAt: v.createdAt.toISOString(),
    previewUrl: v.status === 'ready' ? v.previewUrl : null,
    artifact: v.artifact ? { sha256: v.artifact.sha256, sizeBytes: v.artifact.sizeBytes } : null,
    assets: v.assets,
    filesChanged: v.filesChanged,
    parentVersionId: v.parentVersionId,
    isCurrent: v.isCurrent,
    isPublished: v.isPublished,
  };
}

const liveJson = (s: LiveState) => ({ ...s, publishedAt: s.publishedAt?.toISOString() ?? null });

/**
 * Versions, rollback and publication. Every route names the acting user; a project of
 * someone else answers 404 exactly like one that does not exist.
 */
export const projectRoutes =
  (projects: ProjectsService, releases: ReleaseService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/projects/:projectId/versions',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['versions'],
          summary: "A project's versions, newest first, with cursor pagination.",
          params: projectParams,
          querystring: ownerQuery.extend({
            limit: z.coerce
              .number({ error: 'must be a whole number' })
              .int('must be a whole number')
              .min(1, 'must be from 1 to 100')
              .max(100, 'must be from 1 to 100')
              .default(20),
            cursor: clientString({ kind: 'name', max: 40 }).optional(),
          }),
          response: {
            200: z.object({ versions: z.array(versionSchema), nextCursor: z.string().nullable() }),
          },
        },
      },
      async (request) => {
        const { userId, limit, cursor } = request.query;
        const page = await projects.listVersions(request.params.projectId, userId, limit, cursor);
        return { versions: page.versions.map(versionJson), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/v1/projects/:projectId/rollback/:versionId',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['versions'],
          summary:
            'Make a ready version current again (and production, if published). Re-points to its stored artifact: no AI, no build; newer versions stay.',
          params: versionParams,
          body: ownerBody,
          response: { 200: liveSchema },
        },
      },
      async (request) => {
        const { projectId, versionId } = request.params;
        return liveJson(await releases.rollback(projectId, request.body.userId, versionId));
      },
    );

    for (const prefix of ['', '/v1']) {
      registerPublication(app, prefix, projects, releases);
    }
  };

function registerPublication(
  app: Parameters<FastifyPluginAsyncZod>[0],
  prefix: string,
  projects: ProjectsService,
  releases: ReleaseService,
): void {
  app.post(
    `${prefix}/projects/:projectId/publish/:versionId`,
    {
      config: { auth: 'app' },
      schema: {
        tags: ['publishing'],
        summary:
          'Serve a ready version in production from its stored artifact (no rebuild). Idempotent.',
        params: versionParams,
        body: ownerBody,
        response: { 200: liveSchema },
      },
    },
    async (request) => {
      const { projectId, versionId } = request.params;
      return liveJson(await releases.publish(projectId, request.body.userId, versionId));
    },
  );

  app.delete(
    `${prefix}/projects/:projectId/publish`,
    {
      config: { auth: 'app' },
      schema: {
        tags: ['publishing'],
        summary: 'Take production down. Versions, host name and domains are kept.',
        params: projectParams,
        querystring: ownerQuery,
        response: { 200: liveSchema },
      },
    },
    async (request) =>
      liveJson(await releases.unpublish(request.params.projectId, request.query.userId)),
  );

  app.get(
    `${prefix}/projects/:projectId/publication-status`,
    {
      config: { auth: 'app' },
      schema: {
        tags: ['publishing'],
        summary: 'What production serves, where, and the state of each custom domain.',
        params: projectParams,
        querystring: ownerQuery,
        response: { 200: publicationSchema },
      },
    },
    async (request) => {
      const status = await projects.publicationStatus(
        request.params.projectId,
        request.query.userId,
      );
      return {
        ...status,
        publishedAt: status.publishedAt?.toISOString() ?? null,
        domains: status.domains.map(toDomainJson),
      };
    },
  );
}
