/**
 * The API engines share one retry policy (agent/retry.ts); these tests hold both engines to
 * the rules where they used to disagree, against real sockets: a refused connection on a
 * closed port of 127.0.0.1, and fake servers speaking each provider's wire protocol.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../test/support/closed-port.js';
import { startFakeAnthropic } from '../../test/support/fake-anthropic.js';
import { startFakeOpenAi } from '../../test/support/fake-openai.js';
import { AnthropicEngine } from './anthropic/anthropic-engine.js';
import { EngineUnavailableError, type AiEngine, type EngineEvent } from './engine.js';
import { OpenAiEngine } from './openai/openai-engine.js';

const KEY = 'sk-' + 'test-retry-rules-0123456789';
/** A backoff no test could sit through: a rule that used it would time out. */
const SLOW = { retries: 4, retryBaseMs: 60_000, retryMaxMs: 60_000 };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function engines(anthropicUrl: string, openAiUrl: string): AiEngine[] {
  const common = { apiKey: KEY, maxTurns: 2, maxTokens: 100, ...SLOW };
  return [
    new AnthropicEngine({ ...common, baseUrl: anthropicUrl, model: 'claude-sonnet-4-6' }),
    new OpenAiEngine({ ...common, baseUrl: openAiUrl, model: 'fake-model' }),
  ];
}

/** One `complete` call: the error it ends with, its retry notices and how long it took. */
async function attempt(engine: AiEngine) {
  const events: EngineEvent[] = [];
  const started = performance.now();
  const error = await engine
    .complete(
      { prompt: 'hi' },
      { signal: new AbortController().signal, emit: (e) => events.push(e) },
    )
    .catch((err: unknown) => err);
  const notices = events.filter((e) => e.type === 'progress').map((e) => e.data);
  return { error, notices, ms: performance.now() - started };
}

describe('both API engines', () => {
  it('give a refused connection two quick retries, then are unavailable', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const results = [];
    for (const engine of engines(url, `${url}/v1`)) results.push(await attempt(engine));

    for (const { error, notices, ms } of results) {
      expect(error).toBeInstanceOf(EngineUnavailableError);
      expect((error as Error).message).toMatch(
        /is unreachable after 3 attempts \(connection refused\)\./,
      );
      expect((error as Error).message).not.toContain(KEY);
      expect(notices).toEqual([
        { retry: 1, retries: 2, delayMs: 250, reason: 'connection refused' },
        { retry: 2, retries: 2, delayMs: 500, reason: 'connection refused' },
      ]);
      expect(ms).toBeLessThan(5000);
    }
    const [anthropic, openai] = results.map((r) => (r.error as EngineUnavailableError).engine);
    expect([anthropic, openai]).toEqual(['anthropic', 'openai']);
  });

  it('are unavailable at once when retry-after asks for more than a minute', async () => {
    const anthropicFake = await startFakeAnthropic({
      responses: [{ status: 429, retryAfter: 120 }],
    });
    const openAiFake = await startFakeOpenAi();
    closers.push(
      () => anthropicFake.close(),
      () => openAiFake.close(),
    );
    openAiFake.push({ status: 429, retryAfter: 120 });

    for (const engine of engines(anthropicFake.url, openAiFake.baseUrl)) {
      const { error, notices } = await attempt(engine);
      expect(error).toBeInstanceOf(EngineUnavailableError);
      expect((error as Error).message).toMatch(
        /asks to wait 120 s, longer than the 60 s the engine waits \(rate limit \(429\)/,
      );
      expect(notices).toEqual([]);
    }
    expect(anthropicFake.messageRequests).toHaveLength(1);
    expect(openAiFake.chatRequests()).toHaveLength(1);
  });
});
