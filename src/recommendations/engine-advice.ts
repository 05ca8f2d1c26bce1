import { newId } from '../ids.js';
import { z } from 'zod';
import type { AiEngine, EngineUsage } from '../ai/engine.js';
import { clipText, slugify, storableText } from '../text.js';
import type { StoredRecommendation } from './recommendation.js';

/** Ideas are suggestions, not findings: never above 'low', at most a few. */
const MAX_IDEAS = 5;

const text = (max: number) =>
  z
    .string()
    .transform((v) => clipText(storableText(v).trim(), max))
    .pipe(z.string().min(1));

const adviceSchema = z.object({
  order: z.array(z.string()).max(200).optional(),
  rewrites: z
    .array(
      z.object({
        ref: z.string(),
        title: text(160).optional(),
        detail: text(800).optional(),
        action: text(300).optional(),
      }),
    )
    .max(200)
    .optional(),
  ideas: z
    .array(
      z.object({
        name: z.string().max(80),
        severity: z.enum(['info', 'low']).catch('info'),
        title: text(160),
        detail: text(800),
        action: text(300),
      }),
    )
    .optional(),
});

/**
 * Applies an engine's advice to measured items: its order first (unknown refs ignored, the
 * rest after in their own order), its wording of title, detail and action, then its ideas
 * (origin 'idea', kind `idea.<name>`, a fresh id: ideas are not stored). Kind, key, severity,
 * origin, id and evidence of a measured item never change. Throws on malformed advice.
 */
export function applyAdvice(items: StoredRecommendation[], raw: unknown): StoredRecommendation[] {
  const advice = adviceSchema.parse(raw);
  const byId = new Map(items.map((i) => [i.id, i]));
  const ordered = [...new Set(advice.order ?? [])].flatMap((ref) => byId.get(ref) ?? []);
  const rest = items.filter((i) => !ordered.includes(i));
  const rewrites = new Map((advice.rewrites ?? []).map((r) => [r.ref, r]));
  const measured = [...ordered, ...rest].map((item) => {
    const r = rewrites.get(item.id);
    return {
      ...item,
      title: r?.title ?? item.title,
      detail: r?.detail ?? item.detail,
      action: r?.action ?? item.action,
    };
  });
  const ideas = new Map<string, StoredRecommendation>();
  for (const idea of advice.ideas ?? []) {
    const kind = `idea.${slugify(idea.name, 'suggestion')}`;
    if (ideas.has(kind) || ideas.size >= MAX_IDEAS) continue;
    const { severity, title, detail, action } = idea;
    ideas.set(kind, {
      id: newId(),
      kind,
      key: '',
      origin: 'idea',
      severity,
      title,
      detail,
      action,
      evidence: {},
    });
  }
  return [...measured, ...ideas.values()];
}

export interface AdviceResult {
  items: StoredRecommendation[];
  /** For `checks.engine`: "ran", "skipped: ..." or "failed: ...". */
  status: string;
}

/**
 * Asks the engine to rank and word the items, within `timeoutMs`. Any failure (no such
 * method, an error, a timeout, malformed advice) answers the deterministic items unchanged.
 */
export async function adviseWithEngine(
  engine: AiEngine,
  input: { prompt: string; items: StoredRecommendation[] },
  options: {
    timeoutMs: number;
    onUsage: (usage: EngineUsage) => Promise<void>;
    /** Told why the engine's advice was not used (for the log: the answer names no detail). */
    onError: (err: unknown) => void;
  },
): Promise<AdviceResult> {
  const { items } = input;
  if (!engine.recommend)
    return { items, status: `skipped: the ${engine.name} engine does not rank recommendations` };
  if (items.length === 0) return { items, status: 'skipped: nothing measured to rank' };
  try {
    const { advice, usage } = await engine.recommend(
      {
        prompt: input.prompt,
        items: items.map(({ id, kind, severity, title, detail, action, evidence }) => ({
          ref: id,
          kind,
          severity,
          title,
          detail,
          action,
          evidence,
        })),
      },
      { signal: AbortSignal.timeout(options.timeoutMs), emit: () => undefined },
    );
    await options.onUsage(usage);
    return { items: applyAdvice(items, advice), status: 'ran' };
  } catch (err) {
    options.onError(err);
    // Engine errors can quote provider responses: the client gets the gist, the log the rest.
    const reason =
      err instanceof z.ZodError
        ? 'its answer was malformed'
        : err instanceof Error && err.name === 'TimeoutError'
          ? 'it did not answer in time'
          : 'it did not answer';
    return {
      items,
      status: `failed: the ${engine.name} engine's advice is left out (${reason})`,
    };
  }
}
