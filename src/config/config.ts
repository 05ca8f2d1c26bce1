import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import {
  bool,
  dnsServerList,
  hostName,
  int,
  optionalString,
  secretList,
  urlWithProtocols,
} from './env-values.js';
import { artifactEnv, artifactRules, artifactsSection } from './artifacts-config.js';
import { deployEnv, deployRules, deploySection } from './deploy-config.js';
import { webhookEnv, webhookRules, webhooksSection } from './webhooks-config.js';
import {
  observabilityEnv,
  observabilityRules,
  observabilitySection,
} from './observability-config.js';
import { consoleEnv, consoleSection } from './console-config.js';
import { importEnv, importSection } from './import-config.js';
import { supplyEnv, supplySection } from './supply-config.js';
import { aiEnv, aiRules, aiSection } from './ai-config.js';

/**
 * Every setting the service reads, parsed once at boot from an env-like record.
 * Nothing else in the codebase reads process.env: adapters get their slice of Config.
 */

const MB = 1024 * 1024;

const ROLES = ['all', 'api', 'worker'] as const;
const ARCH_MODES = ['monolith', 'modular', 'stream'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  ROLE: z.enum(ROLES).default('all'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(8080, 0, 65535),
  PUBLIC_URL: urlWithProtocols(['http:', 'https:']),
  TRUST_PROXY: bool(false),
  DATA_DIR: z.string().min(1).default('./.sheen'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),

  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:']),
  DATABASE_POOL_MAX: int(10, 1, 200),
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:']),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/)
    .default('sheen'),

  HMAC_SECRETS: secretList,
  ADMIN_HMAC_SECRETS: secretList,
  HMAC_ALLOW_V1: bool(false),
  HMAC_TOLERANCE_SECONDS: int(300, 30, 3600),

  BODY_LIMIT_BYTES: int(1_048_576, 1024, 104_857_600),
  CORS_ORIGINS: secretList,
  DOCS_ENABLED: bool(true),
  RATE_LIMIT_WINDOW_MS: int(60_000, 1000, 3_600_000),
  RATE_LIMIT_IP_MAX: int(300, 1, 1_000_000),
  RATE_LIMIT_USER_MAX: int(120, 1, 1_000_000),
  SHUTDOWN_TIMEOUT_MS: int(30_000, 1000, 600_000),

  ...aiEnv,
  FIX_MAX_ATTEMPTS: int(3, 0, 20),
  BUILD_TOKEN_BUDGET: int(600_000, 1000, 100_000_000),
  BUILD_COST_BUDGET_USD: z.coerce.number().min(0).max(1000).default(3),
  BUILD_AI_SECONDS_BUDGET: int(1800, 10, 86_400),
  QUOTA_DEFAULT_PLAN_SECONDS: int(36_000, 0, 100_000_000),
  QUOTA_METER_OFFLINE: bool(false),
  QUOTA_SWEEP_INTERVAL_MS: int(60_000, 1000, 86_400_000),
  PATH: z.string().optional(),

  ARCH_MODE: z.enum(ARCH_MODES).default('monolith'),
  SKIP_QUEUE: bool(false),
  BUILD_CONCURRENCY: int(2, 1, 64),
  AI_CONCURRENCY: int(4, 1, 64),
  QUEUE_ATTEMPTS: int(3, 1, 20),
  QUEUE_LOCK_MS: int(30_000, 2000, 600_000),
  QUEUE_RECONCILE_INTERVAL_MS: int(30_000, 1000, 3_600_000),
  SANDBOX: z.enum(['auto', 'bwrap', 'process']).default('auto'),
  SANDBOX_ALLOW_PROCESS: bool(false),
  SANDBOX_ALLOW_UNSAFE: bool(false),
  // Above the 16-bit range distributions allocate users (and nobody) from; below 2^31.
  SANDBOX_UID_BASE: int(200_000, 65_536, 2_000_000_000),
  SANDBOX_UID_COUNT: int(64, 1, 65_536),
  SANDBOX_MEMORY_MB: int(2048, 256, 65_536),
  SANDBOX_MAX_PROCESSES: int(512, 16, 65_536),
  SANDBOX_MAX_OUTPUT_BYTES: int(8_388_608, 65_536, 1_073_741_824),
  SANDBOX_TMP_MB: int(256, 8, 65_536),
  SANDBOX_NICE: int(10, 0, 19),
  BUILD_DISK_LIMIT_MB: int(1024, 16, 1_048_576),
  INSTALL_TIMEOUT_MS: int(300_000, 5000, 3_600_000),
  BUILD_TIMEOUT_MS: int(180_000, 5000, 3_600_000),
  INSTALL_ALLOW_SCRIPTS: secretList,
  NPM_REGISTRY: urlWithProtocols(['http:', 'https:']),
  // Extra CA certificates for reaching the registry (a TLS-inspecting proxy); defaults to
  // Node's own NODE_EXTRA_CA_CERTS.
  NPM_CAFILE: optionalString,
  NODE_EXTRA_CA_CERTS: optionalString,
  WORKSPACE_MAX_FILE_BYTES: int(2_097_152, 1024, 104_857_600),
  WORKSPACE_MAX_TOTAL_BYTES: int(52_428_800, 65_536, 1_073_741_824),
  KEEP_WORKSPACES: bool(false),
  WARM_BUNDLER: bool(true),
  WORKSPACE_SWEEP_INTERVAL_MS: int(300_000, 1000, 86_400_000),
  PREVIEW_HOST_SUFFIX: z
    .string()
    .regex(/^[a-z0-9.-]+$/)
    .default('localhost'),
  DNS_SERVERS: dnsServerList,
  DNS_TIMEOUT_MS: int(3000, 100, 60_000),
  DOMAIN_CNAME_TARGET: hostName,

  ...artifactEnv,
  ...deployEnv,
  ...webhookEnv,
  ...observabilityEnv,
  ...consoleEnv,
  ...importEnv,
  ...supplyEnv,
  RECOMMEND_BUNDLE_BUDGET_KB: int(500, 1, 1_048_576),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
});

type Env = z.infer<typeof envSchema>;

function crossFieldRules(env: Env, ctx: z.RefinementCtx): void {
  webhookRules(env, ctx);
  observabilityRules(env, ctx);
  aiRules(env, ctx);
  const weak = [...env.HMAC_SECRETS, ...env.ADMIN_HMAC_SECRETS].some((s) => s.length < 32);
  if (weak) {
    ctx.addIssue({
      code: 'custom',
      path: [env.HMAC_SECRETS.some((s) => s.length < 32) ? 'HMAC_SECRETS' : 'ADMIN_HMAC_SECRETS'],
      message: 'each secret must be at least 32 characters',
    });
  }
  const shared = env.ADMIN_HMAC_SECRETS.filter((s) => env.HMAC_SECRETS.includes(s));
  if (shared.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['ADMIN_HMAC_SECRETS'],
      message: 'must not reuse a secret from HMAC_SECRETS',
    });
  }
  if (env.ROLE !== 'all' && !env.DATABASE_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['ROLE'],
      message: `=${env.ROLE} splits API and workers across processes, which needs a shared DATABASE_URL (the embedded database serves one process)`,
    });
  }
  if (env.BUILD_DISK_LIMIT_MB * MB < env.WORKSPACE_MAX_TOTAL_BYTES) {
    ctx.addIssue({
      code: 'custom',
      path: ['BUILD_DISK_LIMIT_MB'],
      message: `must hold at least the generated sources (WORKSPACE_MAX_TOTAL_BYTES = ${env.WORKSPACE_MAX_TOTAL_BYTES} bytes)`,
    });
  }
  if (env.ARCH_MODE === 'stream' && env.AI_PROVIDER !== 'claude-cli') {
    ctx.addIssue({
      code: 'custom',
      path: ['ARCH_MODE'],
      message: 'stream mode runs generation through the Claude CLI: set AI_PROVIDER=claude-cli',
    });
  }
  const concurrent = env.BUILD_CONCURRENCY + (env.ARCH_MODE === 'modular' ? env.AI_CONCURRENCY : 0);
  if (env.SANDBOX_UID_COUNT < concurrent) {
    ctx.addIssue({
      code: 'custom',
      path: ['SANDBOX_UID_COUNT'],
      message: `must be at least ${concurrent} (BUILD_CONCURRENCY${env.ARCH_MODE === 'modular' ? ' + AI_CONCURRENCY' : ''}) so every build that runs at once has a uid of its own`,
    });
  }
  artifactRules(env, ctx);
  deployRules(env, ctx);
  if (env.NODE_ENV === 'production') {
    for (const name of ['HMAC_SECRETS', 'ADMIN_HMAC_SECRETS'] as const) {
      if (env[name].length > 0) continue;
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'is required when NODE_ENV=production (generated secrets are for local use)',
      });
    }
  }
}

function domainsSection(env: Env) {
  const cnameTarget =
    env.DOMAIN_CNAME_TARGET ?? publicHostName(env.PUBLIC_URL) ?? env.PREVIEW_HOST_SUFFIX;
  return {
    /** Resolvers for ownership checks; undefined means the system's. */
    dnsServers: env.DNS_SERVERS,
    dnsTimeoutMs: env.DNS_TIMEOUT_MS,
    /** Where custom domains point their CNAME. */
    cnameTarget,
    /** Names the worker answers for itself, which no user may claim as a custom domain. */
    reservedSuffixes: [...new Set([env.PREVIEW_HOST_SUFFIX, cnameTarget])],
  };
}

/** The host of PUBLIC_URL when it is a name: a CNAME can point at a name, not an address. */
function publicHostName(url: string | undefined): string | undefined {
  const host = url ? new URL(url).hostname : undefined;
  return host && isIP(host.replace(/^\[|\]$/g, '')) === 0 ? host : undefined;
}

const configSchema = envSchema.superRefine(crossFieldRules).transform((env) => {
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.NODE_ENV,
    role: env.ROLE,
    dataDir,
    /** PATH handed to child processes that need to find tools (never the rest of the env). */
    systemPath: env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    logLevel: env.LOG_LEVEL,
    http: {
      host: env.HOST,
      port: env.PORT,
      publicUrl: env.PUBLIC_URL,
      trustProxy: env.TRUST_PROXY,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      corsOrigins: env.CORS_ORIGINS,
      docsEnabled: env.DOCS_ENABLED,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    },
    database: env.DATABASE_URL
      ? { kind: 'postgres' as const, url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX }
      : { kind: 'pglite' as const, dir: path.join(dataDir, 'db') },
    redis: env.REDIS_URL ? { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX } : undefined,
    auth: {
      secrets: env.HMAC_SECRETS,
      adminSecrets: env.ADMIN_HMAC_SECRETS,
      allowV1: env.HMAC_ALLOW_V1,
      toleranceSeconds: env.HMAC_TOLERANCE_SECONDS,
    },
    rateLimit: {
      windowMs: env.RATE_LIMIT_WINDOW_MS,
      ipMax: env.RATE_LIMIT_IP_MAX,
      userMax: env.RATE_LIMIT_USER_MAX,
    },
    pipeline: {
      archMode: env.ARCH_MODE,
      skipQueue: env.SKIP_QUEUE,
      buildConcurrency: env.BUILD_CONCURRENCY,
      aiConcurrency: env.AI_CONCURRENCY,
      webhookConcurrency: env.WEBHOOK_CONCURRENCY,
      attempts: env.QUEUE_ATTEMPTS,
      lockMs: env.QUEUE_LOCK_MS,
      reconcileIntervalMs: env.QUEUE_RECONCILE_INTERVAL_MS,
      installTimeoutMs: env.INSTALL_TIMEOUT_MS,
      buildTimeoutMs: env.BUILD_TIMEOUT_MS,
      installAllowScripts: env.INSTALL_ALLOW_SCRIPTS,
      npmRegistry: env.NPM_REGISTRY,
      npmCaFile: env.NPM_CAFILE ?? env.NODE_EXTRA_CA_CERTS,
      keepWorkspaces: env.KEEP_WORKSPACES,
      /** Keep a bundler started ahead for the next build (warm-bundler.ts). */
      warmBundler: env.WARM_BUNDLER,
      /** How often each worker removes what ended or unknown builds left in DATA_DIR. */
      workspaceSweepIntervalMs: env.WORKSPACE_SWEEP_INTERVAL_MS,
      workspaceLimits: {
        maxFileBytes: env.WORKSPACE_MAX_FILE_BYTES,
        maxTotalBytes: env.WORKSPACE_MAX_TOTAL_BYTES,
      },
    },
    sandbox: {
      mode: env.SANDBOX,
      // Production never silently runs untrusted code without bubblewrap.
      requireBwrap:
        env.SANDBOX === 'bwrap' || (env.NODE_ENV === 'production' && !env.SANDBOX_ALLOW_PROCESS),
      // Plain processes hide nothing on disk: only where the operator says so.
      allowUnisolated: env.SANDBOX_ALLOW_UNSAFE,
      /** One uid per build slot when the worker is root: SANDBOX_UID_BASE … + COUNT - 1. */
      uids: { base: env.SANDBOX_UID_BASE, count: env.SANDBOX_UID_COUNT },
      /** Builds run at this nice level, so they never starve the API and the database. */
      nice: env.SANDBOX_NICE,
      limits: {
        memoryMb: env.SANDBOX_MEMORY_MB,
        maxProcesses: env.SANDBOX_MAX_PROCESSES,
        maxOutputBytes: env.SANDBOX_MAX_OUTPUT_BYTES,
        // No single file may be larger than the whole build may hold.
        maxFileBytes: Math.min(env.WORKSPACE_MAX_TOTAL_BYTES * 4, env.BUILD_DISK_LIMIT_MB * MB),
        diskBytes: env.BUILD_DISK_LIMIT_MB * MB,
        tmpBytes: env.SANDBOX_TMP_MB * MB,
      },
    },
    preview: { hostSuffix: env.PREVIEW_HOST_SUFFIX },
    deploy: deploySection(env),
    domains: domainsSection(env),
    artifacts: artifactsSection(env),
    webhooks: webhooksSection(env),
    observability: observabilitySection(env),
    console: consoleSection(env),
    import: importSection(env),
    supply: supplySection(env),
    ai: aiSection(env),
    recommendations: {
      /** JS + CSS a built app may ship before `bundle.size` is recommended. */
      bundleBudgetBytes: env.RECOMMEND_BUNDLE_BUDGET_KB * 1024,
      /** The browser the on-demand page check drives; the check is skipped when it is absent. */
      chromiumPath: env.CHROMIUM_PATH,
    },
    fix: {
      maxAttempts: env.FIX_MAX_ATTEMPTS,
      tokenBudget: env.BUILD_TOKEN_BUDGET,
      costBudgetUsd: env.BUILD_COST_BUDGET_USD,
      aiSecondsBudget: env.BUILD_AI_SECONDS_BUDGET,
    },
    quota: {
      /** AI seconds per calendar month (UTC) for a user the main app has set no plan for. */
      defaultPlanSeconds: env.QUOTA_DEFAULT_PLAN_SECONDS,
      meterOffline: env.QUOTA_METER_OFFLINE,
      sweepIntervalMs: env.QUOTA_SWEEP_INTERVAL_MS,
    },
  };
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses configuration from an env-like record. Pure: reads nothing but its argument. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = issue.path.join('.') || '(environment)';
      return `${variable}: ${issue.message}`;
    }),
  );
}

/** Strings that must never appear in logs, events or responses. */
export function secretValues(config: Config): string[] {
  return [
    ...config.auth.secrets,
    ...config.auth.adminSecrets,
    config.ai.anthropic.apiKey,
    config.ai.openai.apiKey,
    config.deploy.kind === 'cloudflare-pages' ? config.deploy.apiToken : undefined,
    config.database.kind === 'postgres' ? passwordOf(config.database.url) : undefined,
    config.redis ? passwordOf(config.redis.url) : undefined,
    ...(config.artifacts.store.kind === 's3'
      ? [config.artifacts.store.accessKeyId, config.artifacts.store.secretAccessKey]
      : []),
    config.webhooks.secret,
    ...config.webhooks.inboundSecrets,
    config.observability.metrics.token,
    config.observability.alerts.webhook?.secret,
  ].filter((v): v is string => typeof v === 'string' && v.length >= 6);
}

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
