import { z } from 'zod';
import { isWebhookSecret } from '../webhooks/signing.js';
import { bool, int, optionalString, secretList, urlWithProtocols } from './env-values.js';

/** Webhook settings: the variables, their cross-field rules and the section of Config. */

const whsec = optionalString.refine((v) => v === undefined || isWebhookSecret(v), {
  message: 'must be whsec_ followed by 24 to 64 bytes in base64 (a Standard Webhooks secret)',
});

export const webhookEnv = {
  WEBHOOK_URL: urlWithProtocols(['http:', 'https:']),
  WEBHOOK_SECRET: whsec,
  WEBHOOK_ALLOW_PRIVATE: bool(false),
  WEBHOOK_TIMEOUT_MS: int(10_000, 100, 60_000),
  WEBHOOK_RETRY_BASE_MS: int(60_000, 10, 3_600_000),
  WEBHOOK_ATTEMPTS: int(7, 1, 7),
  WEBHOOK_POLL_MS: int(1000, 20, 60_000),
  WEBHOOK_CONCURRENCY: int(4, 1, 64),
  INBOUND_WEBHOOK_SECRET: secretList.refine((list) => list.every(isWebhookSecret), {
    message: 'must be whsec_ secrets (comma-separated while rotating)',
  }),
};

type WebhookEnv = { [K in keyof typeof webhookEnv]: z.output<(typeof webhookEnv)[K]> };

export function webhookRules(env: WebhookEnv, ctx: z.RefinementCtx): void {
  if (env.WEBHOOK_URL && !env.WEBHOOK_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['WEBHOOK_SECRET'],
      message: 'is required when WEBHOOK_URL is set (the receiver verifies with it)',
    });
  }
  if (env.WEBHOOK_URL?.startsWith('http:') && !env.WEBHOOK_ALLOW_PRIVATE) {
    ctx.addIssue({
      code: 'custom',
      path: ['WEBHOOK_URL'],
      message: 'must be https (plain http only with WEBHOOK_ALLOW_PRIVATE=true)',
    });
  }
}

/**
 * Retry delays: 1, 5, 30, 120, 360 and 720 times the base (one minute by default), so the
 * seventh and last attempt comes about 21 hours after the first.
 */
const RETRY_FACTORS = [1, 5, 30, 120, 360, 720] as const;

export function webhooksSection(env: WebhookEnv) {
  return {
    url: env.WEBHOOK_URL,
    secret: env.WEBHOOK_SECRET,
    allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    /** Waits after attempt 1, 2, …; its length + 1 is the number of attempts. */
    retryDelaysMs: RETRY_FACTORS.slice(0, env.WEBHOOK_ATTEMPTS - 1).map(
      (f) => f * env.WEBHOOK_RETRY_BASE_MS,
    ),
    pollMs: env.WEBHOOK_POLL_MS,
    concurrency: env.WEBHOOK_CONCURRENCY,
    inboundSecrets: env.INBOUND_WEBHOOK_SECRET,
  };
}

export type WebhookSettings = ReturnType<typeof webhooksSection>;
