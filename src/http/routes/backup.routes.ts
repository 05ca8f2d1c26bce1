import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import { AppError } from '../../errors.js';

/** The content type of the embedded database dump: a gzipped tar of the data directory. */
export const DATABASE_DUMP_TYPE = 'application/gzip';

/**
 * The embedded database lives inside the running worker (PGlite holds its data directory), so
 * `npm run backup` asks the worker for it here instead of reading files another process is
 * writing. PostgreSQL is backed up with pg_dump straight from the server.
 */
export const backupRoutes =
  (c: Pick<Container, 'db'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/admin/backup/database',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['operations'],
          summary:
            'The embedded database as a gzipped tar of its data directory, taken between transactions; for `npm run backup`. Signed with an admin secret.',
          querystring: z.object({}).strict(),
        },
      },
      async (_req, reply) => {
        if (!c.db.dumpDataDir) {
          throw new AppError(
            'CONFLICT',
            'This worker uses PostgreSQL, not the embedded database.',
            {
              hint: 'Run npm run backup with DATABASE_URL set: it backs PostgreSQL up with pg_dump.',
            },
          );
        }
        const blob = await c.db.dumpDataDir();
        const bytes = Buffer.from(await blob.arrayBuffer());
        return reply
          .type(DATABASE_DUMP_TYPE)
          .header('content-disposition', 'attachment; filename="database.tar.gz"')
          .header('cache-control', 'no-store')
          .send(bytes);
      },
    );
  };
