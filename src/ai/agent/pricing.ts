/**
 * Model prices, for the `costUsd` engines report and the per-build cost budget. Prices are USD per
 * million tokens and change over time: they are estimates for budgeting, not invoices.
 *
 * Unknown models get a conservative (high) price when they look like a paid hosted model, so a
 * budget fails closed rather than letting an unpriced model run without limit; models that are
 * neither Claude nor OpenAI (Ollama, vLLM, LM Studio…) are assumed local and free.
 */

export interface ModelPrice {
  input: number;
  output: number;
  /** Input written to the prompt cache (Anthropic charges a premium; OpenAI does not). */
  cacheWrite: number;
  /** Input read from the prompt cache. */
  cacheRead: number;
}

/** Token counts as engines report them (the same names as `EngineUsage`). */
export interface TokenCounts {
  /** Input tokens that were neither read from nor written to the cache. */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

const price = (input: number, output: number, cacheWrite: number, cacheRead: number) =>
  Object.freeze({ input, output, cacheWrite, cacheRead });

// Anthropic: cache writes (5-minute TTL) cost 1.25× input, cache reads 0.1× input.
const OPUS_4_0 = price(15, 75, 18.75, 1.5);
const OPUS_4_5 = price(5, 25, 6.25, 0.5);
const SONNET = price(3, 15, 3.75, 0.3);
const HAIKU_4_5 = price(1, 5, 1.25, 0.1);
const HAIKU_3_5 = price(0.8, 4, 1, 0.08);
const HAIKU_3 = price(0.25, 1.25, 0.3, 0.03);

/**
 * Claude prices by name prefix, most specific first (the first match wins). Dated snapshots
 * (`claude-sonnet-4-5-20250929`) and aliases (`claude-sonnet-4-5`) share a prefix.
 */
const CLAUDE_PRICES: readonly (readonly [string, ModelPrice])[] = [
  // Opus 4 and 4.1 kept the old Opus price; Opus 4.5 and later are a third of it.
  ['claude-opus-4-0', OPUS_4_0],
  ['claude-opus-4-1', OPUS_4_0],
  ['claude-opus-4-20', OPUS_4_0], // claude-opus-4-20250514
  ['claude-opus-4', OPUS_4_5],
  ['claude-sonnet-4', SONNET],
  ['claude-haiku-4', HAIKU_4_5],
  ['claude-3-7-sonnet', SONNET],
  ['claude-3-5-sonnet', SONNET],
  ['claude-3-5-haiku', HAIKU_3_5],
  ['claude-3-haiku', HAIKU_3],
  ['claude-3-opus', OPUS_4_0],
];

/** An unknown Claude model is priced like the most expensive one, so budgets fail closed. */
export const CLAUDE_DEFAULT_PRICE: ModelPrice = OPUS_4_0;

// OpenAI: cached input is discounted; there is no cache-write premium (writes cost input price).
const OPENAI_PRICES: readonly (readonly [string, ModelPrice])[] = [
  // The small ones are what AI_MODEL_FIX / AI_MODEL_RECOMMEND are for: priced, not defaulted.
  ['gpt-5-nano', price(0.05, 0.4, 0.05, 0.005)],
  ['gpt-5-mini', price(0.25, 2, 0.25, 0.025)],
  ['gpt-5', price(1.25, 10, 1.25, 0.125)],
  ['o4-mini', price(1.1, 4.4, 1.1, 0.275)],
  ['gpt-4.1-nano', price(0.1, 0.4, 0.1, 0.025)],
  ['gpt-4.1-mini', price(0.4, 1.6, 0.4, 0.1)],
  ['gpt-4.1', price(2, 8, 2, 0.5)],
  ['gpt-4o-mini', price(0.15, 0.6, 0.15, 0.075)],
  ['gpt-4o', price(2.5, 10, 2.5, 1.25)],
];

/** An unknown OpenAI model (gpt-*, o1/o3/o4…) is priced like gpt-4o, the dearer common one. */
export const OPENAI_DEFAULT_PRICE: ModelPrice = price(2.5, 10, 2.5, 1.25);

/** Models served locally (Ollama, vLLM, LM Studio) cost nothing per token. */
export const FREE: ModelPrice = price(0, 0, 0, 0);

/**
 * Drops a routing prefix so `anthropic/claude-sonnet-4.5` (OpenRouter) and
 * `anthropic.claude-3-5-haiku-20241022-v1:0` (Bedrock) price like the model they name.
 */
function normalise(model: string): string {
  let name = model.trim().toLowerCase();
  const slash = name.lastIndexOf('/');
  if (slash >= 0) name = name.slice(slash + 1);
  name = name.replace(/^(?:[a-z]{2}\.)?anthropic\./, '');
  // OpenRouter writes Claude versions with a dot (claude-sonnet-4.5).
  if (name.startsWith('claude')) name = name.replaceAll('.', '-');
  return name;
}

function byPrefix(
  table: readonly (readonly [string, ModelPrice])[],
  name: string,
): ModelPrice | undefined {
  return table.find(([prefix]) => name.startsWith(prefix))?.[1];
}

/** The price of a model by name (prefix match), with the defaults described above. */
export function priceOf(model: string): ModelPrice {
  const name = normalise(model);
  if (name.startsWith('claude')) return byPrefix(CLAUDE_PRICES, name) ?? CLAUDE_DEFAULT_PRICE;
  if (/^(?:gpt-|chatgpt-|o\d)/.test(name)) {
    return byPrefix(OPENAI_PRICES, name) ?? OPENAI_DEFAULT_PRICE;
  }
  return FREE;
}

/**
 * USD cost of the given token counts. `inputTokens` must exclude cached tokens (Anthropic reports
 * it that way; an OpenAI engine subtracts `cached_tokens` from `prompt_tokens` first).
 */
export function costOf(model: string, usage: TokenCounts): number {
  const p = priceOf(model);
  const micro =
    usage.inputTokens * p.input +
    usage.outputTokens * p.output +
    usage.cacheWriteTokens * p.cacheWrite +
    usage.cacheReadTokens * p.cacheRead;
  // Rounded to a millionth of a dollar so sums of many small calls stay readable.
  return Math.round(micro) / 1_000_000;
}
