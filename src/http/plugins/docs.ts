import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { SIGNATURE_HEADER } from '../../auth/signing.js';
import { BUILD_ERROR_CODES } from '../../build/build-errors.js';
import { ERROR_CATALOG } from '../../errors.js';
import type { RouteAuth } from './signature-auth.js';

const SIGNATURE_SCHEME =
  'v2=hex(HMAC-SHA256(secret, `${timestamp}.${nonce}.${METHOD}.${pathWithQuery}.${sha256hex(body)}`)) ' +
  'with x-sheen-timestamp and x-sheen-nonce headers.';

// Each operation documents the secret its route declares, so clients (and the fuzz test)
// read the auth level from the same declaration the server enforces.
const SECURITY: Record<RouteAuth, Array<Record<string, string[]>>> = {
  public: [],
  app: [{ sheenSignature: [] }],
  admin: [{ sheenAdminSignature: [] }],
  console: [],
};

const transform: typeof jsonSchemaTransform = (document) => {
  const result = jsonSchemaTransform(document);
  const auth = document.route.config?.auth ?? 'app';
  if (result.schema && !result.schema.hide) {
    return { ...result, schema: { ...result.schema, security: SECURITY[auth] } };
  }
  return result;
};

/** OpenAPI 3 document generated from the route schemas, and a docs UI over it. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SheenApps Worker API',
        version,
        description:
          'Turns prompts into built, deployed, versioned web apps. Every route except liveness ' +
          'and preview hosting needs an HMAC signature: each operation names the secret it ' +
          'takes (app or admin); see the README, "Signing requests".',
      },
      components: {
        // Both catalogs are closed: a client can switch over every value listed here.
        schemas: {
          ErrorCode: {
            type: 'string',
            enum: Object.keys(ERROR_CATALOG),
            description:
              '`error.code` of every failed request: `{error: {code, message, hint, requestId}}`.',
          },
          ErrorBody: {
            type: 'object',
            required: ['error'],
            properties: {
              error: {
                type: 'object',
                required: ['code', 'message', 'hint', 'requestId'],
                properties: {
                  code: { $ref: '#/components/schemas/ErrorCode' },
                  message: { type: 'string' },
                  hint: { type: 'string' },
                  requestId: { type: 'string' },
                  details: { type: 'object' },
                },
              },
            },
          },
          BuildErrorCode: {
            type: 'string',
            enum: [...BUILD_ERROR_CODES],
            description: '`error.code` of a build that did not succeed (GET /v1/builds/:buildId).',
          },
        },
        securitySchemes: {
          sheenSignature: {
            type: 'apiKey',
            in: 'header',
            name: SIGNATURE_HEADER,
            description: `Signed with an app secret (HMAC_SECRETS): ${SIGNATURE_SCHEME}`,
          },
          sheenAdminSignature: {
            type: 'apiKey',
            in: 'header',
            name: SIGNATURE_HEADER,
            description: `Signed with an admin secret (ADMIN_HMAC_SECRETS), v2 only: ${SIGNATURE_SCHEME}`,
          },
        },
      },
      security: [{ sheenSignature: [] }],
    },
    transform,
  });
}

export async function registerDocsUi(app: FastifyInstance): Promise<void> {
  await app.register(async (docs) => {
    // Everything the UI plugin registers is documentation: public, and not rate limited
    // beyond the per-IP limit.
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), auth: 'public' };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  });
}
