import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startDnsServer,
  unusedDnsAddress,
  type TestDnsServer,
} from '../../test/support/dns-server.js';
import { loadConfig } from '../config/config.js';
import {
  CHALLENGE_LABEL,
  DnsDomainVerifier,
  expectedRecords,
  newChallengeToken,
  type DnsCheckResult,
} from './dns-check.js';

const TARGET = 'edge.sheen.app';
const TOKEN = newChallengeToken();
const CHECKED_AT = new Date('2030-01-02T03:04:05Z');

let server: TestDnsServer;

beforeAll(async () => {
  server = await startDnsServer({
    [TARGET]: { a: ['203.0.113.7'], aaaa: ['2001:db8::7'] },
    // www.shop.com: both records in place.
    '_sheen-challenge.www.shop.com': { txt: ['unrelated', TOKEN] },
    'www.shop.com': { cname: `${TARGET}.` },
  });
});

afterAll(async () => {
  await server?.close();
});

function verifier(options: { timeoutMs?: number; tries?: number } = {}) {
  return new DnsDomainVerifier({
    servers: [server.address],
    timeoutMs: options.timeoutMs ?? 1000,
    tries: options.tries ?? 1,
    now: () => CHECKED_AT,
  });
}

const verify = (domain: string, target = TARGET, token = TOKEN) =>
  verifier().verify(domain, token, target);

const failure = (code: DnsCheckResult['code'], error: string | RegExp) => ({
  verified: false,
  code,
  error: typeof error === 'string' ? error : expect.stringMatching(error),
  checkedAt: CHECKED_AT,
});

describe('expectedRecords and newChallengeToken', () => {
  it('asks for the challenge TXT record and the CNAME', () => {
    expect(expectedRecords('shop.com', 'tok', TARGET)).toEqual([
      { type: 'TXT', name: `${CHALLENGE_LABEL}.shop.com`, value: 'tok' },
      { type: 'CNAME', name: 'shop.com', value: TARGET },
    ]);
    expect(CHALLENGE_LABEL).toBe('_sheen-challenge');
  });

  it('makes URL-safe tokens of 256 random bits, never the same twice', () => {
    const tokens = Array.from({ length: 200 }, newChallengeToken);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});

describe('DnsDomainVerifier against a real DNS server', () => {
  it('verifies a domain whose TXT and CNAME records are in place, asking the configured server', async () => {
    expect(await verify('www.shop.com')).toEqual({
      verified: true,
      code: 'VERIFIED',
      error: null,
      checkedAt: CHECKED_AT,
    });
    expect(server.queries).toEqual(
      expect.arrayContaining(['TXT _sheen-challenge.www.shop.com', 'CNAME www.shop.com']),
    );
  });

  it('compares the CNAME without regard to case or a trailing dot', async () => {
    expect((await verify('www.shop.com', 'EDGE.Sheen.App.')).code).toBe('VERIFIED');
  });

  it('joins a TXT record sent as several character-strings', async () => {
    server.set('_sheen-challenge.chunks.com', { txt: [[TOKEN.slice(0, 20), TOKEN.slice(20)]] });
    server.set('chunks.com', { cname: TARGET });
    expect((await verify('chunks.com')).code).toBe('VERIFIED');
  });

  it('reports a TXT record that holds another value', async () => {
    expect(await verify('www.shop.com', TARGET, newChallengeToken())).toEqual(
      failure(
        'TXT_MISMATCH',
        'the TXT record at _sheen-challenge.www.shop.com holds another value',
      ),
    );
  });

  it('reports a missing TXT record, and verifies once it appears', async () => {
    server.set('later.com', { cname: TARGET });
    const missing =
      'No TXT record at _sheen-challenge.later.com yet; DNS changes can take a while to spread';
    expect(await verify('later.com')).toEqual(failure('TXT_MISSING', missing));
    server.set('_sheen-challenge.later.com', { a: ['203.0.113.9'] });
    expect(await verify('later.com')).toEqual(failure('TXT_MISSING', missing));
    server.set('_sheen-challenge.later.com', { txt: [TOKEN] });
    expect((await verify('later.com')).verified).toBe(true);
  });

  it('reports a domain that does not exist at all', async () => {
    expect(await verify('unregistered.com')).toEqual(
      failure('NXDOMAIN', /^unregistered\.com does not exist in DNS yet; check the spelling/),
    );
    server.set('gone.com', 'nxdomain');
    expect((await verify('gone.com')).code).toBe('NXDOMAIN');
  });

  it('reports a CNAME that points elsewhere', async () => {
    server.set('_sheen-challenge.moved.com', { txt: [TOKEN] });
    server.set('moved.com', { cname: 'Old-Host.example.net.' });
    expect(await verify('moved.com')).toEqual(
      failure('CNAME_MISMATCH', 'moved.com points to old-host.example.net, not edge.sheen.app'),
    );
  });

  it('accepts an apex whose addresses are exactly the target addresses (a flattened CNAME)', async () => {
    server.set('_sheen-challenge.apex.com', { txt: [TOKEN] });
    server.set('apex.com', { a: ['203.0.113.7'], aaaa: ['2001:db8::7'] });
    expect((await verify('apex.com')).code).toBe('VERIFIED');
    expect(server.queries).toEqual(
      expect.arrayContaining(['A apex.com', 'AAAA apex.com', `A ${TARGET}`, `AAAA ${TARGET}`]),
    );

    server.set('apex.com', { a: ['203.0.113.7', '198.51.100.1'], aaaa: ['2001:db8::7'] });
    expect(await verify('apex.com')).toEqual(
      failure(
        'CNAME_MISMATCH',
        'apex.com has no CNAME record, and its addresses (203.0.113.7, 198.51.100.1, 2001:db8::7) are not those of edge.sheen.app',
      ),
    );
    server.set('apex.com', { a: ['203.0.113.7'] });
    expect((await verify('apex.com')).code).toBe('CNAME_MISMATCH');
  });

  it('reports a domain with neither a CNAME nor addresses as missing its CNAME', async () => {
    // Only the challenge exists, so bare.com is an empty non-terminal: it exists, holds nothing.
    server.set('_sheen-challenge.bare.com', { txt: [TOKEN] });
    expect(await verify('bare.com')).toEqual(
      failure('CNAME_MISSING', /^No CNAME record at bare\.com yet; point it at edge\.sheen\.app/),
    );
  });

  it('reports a server failure as a DNS error naming the name', async () => {
    server.set('_sheen-challenge.broken.com', 'servfail');
    server.set('broken.com', { cname: TARGET });
    expect(await verify('broken.com')).toEqual(
      failure(
        'DNS_ERROR',
        "the DNS server failed to answer for _sheen-challenge.broken.com (SERVFAIL); check the domain's name servers",
      ),
    );
  });
});

describe('DnsDomainVerifier when DNS does not answer', () => {
  it('gives up after the timeout and its tries, within a bound', async () => {
    server.set('_sheen-challenge.slow.com', 'silent');
    server.set('slow.com', 'silent');
    for (const tries of [1, 2]) {
      const started = performance.now();
      const result = await verifier({ timeoutMs: 300, tries }).verify('slow.com', TOKEN, TARGET);
      const elapsed = performance.now() - started;
      expect(result).toEqual(failure('TIMEOUT', /did not (answer|finish) within 0\.[3-9] s/));
      expect(elapsed).toBeGreaterThanOrEqual(250);
      // The deadline is timeout × tries plus a 250 ms margin; allow for a busy machine.
      expect(elapsed).toBeLessThan(300 * tries + 250 + 500);
    }
  });

  it('times out in the second round too, when the target addresses never come', async () => {
    server.set('_sheen-challenge.halfway.com', { txt: [TOKEN] });
    server.set('halfway.com', {});
    server.set(TARGET, 'silent');
    try {
      const started = performance.now();
      const result = await verifier({ timeoutMs: 300, tries: 1 }).verify(
        'halfway.com',
        TOKEN,
        TARGET,
      );
      expect(result.code).toBe('TIMEOUT');
      expect(performance.now() - started).toBeLessThan(300 + 250 + 500);
    } finally {
      server.set(TARGET, { a: ['203.0.113.7'], aaaa: ['2001:db8::7'] });
    }
  });

  it('reports a server that refuses the connection', async () => {
    const nobody = await unusedDnsAddress();
    const result = await new DnsDomainVerifier({
      servers: [nobody],
      timeoutMs: 300,
      tries: 1,
    }).verify('www.shop.com', TOKEN, TARGET);
    expect(result).toMatchObject({
      verified: false,
      code: 'TIMEOUT',
      error: 'could not reach the DNS server (connection refused)',
    });
  });
});

describe('DnsDomainVerifier configuration', () => {
  it('takes its servers in the form DNS_SERVERS gives them', async () => {
    const config = loadConfig({ DNS_SERVERS: server.address, DNS_TIMEOUT_MS: '800' });
    const fromConfig = new DnsDomainVerifier({
      servers: config.domains.dnsServers,
      timeoutMs: config.domains.dnsTimeoutMs,
    });
    const before = Date.now();
    const result = await fromConfig.verify('www.shop.com', TOKEN, TARGET);
    expect(result.code).toBe('VERIFIED');
    expect(result.checkedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(result.checkedAt.getTime()).toBeLessThanOrEqual(Date.now());

    const every = loadConfig({ DNS_SERVERS: '127.0.0.1:5353,[::1]:5353,10.0.0.2,2001:db8::53' });
    expect(
      () => new DnsDomainVerifier({ servers: every.domains.dnsServers, timeoutMs: 100 }),
    ).not.toThrow();
  });

  it('refuses a malformed server address when built, not at the first check', () => {
    expect(() => new DnsDomainVerifier({ servers: ['dns.google'], timeoutMs: 100 })).toThrow();
  });
});
