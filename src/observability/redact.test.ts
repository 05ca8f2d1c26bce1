import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact.js';

describe('redactor', () => {
  const redact = createRedactor(['configured-secret-value-1234']);

  it('removes configured secrets wherever they appear', () => {
    expect(redact('token is configured-secret-value-1234!')).toBe('token is [REDACTED]!');
  });

  it.each([
    // Key shapes are assembled at run time so no key-shaped literal sits in the repository.
    ['anthropic key', `key ${'sk-' + 'ant-api03-abcdefghijklmnop'} end`, 'key [REDACTED] end'],
    ['openai key', 'sk-proj-abcdefghijklmnopqrstuvwx', '[REDACTED]'],
    ['aws key id', `id ${'AKIA' + 'ABCDEFGHIJKLMNOP'}`, 'id [REDACTED]'],
    ['signature', `sig v2=${'ab'.repeat(32)}`, 'sig [REDACTED]'],
    ['bearer token', 'Authorization: Bearer abc.def.ghi-123', 'Authorization: Bearer [REDACTED]'],
    ['query secret', '/x?api_key=abcd1234&page=2', '/x?api_key=[REDACTED]&page=2'],
    ['json secret', '{"apiKey":"abcd1234efgh"}', '{"apiKey":"[REDACTED]"}'],
    ['url password', 'postgres://app:hunter22@db:5432/x', 'postgres://app:[REDACTED]@db:5432/x'],
  ])('removes a %s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('takes linear time on long words, which hostile prompts and URLs are made of', () => {
    const started = performance.now();
    for (const word of ['w'.repeat(200_000), 'a:'.repeat(100_000), 'a://'.repeat(50_000)]) {
      redact(word);
    }
    // Quadratic backtracking took minutes here; linear takes milliseconds.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(redact(`${'x'.repeat(100)}postgres://app:hunter22@db`)).toContain(':[REDACTED]@db');
  });

  it('leaves ordinary text and counters alone', () => {
    const text = '{"input_tokens":1234,"outputTokens":99,"msg":"build ok","maxTokens":4096}';
    expect(redact(text)).toBe(text);
  });
});
