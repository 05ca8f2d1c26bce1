import { z } from 'zod';
import { checkWebhookUrl } from '../services/webhooks.service.js';
import { isWebhookSecret } from '../webhooks/signing.js';
import { int, optionalString, urlWithProtocols } from './env-values.js';

/** Metrics, alerts and log format: the variables, their cross-field rules and the section. */

/** Unset or blank: no port. */
const optionalPort = optionalString
  .refine((v) => v === undefined || (/^\d{1,5}$/.test(v) && Number(v) <= 65535), {
    message: 'must be a port number from 0 to 65535',
  })
  .transform((v) => (v === undefined ? undefined : Number(v)));

const fraction = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a number from 0 to 1' })
    .min(0, { error: 'must be a number from 0 to 1' })
    .max(1, { error: 'must be a number from 0 to 1' })
    .default(fallback);

export const observabilityEnv = {
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  METRICS_PORT: optionalPort,
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  ALERTS_INTERVAL_MS: int(60_000, 1000, 3_600_000),
  ALERT_WEBHOOK_URL: urlWithProtocols(['http:', 'https:']),
  ALERT_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || isWebhookSecret(v), {
    message: 'must be whsec_ followed by 24 to 64 bytes in base64 (a Standard Webhooks secret)',
  }),
  ALERT_BUILD_FAILURE_RATE: fraction(0.5),
  ALERT_BUILD_FAILURE_MIN_BUILDS: int(5, 1, 100_000),
  ALERT_BUILD_WINDOW_MS: int(15 * 60_000, 60_000, 7 * 86_400_000),
  ALERT_QUEUE_STALL_MS: int(10 * 60_000, 1000, 86_400_000),
  ALERT_OLDEST_WAITING_MS: int(15 * 60_000, 1000, 7 * 86_400_000),
  ALERT_DISK_FREE_PERCENT: int(10, 0, 100),
  ALERT_WEBHOOK_FAILURES: int(5, 1, 1_000_000),
  ALERT_WEBHOOK_WINDOW_MS: int(15 * 60_000, 60_000, 7 * 86_400_000),
};

type ObservabilityEnv = {
  [K in keyof typeof observabilityEnv]: z.output<(typeof observabilityEnv)[K]>;
} & { WEBHOOK_SECRET: string | undefined; WEBHOOK_ALLOW_PRIVATE: boolean };

export function observabilityRules(env: ObservabilityEnv, ctx: z.RefinementCtx): void {
  if (env.ALERT_WEBHOOK_URL && !env.ALERT_WEBHOOK_SECRET && !env.WEBHOOK_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['ALERT_WEBHOOK_SECRET'],
      message: 'is required when ALERT_WEBHOOK_URL is set and WEBHOOK_SECRET is not',
    });
  }
  if (env.ALERT_WEBHOOK_URL) {
    // The check a project's webhook URL passes; every send is checked again by the SSRF guard.
    try {
      checkWebhookUrl(env.ALERT_WEBHOOK_URL, env.WEBHOOK_ALLOW_PRIVATE);
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALERT_WEBHOOK_URL'],
        message: `${(err as Error).message.replace(/^url: /, '')} (plain http and private addresses only with WEBHOOK_ALLOW_PRIVATE=true)`,
      });
    }
  }
}

export function observabilitySection(env: ObservabilityEnv) {
  return {
    /** pretty: readable lines; json: one JSON object a line; auto: pretty on a terminal. */
    logFormat: env.LOG_FORMAT,
    metrics: {
      /** A separate listener for /metrics; undefined: none. */
      port: env.METRICS_PORT,
      host: env.METRICS_HOST,
      /** Bearer token that lets Prometheus read /metrics on the main port. */
      token: env.METRICS_TOKEN,
    },
    alerts: {
      intervalMs: env.ALERTS_INTERVAL_MS,
      webhook: env.ALERT_WEBHOOK_URL
        ? {
            url: env.ALERT_WEBHOOK_URL,
            secret: (env.ALERT_WEBHOOK_SECRET ?? env.WEBHOOK_SECRET) as string,
          }
        : undefined,
      buildFailureRate: env.ALERT_BUILD_FAILURE_RATE,
      buildFailureMinBuilds: env.ALERT_BUILD_FAILURE_MIN_BUILDS,
      buildWindowMs: env.ALERT_BUILD_WINDOW_MS,
      queueStallMs: env.ALERT_QUEUE_STALL_MS,
      oldestWaitingMs: env.ALERT_OLDEST_WAITING_MS,
      diskFreePercent: env.ALERT_DISK_FREE_PERCENT,
      webhookFailures: env.ALERT_WEBHOOK_FAILURES,
      webhookWindowMs: env.ALERT_WEBHOOK_WINDOW_MS,
    },
  };
}

export type ObservabilitySettings = ReturnType<typeof observabilitySection>;
export type AlertSettings = ObservabilitySettings['alerts'];
