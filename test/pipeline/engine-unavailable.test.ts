import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.js';
import { buildToEnd, startTestApp, type TestApp } from '../support/harness.js';

describe('an AI engine that is down', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function build(env: Record<string, string>) {
    t = await startTestApp({ workers: true, env });
    return buildToEnd(t, {
      userId: 'down',
      prompt: 'A landing page for "Quiet Harbor" guesthouse',
    });
  }

  it('fails the build with AI_UNAVAILABLE, a human message, and no charge', async () => {
    const port = await closedPort();
    const result = await build({
      AI_PROVIDER: 'anthropic',
      ANTHROPIC_API_KEY: 'sk-' + 'ant-test-unreachable-0000000000',
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}`,
      AI_RETRIES: '0',
    });
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'AI_UNAVAILABLE',
      hint: expect.stringContaining('not charged'),
    });
    expect(result.error.message).not.toContain('sk-ant');
    expect(result.usage).toMatchObject({ calls: 0, costUsd: 0 });
  }, 60_000);

  it('switches to the next engine in AI_FALLBACK and says so', async () => {
    const port = await closedPort();
    const result = await build({
      AI_PROVIDER: 'anthropic',
      ANTHROPIC_API_KEY: 'sk-' + 'ant-test-unreachable-0000000000',
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}`,
      AI_RETRIES: '0',
      AI_FALLBACK: 'offline',
    });
    expect(result.error).toBeNull();
    expect(result.status).toBe('succeeded');
    const switched = result.events.find((e: { message: string }) =>
      /switching to offline/.test(e.message),
    );
    expect(switched).toBeDefined();
    expect(result.usage.engines).toEqual(['offline']);
  }, 120_000);
});
