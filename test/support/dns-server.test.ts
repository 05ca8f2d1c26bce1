import { promises as dns } from 'node:dns';
import dns2 from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type TestDnsServer } from './dns-server.js';

let server: TestDnsServer;
let resolver: dns.Resolver;

beforeAll(async () => {
  server = await startDnsServer({
    'Www.Shop.com.': { cname: 'edge.sheen.app' },
    'txt.shop.com': { txt: ['one', ['two', 'chunks']] },
    'edge.sheen.app': { a: ['203.0.113.7'], aaaa: ['2001:db8::7'] },
    'deep.under.shop.com': { a: ['198.51.100.1'] },
  });
  resolver = new dns.Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([server.address]);
});

afterAll(async () => {
  await server?.close();
});

const codeOf = (query: Promise<unknown>) =>
  query.then(
    () => 'answered',
    (err: NodeJS.ErrnoException) => err.code,
  );

describe('startDnsServer', () => {
  it('answers over UDP from its zone, following CNAMEs inside it', async () => {
    expect(await resolver.resolveCname('www.shop.com')).toEqual(['edge.sheen.app']);
    expect(await resolver.resolve4('WWW.shop.com')).toEqual(['203.0.113.7']);
    expect(await resolver.resolve6('edge.sheen.app')).toEqual(['2001:db8::7']);
    expect(await resolver.resolveTxt('txt.shop.com')).toEqual([['one'], ['two', 'chunks']]);
    expect(server.queries).toContain('CNAME www.shop.com');
  });

  it('answers NXDOMAIN for unknown names and NODATA for names that exist', async () => {
    expect(await codeOf(resolver.resolve4('nowhere.com'))).toBe('ENOTFOUND');
    expect(await codeOf(resolver.resolveTxt('edge.sheen.app'))).toBe('ENODATA');
    // An ancestor of a name in the zone exists even with no records of its own.
    expect(await codeOf(resolver.resolve4('under.shop.com'))).toBe('ENODATA');
  });

  it('changes answers as the zone changes', async () => {
    server.set('later.com', { txt: ['v1'] });
    expect(await resolver.resolveTxt('later.com')).toEqual([['v1']]);
    server.set('later.com', 'servfail');
    expect(await codeOf(resolver.resolveTxt('later.com'))).toBe('ESERVFAIL');
    server.set('later.com', 'nxdomain');
    expect(await codeOf(resolver.resolveTxt('later.com'))).toBe('ENOTFOUND');
    server.set('later.com', 'silent');
    expect(await codeOf(resolver.resolveTxt('later.com'))).toBe('ETIMEOUT');
    server.set('later.com', undefined);
    expect(await codeOf(resolver.resolveTxt('later.com'))).toBe('ENOTFOUND');
  });

  it('answers over TCP on the same port', async () => {
    const tcp = dns2.TCPClient({ dns: '127.0.0.1', port: server.port });
    const answer = await tcp('edge.sheen.app', 'A');
    expect(answer.answers.map((record) => record.address)).toEqual(['203.0.113.7']);
  });
});
