import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const chain = {
  AI_PROVIDER: 'anthropic',
  ANTHROPIC_API_KEY: 'fake-anthropic-key',
  AI_FALLBACK: 'openai',
  OPENAI_BASE_URL: 'http://127.0.0.1:11434',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('AI_MODEL_<TASK>', () => {
  it('is empty by default: every task uses its engine model', () => {
    expect(loadConfig({}).ai.taskModels).toEqual({});
  });

  it('gives a bare name to the AI_PROVIDER engine and engine=model pairs to each engine', () => {
    const config = loadConfig({
      ...chain,
      AI_MODEL_FIX: 'claude-haiku-4-5, openai=gpt-4.1-nano',
      AI_MODEL_RECOMMEND: 'openai=llama3.1:8b',
      AI_MODEL_PLAN: ' ',
    });
    expect(config.ai.taskModels).toEqual({
      anthropic: { fix: 'claude-haiku-4-5' },
      openai: { fix: 'gpt-4.1-nano', recommend: 'llama3.1:8b' },
    });
  });

  it('refuses engines that do not run, two models for one engine, and malformed entries', () => {
    expect(problems({ ...chain, AI_MODEL_FIX: 'claude-cli=claude-haiku-4-5' })).toEqual([
      'AI_MODEL_FIX: names the claude-cli engine, which is neither AI_PROVIDER nor in AI_FALLBACK',
    ]);
    expect(problems({ ...chain, AI_MODEL_PLAN: 'a-model,anthropic=b-model' })).toEqual([
      'AI_MODEL_PLAN: gives the anthropic engine two models',
    ]);
    expect(problems({ ...chain, AI_MODEL_GENERATE: 'has space' })[0]).toMatch(
      /^AI_MODEL_GENERATE: "has space" is neither a model name nor engine=model/,
    );
  });
});
