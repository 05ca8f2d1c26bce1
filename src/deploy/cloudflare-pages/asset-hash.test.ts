import { describe, expect, it } from 'vitest';
import { assetHash, contentTypeOf } from './asset-hash.js';

describe('assetHash', () => {
  // The keys wrangler's own deploy tests expect for a file holding "foobar".
  it('matches the keys wrangler computes for the same files', async () => {
    const foobar = Buffer.from('foobar');
    expect(await assetHash(foobar, 'logo.png')).toBe('2082190357cfd3617ccfe04f340c6247');
    const others = await Promise.all(
      ['logo.txt', 'logo.html', 'logo.js'].map((name) => assetHash(foobar, `imgs/${name}`)),
    );
    expect(others.sort()).toEqual(
      [
        'd96fef225537c9f5e44a3cb27fd0b492',
        '6be321bef99e758250dac034474ddbb8',
        '1a98fb08af91aca4a7df1764a2c4ddb0',
      ].sort(),
    );
  });

  it('depends on the extension, not on the rest of the path', async () => {
    const bytes = Buffer.from('<h1>hi</h1>');
    expect(await assetHash(bytes, 'a/index.html')).toBe(await assetHash(bytes, 'b/other.html'));
    expect(await assetHash(bytes, 'index.html')).not.toBe(await assetHash(bytes, 'index.htm'));
  });

  it('gives web types by extension and binary otherwise', () => {
    expect(contentTypeOf('index.HTML')).toBe('text/html');
    expect(contentTypeOf('app.js')).toBe('application/javascript');
    expect(contentTypeOf('LICENSE')).toBe('application/octet-stream');
  });
});
