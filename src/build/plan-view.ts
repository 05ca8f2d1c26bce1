/**
 * What a client reads of a build's plan: its summary and, from engines that check the prompt's
 * asks (the offline engine), each ask and the ones that could not be honoured. A plan is engine
 * output stored as JSON, so it is read defensively: anything malformed is left out.
 */
import { z } from 'zod';

const askKind = z.string().min(1).max(20);
const askText = z.string().transform((value) => value.replace(/\s+/g, ' ').trim().slice(0, 200));

const UnmetSchema = z.object({ kind: askKind, text: askText, reason: askText });
const AskSchema = UnmetSchema.extend({ honoured: z.boolean() });

export type UnmetAskView = z.infer<typeof UnmetSchema>;
export type AskView = z.infer<typeof AskSchema>;

export interface PlanView {
  summary: string;
  /** True when the engine checked the prompt's asks; false when it did not (asks are empty). */
  assessed: boolean;
  asks: AskView[];
  unmet: UnmetAskView[];
}

function validItems<T>(schema: z.ZodType<T>, value: unknown): T[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success && (parsed.data as { text: string }).text ? [parsed.data] : [];
  });
}

/** The stored `{summary, meta: {asks, unmet}}` of a plan as the build view shows it, or null. */
export function planView(raw: unknown): PlanView | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const plan = raw as { summary?: unknown; meta?: { asks?: unknown; unmet?: unknown } | null };
  const meta = typeof plan.meta === 'object' && plan.meta !== null ? plan.meta : {};
  return {
    summary: typeof plan.summary === 'string' ? plan.summary : '',
    assessed: Array.isArray(meta.asks),
    asks: validItems(AskSchema, meta.asks).slice(0, 50),
    unmet: validItems(UnmetSchema, meta.unmet).slice(0, 20),
  };
}
