import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDomain } from './hostname.js';

const OWN = { reservedSuffixes: ['preview.sheen.app', 'Edge.Sheen.App.'] };

function accepted(input: string): string {
  const result = normalizeDomain(input, OWN);
  if (!result.ok) throw new Error(`${JSON.stringify(input)} was refused: ${result.reason}`);
  return result.domain;
}

function reason(input: string): string {
  const result = normalizeDomain(input, OWN);
  if (result.ok) throw new Error(`${JSON.stringify(input)} was accepted as ${result.domain}`);
  return result.reason;
}

/** A name of exactly `total` characters: 63-letter labels, a shorter one, then `.com`. */
function nameOfLength(total: number): string {
  const labels: string[] = [];
  let left = total - '.com'.length;
  while (left > 0) {
    if (labels.length > 0) left -= 1;
    const size = Math.min(63, left);
    labels.push('a'.repeat(size));
    left -= size;
  }
  return `${labels.join('.')}.com`;
}

describe('normalizeDomain: what it accepts', () => {
  it.each([
    ['shop.com', 'shop.com'],
    ['  Shop.COM  ', 'shop.com'],
    ['www.shop.com.', 'www.shop.com'],
    ['bücher.shop.de', 'xn--bcher-kva.shop.de'],
    ['xn--bcher-kva.shop.de', 'xn--bcher-kva.shop.de'],
    ['BÜCHER.shop.de', 'xn--bcher-kva.shop.de'],
    ['shop．com', 'shop.com'],
    ['shop.com。', 'shop.com'],
    ['a-b--c.co.uk', 'a-b--c.co.uk'],
    ['1e100.net', '1e100.net'],
    ['0.com', '0.com'],
    ['192.168.1.1.nip.io', '192.168.1.1.nip.io'],
    ['sheen.app', 'sheen.app'],
    ['preview-sheen.app', 'preview-sheen.app'],
  ])('%j becomes %j', (input, expected) => {
    expect(accepted(input)).toBe(expected);
  });

  it('takes names up to 253 characters, and one trailing dot beyond them', () => {
    const longest = nameOfLength(253);
    expect(longest).toHaveLength(253);
    expect(accepted(longest)).toBe(longest);
    expect(accepted(`${longest}.`)).toBe(longest);
    expect(accepted(`${'a'.repeat(63)}.com`)).toBe(`${'a'.repeat(63)}.com`);
  });
});

describe('normalizeDomain: IP addresses in every spelling', () => {
  it.each([
    '127.0.0.1',
    '0x7f.1',
    '127.1',
    '0177.0.0.1',
    '2130706433',
    '999999999999',
    '１２７.０.０.１',
    '10.0.0.1.',
    '[::1]',
    '::1',
    '::ffff:127.0.0.1',
    '[::ffff:127.0.0.1]',
    '[::1]:53',
    '127.0.0.1:80',
    'fe80::1',
  ])('%j', (input) => {
    expect(reason(input)).toBe('must not be an IP address');
  });

  it('refuses a name whose last label is a number, which resolvers would read as an address', () => {
    expect(reason('shop.123')).toBe('must end in a name, not a number');
    expect(reason('shop.0x10')).toBe('must end in a name, not a number');
  });
});

describe('normalizeDomain: malformed names', () => {
  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['*.shop.com', 'must not be a wildcard; add each name on its own'],
    ['shop.*', 'must not be a wildcard; add each name on its own'],
    ['a..b.com', 'must not contain empty labels (`..` or a leading dot)'],
    ['.shop.com', 'must not contain empty labels (`..` or a leading dot)'],
    ['shop.com..', 'must not contain empty labels (`..` or a leading dot)'],
    ['-a.com', 'labels must not start or end with a hyphen'],
    ['a-.com', 'labels must not start or end with a hyphen'],
    ['shop.-com', 'labels must not start or end with a hyphen'],
    ['a_b.com', 'must not contain `_`; use letters, digits, hyphens and dots'],
    ['shop!.com', 'must not contain `!`; use letters, digits, hyphens and dots'],
    ['a＿b.com', 'may only contain letters, digits, hyphens and dots'],
    ['shop', 'must have at least two labels, like shop.com'],
    ['shop.', 'must have at least two labels, like shop.com'],
    ['shop.com/', 'must not contain a path, query or fragment'],
    ['shop.com/admin', 'must not contain a path, query or fragment'],
    ['shop.com?x=1', 'must not contain a path, query or fragment'],
    ['shop.com#top', 'must not contain a path, query or fragment'],
    ['shop.com\\x', 'must not contain a path, query or fragment'],
    ['https://shop.com', 'must be a bare domain name, without https://'],
    ['HTTP://shop.com/', 'must be a bare domain name, without https://'],
    ['shop.com:80', 'must not include a port'],
    ['shop.com:', 'must not include a port'],
    ['user@shop.com', 'must not contain a user name or `@`'],
    ['user:pass@shop.com', 'must not contain a user name or `@`'],
    ['%41.com', 'must not contain percent-encoded characters'],
    ['xn--zz.com', 'is not a valid domain name (check for unusual characters)'],
    ['shop.com／', 'is not a valid domain name (check for unusual characters)'],
    ['shop.com：80', 'is not a valid domain name (check for unusual characters)'],
  ])('%j: %s', (input, expected) => {
    expect(reason(input)).toBe(expected);
  });

  it.each([
    ['a\u0000b.com', 'U+0000 at character 2'],
    ['shop.com\u0000', 'U+0000 at character 9'],
    ['a\tb.com', 'U+0009 at character 2'],
    ['a\nb.com', 'U+000A at character 2'],
    ['a\u007fb.com', 'U+007F at character 2'],
    ['a\u0085b.com', 'U+0085 at character 2'],
  ])('refuses control characters: %j', (input, where) => {
    expect(reason(input)).toBe(`must not contain control characters (${where})`);
  });

  it('refuses spaces, invisible characters and broken Unicode rather than dropping them', () => {
    expect(reason('a b.com')).toBe('must not contain spaces');
    expect(reason('shop.com\u00a0x')).toBe('must not contain spaces');
    expect(reason('shop\u3000x.com')).toBe('must not contain spaces');
    expect(reason('x\u200b.com')).toBe(
      'must not contain invisible characters (U+200B at character 2)',
    );
    expect(reason('sh\u00adop.com')).toBe(
      'must not contain invisible characters (U+00AD at character 3)',
    );
    expect(reason('shop\u202e.com')).toMatch(/^must not contain invisible characters/);
    expect(reason('shop\ud800.com')).toBe('must be valid Unicode text');
  });

  it('bounds each label to 63 characters and the name to 253, counted after punycode', () => {
    expect(reason(`${'a'.repeat(64)}.com`)).toBe(
      'each label (the parts between dots) must be at most 63 characters',
    );
    expect(reason(`${'ü'.repeat(60)}.de`)).toBe(
      'each label (the parts between dots) must be at most 63 characters',
    );
    const tooLong = 'is too long: at most 253 characters once written in ASCII (punycode)';
    expect(reason(nameOfLength(254))).toBe(tooLong);
    const unicode = `${Array(5).fill('ü'.repeat(45)).join('.')}.de`;
    expect(unicode.length).toBeLessThanOrEqual(253);
    expect(reason(unicode)).toBe(tooLong);
    expect(reason('a.'.repeat(600) + 'com')).toBe('is too long (at most 253 characters)');
  });
});

describe('normalizeDomain: names nobody can publish', () => {
  const LOCALHOST = "`localhost` names point at the visitor's own computer and cannot be published";

  it.each(['localhost', 'LOCALHOST.', 'foo.localhost', 'a.b.localhost.', 'ｌｏｃａｌｈｏｓｔ'])(
    '%j',
    (input) => {
      expect(reason(input)).toBe(LOCALHOST);
    },
  );

  it.each([
    ['printer.local', 'local'],
    ['db.internal', 'internal'],
    ['shop.test', 'test'],
    ['shop.example', 'example'],
    ['shop.invalid', 'invalid'],
    ['abcdefghijklmnop.onion', 'onion'],
    ['1.0.0.127.in-addr.arpa', 'arpa'],
    ['router.home.arpa', 'arpa'],
    ['shop.alt', 'alt'],
    ['nas.lan', 'lan'],
    ['nas.home', 'home'],
    ['mail.corp', 'corp'],
    ['wiki.intranet', 'intranet'],
    ['vault.private', 'private'],
    ['SHOP.LOCAL.', 'local'],
    ['local', 'local'],
  ])('%j is under .%s', (input, tld) => {
    expect(reason(input)).toBe(`\`.${tld}\` names are reserved and cannot be published`);
  });

  it.each([
    ['example.com', 'example.com'],
    ['www.example.net', 'example.net'],
    ['a.b.example.org.', 'example.org'],
  ])('%j is documentation-only', (input, name) => {
    expect(reason(input)).toBe(`\`${name}\` is reserved for documentation and cannot be published`);
  });

  it('keeps names the worker answers for itself, from the suffixes it is given', () => {
    const own = (suffix: string) =>
      `\`${suffix}\` and the names under it belong to this service and cannot be claimed`;
    expect(reason('preview.sheen.app')).toBe(own('preview.sheen.app'));
    expect(reason('build-01.preview.sheen.app')).toBe(own('preview.sheen.app'));
    expect(reason('X.Edge.Sheen.App')).toBe(own('edge.sheen.app'));
    expect(normalizeDomain('shop.com', { reservedSuffixes: ['', '.', 'shop.com'] })).toEqual({
      ok: false,
      reason: own('shop.com'),
    });
    expect(normalizeDomain('x.bücher.de', { reservedSuffixes: ['.BÜCHER.de'] })).toEqual({
      ok: false,
      reason: own('xn--bcher-kva.de'),
    });
    expect(accepted('notpreview.sheen.app')).toBe('notpreview.sheen.app');
  });
});

describe('normalizeDomain: properties', () => {
  // Characters IDNA maps or refuses mixed with plain ones, so some inputs come out accepted.
  const domainish = fc.string({
    maxLength: 40,
    unit: fc.constantFrom(...'aZ09-.xn', 'ü', 'ß', 'Ä', 'ǅ', '．', '。', 'ﬁ', '\u200d', '_', ':'),
  });
  const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/);

  it('is idempotent and yields only DNS-safe ASCII', () => {
    fc.assert(
      fc.property(fc.oneof(domainish, fc.string({ maxLength: 80, unit: 'grapheme' })), (input) => {
        const first = normalizeDomain(input, OWN);
        if (!first.ok) return;
        expect(first.domain).toMatch(/^[a-z0-9.-]{1,253}$/);
        expect(normalizeDomain(first.domain, OWN)).toEqual(first);
      }),
    );
  });

  it('accepts any well-formed name under an ordinary suffix unchanged', () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), (labels) => {
        const name = `${labels.join('.')}.shop.com`;
        expect(normalizeDomain(name, OWN)).toEqual({ ok: true, domain: name });
      }),
    );
  });
});
