import { z } from 'zod';
import { bool, int, optionalString, urlWithProtocols } from './env-values.js';
import { aiModelEnv, aiModelRules, aiModelsSection } from './ai-models-config.js';

/** The AI engines: the variables, their cross-field rules and the Config slice. */

const AI_PROVIDERS = ['offline', 'anthropic', 'claude-cli', 'openai'] as const;

export const aiEnv = {
  AI_PROVIDER: z.enum(AI_PROVIDERS).default('offline'),
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: urlWithProtocols(['http:', 'https:']),
  CLAUDE_BIN: z.string().min(1).default('claude'),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: urlWithProtocols(['http:', 'https:']),
  ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-4-6'),
  OPENAI_MODEL: z.string().min(1).default('gpt-4.1-mini'),
  AI_FALLBACK: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(AI_PROVIDERS))),
  AI_MAX_TURNS: int(40, 1, 500),
  AI_MAX_TOKENS: int(16_000, 256, 128_000),
  AI_RETRIES: int(4, 0, 10),
  CLAUDE_ALLOW_BASH: bool(false),
  CLAUDE_IDLE_TIMEOUT_MS: int(120_000, 1000, 3_600_000),
  CLAUDE_TOTAL_TIMEOUT_MS: int(1_200_000, 5000, 7_200_000),
  ...aiModelEnv,
};

type AiEnv = { [K in keyof typeof aiEnv]: z.output<(typeof aiEnv)[K]> };

/** Each engine named (AI_PROVIDER or in AI_FALLBACK) has what it needs to run. */
export function aiRules(env: AiEnv, ctx: z.RefinementCtx): void {
  aiModelRules(env, ctx);
  const engines = [env.AI_PROVIDER, ...env.AI_FALLBACK];
  if (engines.includes('anthropic') && !env.ANTHROPIC_API_KEY) {
    ctx.addIssue({
      code: 'custom',
      path: ['ANTHROPIC_API_KEY'],
      message:
        env.AI_PROVIDER === 'anthropic'
          ? 'is required when AI_PROVIDER=anthropic'
          : 'is required when AI_FALLBACK includes anthropic',
    });
  }
  if (engines.includes('openai') && !env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['OPENAI_API_KEY'],
      message:
        env.AI_PROVIDER === 'openai'
          ? 'or OPENAI_BASE_URL is required when AI_PROVIDER=openai'
          : 'or OPENAI_BASE_URL is required when AI_FALLBACK includes openai',
    });
  }
}

export function aiSection(env: AiEnv) {
  return {
    provider: env.AI_PROVIDER,
    fallback: env.AI_FALLBACK.filter((p) => p !== env.AI_PROVIDER),
    maxTurns: env.AI_MAX_TURNS,
    maxTokens: env.AI_MAX_TOKENS,
    retries: env.AI_RETRIES,
    anthropic: {
      apiKey: env.ANTHROPIC_API_KEY,
      baseUrl: env.ANTHROPIC_BASE_URL,
      model: env.ANTHROPIC_MODEL,
    },
    claudeCli: {
      bin: env.CLAUDE_BIN,
      allowBash: env.CLAUDE_ALLOW_BASH,
      idleTimeoutMs: env.CLAUDE_IDLE_TIMEOUT_MS,
      totalTimeoutMs: env.CLAUDE_TOTAL_TIMEOUT_MS,
    },
    openai: { apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL },
    /** AI_MODEL_<TASK>: models per task, by engine name; a task without one uses the engine's. */
    taskModels: aiModelsSection(env),
  };
}
