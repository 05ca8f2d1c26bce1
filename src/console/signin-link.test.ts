import { describe, expect, it } from 'vitest';
import { MAX_SIGNED_LINK_SECONDS, signSigninToken, verifySigninToken } from './signin-link.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('admin-signed sign-in tokens', () => {
  it('verify with the secret that signed them, among several, until they expire', () => {
    const now = Date.now();
    const token = signSigninToken(A, 300, now);
    expect(verifySigninToken(token, [B, A], now)?.getTime()).toBe(
      (Math.floor(now / 1000) + 300) * 1000,
    );
    expect(verifySigninToken(token, [B], now)).toBeUndefined();
    expect(verifySigninToken(token, [A], now + 301_000)).toBeUndefined();
  });

  it('refuse any change to expiry, nonce or signature', () => {
    const token = signSigninToken(A, 300);
    const [prefix, expires, nonce, sig] = token.split('.') as [string, string, string, string];
    for (const changed of [
      [prefix, String(Number(expires) + 1), nonce, sig],
      [prefix, expires, `${nonce.slice(1)}x`, sig],
      [prefix, expires, nonce, `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`],
      ['a2', expires, nonce, sig],
    ]) {
      expect(verifySigninToken(changed.join('.'), [A])).toBeUndefined();
    }
  });

  it('never live longer than the cap, whatever the signer asked', () => {
    const now = Date.now();
    const token = signSigninToken(A, 10 * MAX_SIGNED_LINK_SECONDS, now);
    const expiry = verifySigninToken(token, [A], now);
    expect(expiry?.getTime()).toBe((Math.floor(now / 1000) + MAX_SIGNED_LINK_SECONDS) * 1000);
  });
});
