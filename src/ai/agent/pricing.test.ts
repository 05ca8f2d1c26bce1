import { describe, expect, it } from 'vitest';
import { CLAUDE_DEFAULT_PRICE, costOf, FREE, OPENAI_DEFAULT_PRICE, priceOf } from './pricing.js';

describe('priceOf', () => {
  it('matches Claude models by prefix, dated snapshots included', () => {
    expect(priceOf('claude-sonnet-4-5').input).toBe(3);
    expect(priceOf('claude-sonnet-4-5-20250929').output).toBe(15);
    expect(priceOf('claude-opus-4-1-20250805').input).toBe(15);
    expect(priceOf('claude-opus-4-20250514').input).toBe(15);
    expect(priceOf('claude-opus-4-5').input).toBe(5);
    expect(priceOf('claude-haiku-4-5').input).toBe(1);
    expect(priceOf('claude-3-5-haiku-20241022')).toMatchObject({ input: 0.8, output: 4 });
    expect(priceOf('anthropic/claude-sonnet-4.5').input).toBe(3);
    expect(priceOf('us.anthropic.claude-3-5-haiku-20241022-v1:0').input).toBe(0.8);
  });

  it('prices unknown hosted models conservatively and local models at zero', () => {
    expect(priceOf('claude-unknown-9')).toEqual(CLAUDE_DEFAULT_PRICE);
    expect(CLAUDE_DEFAULT_PRICE.output).toBeGreaterThanOrEqual(priceOf('claude-opus-4-5').output);
    expect(priceOf('gpt-4.1-mini').input).toBe(0.4);
    expect(priceOf('gpt-4o-mini').input).toBe(0.15);
    expect(priceOf('gpt-4o-2024-08-06').input).toBe(2.5);
    expect(priceOf('gpt-5-nano').input).toBe(0.05);
    expect(priceOf('gpt-5-mini-2025-08-07')).toMatchObject({ input: 0.25, output: 2 });
    expect(priceOf('gpt-5').output).toBe(10);
    expect(priceOf('o4-mini').input).toBe(1.1);
    expect(priceOf('gpt-9-turbo')).toEqual(OPENAI_DEFAULT_PRICE);
    expect(priceOf('o3-mini')).toEqual(OPENAI_DEFAULT_PRICE);
    expect(priceOf('llama3.1:8b')).toEqual(FREE);
    expect(priceOf('qwen2.5-coder')).toEqual(FREE);
  });
});

describe('costOf', () => {
  it('charges each kind of token at its price', () => {
    const usage = {
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      cacheReadTokens: 2_000_000,
      cacheWriteTokens: 400_000,
    };
    // 3 + 1.5 + 0.6 + 1.5
    expect(costOf('claude-sonnet-4-5', usage)).toBeCloseTo(6.6, 6);
    expect(costOf('llama3', usage)).toBe(0);
    expect(
      costOf('claude-haiku-4-5', {
        inputTokens: 1,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      }),
    ).toBe(0.000001);
  });
});
