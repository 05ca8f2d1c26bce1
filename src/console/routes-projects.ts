import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../container.js';
import { clientString, domainNameString, promptString, ulidString } from '../http/schemas.js';
import { projectPage } from './pages/project.js';
import { projectsPage } from './pages/projects.js';
import { csrfOf, seeOther, sendPage } from './reply.js';

const PAGE_SIZE = 50;
const VERSIONS_SHOWN = 50;

/** What a project page says after an action: fixed texts, never text from the URL. */
const NOTICES = {
  published: 'Published: production now serves this version.',
  'rolled-back': 'Rolled back: the version is current again (and live, if it was published).',
  unpublished: 'Production is down; versions, host name and domains are kept.',
  'domain-added': 'Domain added: create the DNS records below, then check DNS.',
  'domain-checked': 'DNS checked.',
} as const;

const projectParams = z.object({
  projectId: ulidString('must be a project id (26-character ULID)'),
});
const versionParams = projectParams.extend({
  versionId: ulidString('must be a version id (26-character ULID)'),
});

/** Projects list and one project: versions, update, rollback, publish, domains, advice. */
export const projectRoutes =
  (container: Container): FastifyPluginAsyncZod =>
  async (app) => {
    const { console: ops, projects, releases, builds, domains, recommendations } = container;
    const opts = { config: { auth: 'console' as const } };
    const domainBody = z.object({ domain: domainNameString(container.reservedDomainSuffixes) });
    const back = (projectId: string, notice: keyof typeof NOTICES) =>
      `/console/projects/${projectId}?notice=${notice}`;

    app.get(
      '/console/projects',
      {
        ...opts,
        schema: {
          hide: true,
          querystring: z.object({ cursor: clientString({ kind: 'name', max: 60 }).optional() }),
        },
      },
      async (request, reply) => {
        const list = await ops.reads.listProjects(PAGE_SIZE, request.query.cursor);
        return sendPage(reply, projectsPage(csrfOf(request), list.projects, list.nextCursor));
      },
    );

    app.get(
      '/console/projects/:projectId',
      {
        ...opts,
        schema: {
          hide: true,
          params: projectParams,
          querystring: z.object({
            notice: z.enum(Object.keys(NOTICES) as [keyof typeof NOTICES]).optional(),
          }),
        },
      },
      async (request, reply) => {
        const project = await ops.reads.project(request.params.projectId);
        const [page, publication, advice] = await Promise.all([
          projects.listVersions(project.id, project.userId, VERSIONS_SHOWN),
          projects.publicationStatus(project.id, project.userId),
          project.currentVersionId
            ? recommendations.listForVersion(project.currentVersionId)
            : Promise.resolve([]),
        ]);
        const { notice } = request.query;
        return sendPage(
          reply,
          projectPage({
            csrf: csrfOf(request),
            project,
            versions: page.versions,
            publication,
            recommendations: advice,
            notice: notice ? NOTICES[notice] : undefined,
          }),
        );
      },
    );

    app.post(
      '/console/projects/:projectId/update',
      {
        ...opts,
        schema: { hide: true, params: projectParams, body: z.object({ prompt: promptString }) },
      },
      async (request, reply) => {
        const project = await ops.reads.project(request.params.projectId);
        const { build } = await builds.create({
          userId: project.userId,
          prompt: request.body.prompt,
          projectId: project.id,
          update: true,
        });
        return seeOther(reply, `/console/builds/${build.id}`);
      },
    );

    app.post(
      '/console/projects/:projectId/rollback/:versionId',
      { ...opts, schema: { hide: true, params: versionParams } },
      async (request, reply) => {
        const project = await ops.reads.project(request.params.projectId);
        await releases.rollback(project.id, project.userId, request.params.versionId);
        return seeOther(reply, back(project.id, 'rolled-back'));
      },
    );

    app.post(
      '/console/projects/:projectId/publish/:versionId',
      { ...opts, schema: { hide: true, params: versionParams } },
      async (request, reply) => {
        const project = await ops.reads.project(request.params.projectId);
        await releases.publish(project.id, project.userId, request.params.versionId);
        return seeOther(reply, back(project.id, 'published'));
      },
    );

    app.post(
      '/console/projects/:projectId/unpublish',
      { ...opts, schema: { hide: true, params: projectParams } },
      async (request, reply) => {
        const project = await ops.reads.project(request.params.projectId);
        await releases.unpublish(project.id, project.userId);
        return seeOther(reply, back(project.id, 'unpublished'));
      },
    );

    app.post(
      '/console/projects/:projectId/domains',
      { ...opts, schema: { hide: true, params: projectParams, body: domainBody } },
      async (request, reply) => {
        const project = await ops.reads.project(request.params.projectId);
        await domains.add(project.id, project.userId, request.body.domain);
        return seeOther(reply, back(project.id, 'domain-added'));
      },
    );

    app.post(
      '/console/projects/:projectId/domains/verify',
      { ...opts, schema: { hide: true, params: projectParams, body: domainBody } },
      async (request, reply) => {
        const project = await ops.reads.project(request.params.projectId);
        await domains.verify(project.id, project.userId, request.body.domain);
        return seeOther(reply, back(project.id, 'domain-checked'));
      },
    );
  };
