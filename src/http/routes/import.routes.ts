import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { BuildService } from '../../services/build.service.js';
import type { ImportService } from '../../services/import.service.js';
import { registerArchiveBody } from '../plugins/archive-body.js';
import { projectNameString, userIdString } from '../schemas.js';
import { accepted, acceptedView } from './builds.routes.js';

const importFields = z.object({
  userId: userIdString,
  name: projectNameString.optional(),
});

/** An uploaded file's name, kept only to describe the version. */
// eslint-disable-next-line no-control-regex
const FILE_NAME = /^[^\u0000-\u001f\u007f/\\]{1,200}$/;

export const importRoutes =
  (imports: ImportService, builds: BuildService, maxBytes: number): FastifyPluginAsyncZod =>
  async (app) => {
    registerArchiveBody(app, maxBytes);
    app.post(
      '/v1/projects/import',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['projects'],
          summary:
            'Import a project from a .tar.gz, .tgz or .zip: multipart/form-data with userId, optional name and the archive (or the archive as the body, userId and name in the query). It becomes version 1 of a new project, built without an engine call.',
          querystring: importFields.partial(),
          response: { 202: accepted },
        },
      },
      async (request, reply) => {
        const raw = request.rawBody;
        if (!raw || raw.length === 0) {
          throw new AppError('VALIDATION_FAILED', 'body: send the archive to import.');
        }
        const contentType = request.headers['content-type'] ?? '';
        const upload: Upload = contentType.startsWith('multipart/form-data')
          ? await fromMultipart(raw, contentType)
          : { fields: request.query, archive: raw, fileName: undefined };
        if (upload.archive.length > maxBytes) {
          throw new AppError(
            'IMPORT_TOO_LARGE',
            `The archive is larger than IMPORT_MAX_BYTES (${maxBytes} bytes).`,
          );
        }
        const fields = parseFields(upload.fields);
        const result = await imports.importProject({
          ...fields,
          archive: upload.archive,
          ...(upload.fileName && FILE_NAME.test(upload.fileName)
            ? { fileName: upload.fileName }
            : {}),
        });
        reply.status(202);
        return acceptedView(builds, result);
      },
    );
  };

/** The form's text fields and its one file, parsed from the signed bytes. */
interface Upload {
  fields: Record<string, unknown>;
  archive: Buffer;
  fileName: string | undefined;
}

async function fromMultipart(raw: Buffer, contentType: string): Promise<Upload> {
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new AppError('VALIDATION_FAILED', 'body: the multipart/form-data body is malformed.');
  }
  const fields: Record<string, unknown> = {};
  const files: File[] = [];
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') fields[key] = value;
    else files.push(value);
  }
  const file = files[0];
  if (!file || files.length > 1) {
    throw new AppError(
      'VALIDATION_FAILED',
      'body: send exactly one file part, the archive (for example as the field "file").',
    );
  }
  return { fields, archive: Buffer.from(await file.arrayBuffer()), fileName: file.name };
}

function parseFields(input: Record<string, unknown>) {
  const parsed = importFields.safeParse(input);
  if (parsed.success) {
    const { userId, name } = parsed.data;
    return { userId, ...(name ? { name } : {}) };
  }
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  throw new AppError('VALIDATION_FAILED', `${field}: ${issue?.message ?? 'is invalid'}`);
}
