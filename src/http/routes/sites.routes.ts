import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LocalPreviewHost } from '../../deploy/local-preview.js';
import type { SitesService } from '../../services/sites.service.js';
import { AppError } from '../../errors.js';
import { policyForPage } from './inline-scripts.js';
import { sendSiteFile } from '../site-file.js';

const HASHED_ASSET =
  /[-.][A-Za-z0-9_-]{8,}\.(js|mjs|css|woff2?|png|jpe?g|gif|svg|webp|avif|ico|wasm)$/;
// Generated apps get a strict policy of their own instead of the API's.
const previewCsp = (frameAncestors: readonly string[]) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    `frame-ancestors ${["'self'", ...frameAncestors].join(' ')}`,
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');

/**
 * Public site hosting, unsigned: a build's preview at http://build-<id>.<suffix>:<port>/ and
 * /preview/<id>/, a published project at http://<slug>.<suffix>:<port>/ and at each of its
 * verified custom domains. Files only from the build's unpacked artifact; no listings, no
 * dotfiles, no path outside it; SPA fallback to index.html for page routes; hashed assets
 * cached forever, pages revalidated (so a rollback shows at once).
 *
 * Host-named sites are answered in an onRequest hook, before any route: whatever the path, a
 * site's host never reaches the API. Register this before the API routes. `frameAncestors`
 * are the origins (the web console's) that may show a site in a frame besides its own.
 */
export async function siteRoutes(
  app: FastifyInstance,
  host: LocalPreviewHost,
  sites: SitesService,
  frameAncestors: readonly string[] = [],
) {
  const csp = previewCsp(frameAncestors);
  const serve = (buildId: string, urlPath: string, request: FastifyRequest, reply: FastifyReply) =>
    serveBuild(host, buildId, urlPath, { request, reply }, csp);

  app.addHook('onRequest', (request, reply, done) => {
    // API requests (the host is the API's own) go on without a promise or a lookup.
    if (!sites.mayBeSite(request.headers.host)) return done();
    answerSite(request, reply).then((answered) => {
      if (!answered) done();
    }, done);
  });
  const answerSite = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const site = await sites.resolve(request.headers.host);
    if (!site) return false;
    // Logged quietly and counted as `site` whatever path it asked for.
    request.isSite = true;
    if (site.kind === 'missing')
      throw new AppError('NOT_FOUND', 'No site is published at this address.', {
        hint: 'Publish a version of the project, and verify the domain if it is a custom one.',
      });
    if (request.method !== 'GET' && request.method !== 'HEAD')
      throw new AppError('METHOD_NOT_ALLOWED', 'A site answers GET and HEAD only.');
    await serve(site.buildId, request.url, request, reply);
    return true;
  };

  for (const url of ['/preview/:buildId', '/preview/:buildId/*']) {
    app.route({
      method: ['GET', 'HEAD'],
      url,
      config: { auth: 'public', quietLog: true },
      schema: { hide: true },
      handler: async (request, reply) => {
        const { buildId } = request.params as { buildId: string };
        const rest = request.url.slice(`/preview/${buildId}`.length);
        if (rest === '') return reply.redirect(`/preview/${buildId}/`);
        return serve(buildId, rest, request, reply);
      },
    });
  }
}

async function serveBuild(
  host: LocalPreviewHost,
  buildId: string,
  urlPath: string,
  { request, reply }: { request: FastifyRequest; reply: FastifyReply },
  csp: string,
) {
  const dir = await host.directoryFor(buildId);
  if (!dir)
    throw new AppError('NOT_FOUND', 'No preview for this build (yet).', {
      hint: 'Wait for the build to succeed, then reload.',
    });
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    throw new AppError('NOT_FOUND', 'Not found.');
  }
  // Dotfiles are never part of a site (and never fall back to index.html).
  if (rel.split('/').some((segment) => segment.startsWith('.') && segment.length > 1)) {
    throw new AppError('NOT_FOUND', 'Not found.');
  }
  const file = path.resolve(dir, `.${path.posix.normalize(`/${rel}`)}`);
  if (file !== dir && !file.startsWith(dir + path.sep))
    throw new AppError('NOT_FOUND', 'Not found.');
  let target = path.relative(dir, file) || 'index.html';
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) target = path.join(target === 'index.html' ? '' : target, 'index.html');
  else if (!info) {
    // A page route of a single-page app; a missing asset stays a 404.
    if (path.extname(rel) !== '') throw new AppError('NOT_FOUND', 'Not found.');
    target = 'index.html';
  }
  if (target !== path.relative(dir, file))
    info = await stat(path.join(dir, target)).catch(() => undefined);
  if (!info?.isFile()) throw new AppError('NOT_FOUND', 'Not found.');
  const policy = target.endsWith('.html') ? await policyForPage(csp, path.join(dir, target)) : csp;
  reply.header('content-security-policy', policy);
  const cacheControl = HASHED_ASSET.test(target)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
  return sendSiteFile(request, reply, path.join(dir, target), info, cacheControl);
}
