import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Routes that exist only in tests: a validated body, and a handler that throws. */
export function fixtureRoutes(app: FastifyInstance): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    '/v1/fixture/echo',
    {
      config: { auth: 'app' },
      schema: {
        body: z.object({
          userId: z.string().min(1),
          project: z.object({ name: z.string().min(1), pages: z.number().int().positive() }),
          note: z.string().optional(),
        }),
      },
    },
    async (request) => ({ ok: true, userId: request.body.userId, scheme: request.signatureScheme }),
  );
  typed.get(
    '/v1/fixture/items',
    {
      config: { auth: 'app' },
      schema: {
        querystring: z.object({ userId: z.string().optional(), page: z.string().optional() }),
      },
    },
    async (request) => ({ ok: true, query: request.query }),
  );
  typed.get('/v1/fixture/boom', { config: { auth: 'app' } }, async () => {
    throw new Error('database password hunter2 leaked at /srv/app/secret.ts:42');
  });
}
