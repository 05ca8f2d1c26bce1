import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { NonceStore } from '../../auth/nonce-store.js';
import { verifySignedRequest } from '../../auth/verify.js';
import type { Config } from '../../config/config.js';

export type RouteAuth = 'public' | 'signed' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Signed is the default: a route is public only when it says so. */
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    signatureScheme?: 'v1' | 'v2';
  }
}

const ADMIN_PREFIX = '/v1/admin/';

export function routeAuth(request: FastifyRequest): RouteAuth {
  // No route matched: the 404 itself reveals nothing, and clients deserve to see it.
  if (request.is404) return 'public';
  if (request.url.startsWith(ADMIN_PREFIX)) return 'admin';
  return request.routeOptions.config.auth ?? 'signed';
}

/**
 * Verifies signatures in preValidation: after the body is read (the signature covers its
 * bytes) and before validation, so unsigned callers learn nothing about route schemas.
 */
export function registerSignatureAuth(
  app: FastifyInstance,
  auth: Config['auth'],
  nonces: NonceStore,
): void {
  app.addHook('preValidation', async (request) => {
    const level = routeAuth(request);
    if (level === 'public') return;
    request.signatureScheme = await verifySignedRequest(
      {
        method: request.method,
        url: request.url,
        headers: request.headers,
        rawBody: request.rawBody,
      },
      {
        secrets: level === 'admin' ? auth.adminSecrets : auth.secrets,
        // The replayable legacy scheme is never good enough for admin routes.
        allowV1: level === 'admin' ? false : auth.allowV1,
        toleranceSeconds: auth.toleranceSeconds,
        nonces,
      },
    );
  });
}
