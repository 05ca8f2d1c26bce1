import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DomainsService, DomainView } from '../../services/domains.service.js';
import { domainNameString, ulidString, userIdString } from '../schemas.js';

export const domainViewSchema = z.object({
  domain: z.string(),
  status: z.enum(['pending', 'verified', 'failed']),
  records: z.array(
    z.object({ type: z.enum(['TXT', 'CNAME']), name: z.string(), value: z.string() }),
  ),
  checkedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  error: z.string().nullable(),
  /** With DEPLOYER=cloudflare-pages: Cloudflare's own validation of the domain. */
  hosting: z
    .object({
      provider: z.literal('cloudflare-pages'),
      status: z.string(),
      validationStatus: z.string().nullable(),
      verificationStatus: z.string().nullable(),
      error: z.string().nullable(),
    })
    .nullable()
    .optional(),
});

export function toDomainJson(d: DomainView) {
  return {
    ...d,
    checkedAt: d.checkedAt?.toISOString() ?? null,
    verifiedAt: d.verifiedAt?.toISOString() ?? null,
  };
}

/** Custom domains: claim, verify over DNS, list, remove; under `/` and `/v1/`. */
export const domainRoutes =
  (service: DomainsService, reservedSuffixes: readonly string[]): FastifyPluginAsyncZod =>
  async (app) => {
    const domain = domainNameString(reservedSuffixes);
    const projectParams = z.object({
      projectId: ulidString('must be a project id (26-character ULID)'),
    });
    const domainParams = projectParams.extend({ domainName: domain });
    const owner = z.object({ userId: userIdString });
    for (const prefix of ['', '/v1']) {
      const base = `${prefix}/projects/:projectId/domains`;
      app.post(
        base,
        {
          config: { auth: 'app' },
          schema: {
            tags: ['domains'],
            summary:
              'Attach a custom domain. Returns the DNS records to create: a TXT challenge and a CNAME.',
            params: projectParams,
            body: owner.extend({ domain }),
            response: { 200: domainViewSchema, 201: domainViewSchema },
          },
        },
        async (request, reply) => {
          const { userId, domain: name } = request.body;
          const { view, created } = await service.add(request.params.projectId, userId, name);
          reply.status(created ? 201 : 200);
          return toDomainJson(view);
        },
      );

      app.get(
        base,
        {
          config: { auth: 'app' },
          schema: {
            tags: ['domains'],
            summary: "A project's custom domains and their verification state.",
            params: projectParams,
            querystring: owner,
            response: { 200: z.object({ domains: z.array(domainViewSchema) }) },
          },
        },
        async (request) => ({
          domains: (await service.list(request.params.projectId, request.query.userId)).map(
            toDomainJson,
          ),
        }),
      );

      app.post(
        `${base}/:domainName/verify`,
        {
          config: { auth: 'app' },
          schema: {
            tags: ['domains'],
            summary:
              'Look up the TXT and CNAME records now and record the result; a verified domain serves the published version.',
            params: domainParams,
            body: owner,
            response: { 200: domainViewSchema },
          },
        },
        async (request) => {
          const { projectId, domainName } = request.params;
          return toDomainJson(await service.verify(projectId, request.body.userId, domainName));
        },
      );

      app.delete(
        `${base}/:domainName`,
        {
          config: { auth: 'app' },
          schema: {
            tags: ['domains'],
            summary: 'Detach a custom domain; it stops serving the project at once.',
            params: domainParams,
            querystring: owner,
            response: {
              200: z.object({
                projectId: z.string(),
                domain: z.string(),
                removed: z.literal(true),
              }),
            },
          },
        },
        async (request) => {
          const { projectId, domainName } = request.params;
          await service.remove(projectId, request.query.userId, domainName);
          return { projectId, domain: domainName, removed: true as const };
        },
      );
    }
  };
