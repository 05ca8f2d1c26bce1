import type { AiEngine, EngineAdvice, EngineContext, RecommendationSignal } from '../engine.js';

const SYSTEM = `You review measured findings about a generated web app for the person who asked for it.
Answer with one JSON object and nothing else:
{"order": [ref, ...], "rewrites": [{"ref", "title", "detail", "action"}], "ideas": [{"name", "severity", "title", "detail", "action"}]}
- order: every ref, most useful to this person first.
- rewrites: clearer words for a finding, in plain language for this app; never change what was measured or invent numbers.
- ideas: at most 3 next steps for this app that no finding covers; severity "info" or "low"; name is a short kebab-case id.
Keep titles under 80 characters and actions to one sentence.`;

/**
 * `recommend` for engines that answer free text: one completion with the findings as JSON,
 * the reply's JSON object as the advice. The worker validates whatever comes back.
 */
export async function recommendWithCompletion(
  complete: AiEngine['complete'],
  input: { prompt: string; items: RecommendationSignal[] },
  ctx: Pick<EngineContext, 'signal' | 'emit'>,
): Promise<{ advice: EngineAdvice; usage: Awaited<ReturnType<AiEngine['complete']>>['usage'] }> {
  const { text, usage } = await complete(
    {
      system: SYSTEM,
      prompt: `The app was asked for with this prompt:\n${input.prompt.slice(0, 4000)}\n\nFindings:\n${JSON.stringify(input.items, null, 1)}`,
      maxTokens: 2000,
    },
    ctx,
  );
  return { advice: jsonObjectIn(text), usage };
}

/** The JSON object in a reply (models wrap it in prose or fences); an Error when there is none. */
export function jsonObjectIn(text: string): EngineAdvice {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end < start) throw new Error('the answer holds no JSON object');
  const value: unknown = JSON.parse(text.slice(start, end + 1));
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('the answer is not a JSON object');
  return value;
}
