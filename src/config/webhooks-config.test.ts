import { describe, expect, it } from 'vitest';
import { newWebhookSecret } from '../webhooks/signing.js';
import { ConfigError, loadConfig, secretValues } from './config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('webhook settings', () => {
  it('default to no endpoint, a day of retries a minute apart at first, private addresses refused', () => {
    const { webhooks } = loadConfig({});
    expect(webhooks.url).toBeUndefined();
    expect(webhooks.allowPrivate).toBe(false);
    expect(webhooks.timeoutMs).toBe(10_000);
    expect(webhooks.retryDelaysMs).toEqual([
      60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000,
    ]);
    expect(webhooks.retryDelaysMs.reduce((a, b) => a + b, 0)).toBeLessThan(24 * 3600_000);
  });

  it('scale and cut the schedule for tests', () => {
    const { webhooks } = loadConfig({ WEBHOOK_RETRY_BASE_MS: '10', WEBHOOK_ATTEMPTS: '3' });
    expect(webhooks.retryDelaysMs).toEqual([10, 50]);
  });

  it('need a whsec_ secret with WEBHOOK_URL, and https unless private addresses are allowed', () => {
    expect(problems({ WEBHOOK_URL: 'https://app.example.com/hooks' })).toEqual([
      expect.stringMatching(/^WEBHOOK_SECRET: is required/),
    ]);
    expect(
      problems({ WEBHOOK_URL: 'https://app.example.com/hooks', WEBHOOK_SECRET: 'plain-secret' }),
    ).toEqual([expect.stringMatching(/^WEBHOOK_SECRET: must be whsec_/)]);
    const secret = newWebhookSecret();
    expect(problems({ WEBHOOK_URL: 'http://app.internal/hooks', WEBHOOK_SECRET: secret })).toEqual([
      expect.stringMatching(/^WEBHOOK_URL: must be https/),
    ]);
    expect(
      problems({
        WEBHOOK_URL: 'http://app.internal/hooks',
        WEBHOOK_SECRET: secret,
        WEBHOOK_ALLOW_PRIVATE: 'true',
      }),
    ).toEqual([]);
    expect(problems({ INBOUND_WEBHOOK_SECRET: `${secret},nope` })).toEqual([
      expect.stringMatching(/^INBOUND_WEBHOOK_SECRET:/),
    ]);
  });

  it('keep both secrets out of logs', () => {
    const outgoing = newWebhookSecret();
    const inbound = newWebhookSecret();
    const config = loadConfig({
      WEBHOOK_URL: 'https://app.example.com/hooks',
      WEBHOOK_SECRET: outgoing,
      INBOUND_WEBHOOK_SECRET: inbound,
    });
    expect(secretValues(config)).toEqual(expect.arrayContaining([outgoing, inbound]));
  });
});
