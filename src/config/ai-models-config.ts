import { z } from 'zod';
import { AI_TASKS, type AiTask, type TaskModels } from '../ai/engine.js';
import { optionalString } from './env-values.js';

/**
 * A model per task (AI_MODEL_PLAN, AI_MODEL_GENERATE, AI_MODEL_FIX, AI_MODEL_RECOMMEND), so a
 * cheap model can do fixes and recommendations. A value is a model name for the AI_PROVIDER
 * engine (`claude-haiku-4-5`), or comma-separated `engine=model` pairs to set it for engines of
 * the AI_FALLBACK chain as well (`anthropic=claude-haiku-4-5,openai=gpt-4.1-nano`): model names
 * mean nothing to another provider. An engine without one uses its own model.
 */

const ENTRY = /^(?:([a-z-]+)=)?([A-Za-z0-9][\w.:/@+-]*)$/;

export interface ModelEntry {
  engine: string | undefined;
  model: string;
}

const modelList = optionalString
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .superRefine((entries, ctx) => {
    for (const entry of entries)
      if (!ENTRY.test(entry))
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is neither a model name nor engine=model`,
        });
  })
  .transform((entries): ModelEntry[] =>
    entries.map((entry) => {
      const [, engine, model] = ENTRY.exec(entry) as RegExpExecArray;
      return { engine, model: model as string };
    }),
  );

export const aiModelEnv = {
  AI_MODEL_PLAN: modelList,
  AI_MODEL_GENERATE: modelList,
  AI_MODEL_FIX: modelList,
  AI_MODEL_RECOMMEND: modelList,
};

type AiModelEnv = { [K in keyof typeof aiModelEnv]: z.output<(typeof aiModelEnv)[K]> } & {
  AI_PROVIDER: string;
  AI_FALLBACK: string[];
};

const variable = (task: AiTask) => `AI_MODEL_${task.toUpperCase()}` as keyof typeof aiModelEnv;

/** Each engine named must be one that runs: AI_PROVIDER or one of AI_FALLBACK. */
export function aiModelRules(env: AiModelEnv, ctx: z.RefinementCtx): void {
  const engines = new Set([env.AI_PROVIDER, ...env.AI_FALLBACK]);
  for (const task of AI_TASKS) {
    const seen = new Set<string>();
    for (const { engine = env.AI_PROVIDER } of env[variable(task)]) {
      const problem = !engines.has(engine)
        ? `names the ${engine} engine, which is neither AI_PROVIDER nor in AI_FALLBACK`
        : seen.has(engine)
          ? `gives the ${engine} engine two models`
          : undefined;
      seen.add(engine);
      if (problem) ctx.addIssue({ code: 'custom', path: [variable(task)], message: problem });
    }
  }
}

/** The task models of each engine, by engine name (an engine absent here has none). */
export function aiModelsSection(env: AiModelEnv): Record<string, TaskModels> {
  const byEngine: Record<string, TaskModels> = {};
  for (const task of AI_TASKS) {
    for (const { engine = env.AI_PROVIDER, model } of env[variable(task)]) {
      byEngine[engine] = { ...byEngine[engine], [task]: model };
    }
  }
  return byEngine;
}
