import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('accepted');
}

describe('operations settings', () => {
  it('defaults: JSON or pretty by terminal, no metrics listener, loopback, alerts every minute', () => {
    const { observability } = loadConfig({});
    expect(observability).toMatchObject({
      logFormat: 'auto',
      metrics: { port: undefined, host: '127.0.0.1', token: undefined },
      alerts: { intervalMs: 60_000, webhook: undefined, buildFailureRate: 0.5 },
    });
  });

  it('ALERT_WEBHOOK_URL passes the webhook URL check and needs a secret', () => {
    expect(refusal({ ALERT_WEBHOOK_URL: 'https://alerts.example.com/x' })).toMatch(
      /ALERT_WEBHOOK_SECRET/,
    );
    for (const url of [
      'http://alerts.example.com/x',
      'https://10.0.0.5/x',
      'https://localhost/x',
    ]) {
      expect(refusal({ ALERT_WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET })).toMatch(
        /ALERT_WEBHOOK_URL/,
      );
    }
    const ok = loadConfig({
      ALERT_WEBHOOK_URL: 'https://alerts.example.com/x',
      WEBHOOK_SECRET: SECRET,
    });
    expect(ok.observability.alerts.webhook).toEqual({
      url: 'https://alerts.example.com/x',
      secret: SECRET,
    });
    const dev = loadConfig({
      ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/x',
      ALERT_WEBHOOK_SECRET: SECRET,
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    expect(dev.observability.alerts.webhook?.url).toBe('http://127.0.0.1:9/x');
  });

  it('names the variable of a bad value', () => {
    expect(refusal({ METRICS_PORT: '70000' })).toMatch(/METRICS_PORT/);
    expect(refusal({ METRICS_TOKEN: 'short' })).toMatch(/METRICS_TOKEN/);
    expect(refusal({ LOG_FORMAT: 'xml' })).toMatch(/LOG_FORMAT/);
    expect(refusal({ ALERT_BUILD_FAILURE_RATE: '2' })).toMatch(/ALERT_BUILD_FAILURE_RATE/);
    expect(loadConfig({ METRICS_PORT: '18310' }).observability.metrics.port).toBe(18310);
  });

  it('keeps the metrics token and alert secret out of logs', async () => {
    const { secretValues } = await import('./config.js');
    const config = loadConfig({
      METRICS_TOKEN: 'metrics-token-0123456789',
      ALERT_WEBHOOK_URL: 'https://alerts.example.com/x',
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    expect(secretValues(config)).toEqual(
      expect.arrayContaining(['metrics-token-0123456789', SECRET]),
    );
  });
});
