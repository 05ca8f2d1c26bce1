import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';

/** Room for the multipart framing and the text fields around the archive itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Bodies an import accepts: a form with the archive, or the archive itself. */
export const ARCHIVE_CONTENT_TYPES = [
  'multipart/form-data',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/zip',
  'application/octet-stream',
] as const;

/**
 * Reads an upload as bytes, up to the import limit, into `request.rawBody` and parses
 * nothing: the signature (checked before validation) covers these exact bytes, and only a
 * signed body is then parsed and unpacked. Call inside the import routes' own plugin scope.
 */
export function registerArchiveBody(app: FastifyInstance, maxArchiveBytes: number): void {
  const limit = maxArchiveBytes + MULTIPART_OVERHEAD_BYTES;
  app.addContentTypeParser([...ARCHIVE_CONTENT_TYPES], (request, payload, done) => {
    readLimited(request, payload, limit, maxArchiveBytes).then(
      (bytes) => {
        request.rawBody = bytes;
        done(null, undefined);
      },
      (err: Error) => done(err, undefined),
    );
  });
}

async function readLimited(
  request: FastifyRequest,
  payload: AsyncIterable<Buffer>,
  limit: number,
  maxArchiveBytes: number,
): Promise<Buffer> {
  const tooLarge = () =>
    new AppError(
      'IMPORT_TOO_LARGE',
      `The upload is larger than IMPORT_MAX_BYTES (${maxArchiveBytes} bytes).`,
    );
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of payload) {
    total += chunk.length;
    if (total > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
