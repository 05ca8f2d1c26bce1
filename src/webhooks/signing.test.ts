import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  isWebhookSecret,
  newWebhookSecret,
  secretKey,
  signWebhook,
  verifyWebhook,
} from './signing.js';

const now = () => Math.floor(Date.now() / 1000);

describe('Standard Webhooks signing', () => {
  it('signs what the standardwebhooks package verifies', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'build.started', data: { buildId: 'b' } });
    const headers = signWebhook(secret, 'msg_1', now(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, { ...headers })).toThrow();
  });

  it('verifies what the package signs, within the tolerance, with any current secret', () => {
    const old = newWebhookSecret();
    const current = newWebhookSecret();
    const body = '{"type":"deployment.status"}';
    const signature = new Webhook(current).sign('msg_2', new Date(), body);
    const headers = {
      'webhook-id': 'msg_2',
      'webhook-timestamp': String(now()),
      'webhook-signature': `v1,bm9wZQ== ${signature}`,
    };
    const options = { toleranceSeconds: 300 };
    expect(verifyWebhook([old, current], headers, body, options)).toEqual({
      ok: true,
      id: 'msg_2',
    });
    expect(verifyWebhook([old], headers, body, options)).toEqual({
      ok: false,
      reason: 'signature',
    });
    expect(verifyWebhook([current], headers, `${body}x`, options)).toMatchObject({ ok: false });
    expect(
      verifyWebhook([current], headers, body, { ...options, nowSeconds: now() + 301 }),
    ).toEqual({ ok: false, reason: 'timestamp' });
    expect(verifyWebhook([current], { 'webhook-id': 'x' }, body, options)).toEqual({
      ok: false,
      reason: 'missing',
    });
  });

  it('takes only whsec_ secrets of 24 to 64 bytes', () => {
    expect(isWebhookSecret(newWebhookSecret())).toBe(true);
    expect(secretKey(newWebhookSecret())?.length).toBe(32);
    for (const bad of [
      'secret',
      `whsec_${Buffer.alloc(16).toString('base64')}`,
      `whsec_${Buffer.alloc(65).toString('base64')}`,
      'whsec_not base64!',
      `${Buffer.alloc(32).toString('base64')}`,
    ]) {
      expect(isWebhookSecret(bad), bad).toBe(false);
    }
  });
});
