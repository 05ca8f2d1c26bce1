import { describe, expect, it } from 'vitest';
import { classifyAddress, isAllowedAddress } from './address-policy.js';

describe('address classifier', () => {
  const cases: Array<[input: string, kind: string, canonical?: string]> = [
    // IPv4, every spelling inet_aton and the URL parser accept
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['2130706433', 'loopback', '127.0.0.1'],
    ['0x7f000001', 'loopback', '127.0.0.1'],
    ['0x7f.1', 'loopback', '127.0.0.1'],
    ['0177.0.0.1', 'loopback', '127.0.0.1'],
    ['127.000.000.001', 'loopback', '127.0.0.1'],
    ['127.1', 'loopback', '127.0.0.1'],
    ['010.0.0.1', 'public', '8.0.0.1'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['2852039166', 'link-local', '169.254.169.254'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0', 'unspecified', '0.0.0.0'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['203.0.113.7', 'reserved'],
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    // IPv6
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback', '::1'],
    ['[::1]', 'loopback', '::1'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    // IPv4 inside IPv6: the IPv4 address decides
    ['::ffff:127.0.0.1', 'loopback', '::ffff:7f00:1'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:0001', 'loopback', '::ffff:7f00:1'],
    ['::FFFF:A9FE:A9FE', 'link-local', '::ffff:a9fe:a9fe'],
    ['::ffff:10.0.0.1', 'private', '::ffff:a00:1'],
    ['::ffff:8.8.8.8', 'public', '::ffff:808:808'],
    ['64:ff9b::127.0.0.1', 'loopback', '64:ff9b::7f00:1'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::c0a8:101', 'private'],
    ['64:ff9b::808:808', 'public'],
    ['64:ff9b:1::1', 'reserved'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
  ];

  it.each(cases)('%s is %s', (input, kind, canonical) => {
    const found = classifyAddress(input);
    expect(found?.kind).toBe(kind);
    if (canonical) expect(found?.address).toBe(canonical);
  });

  it('names the IPv4 address inside a mapped, NAT64 or 6to4 one', () => {
    expect(classifyAddress('::ffff:7f00:1')?.embedded).toBe('127.0.0.1');
    expect(classifyAddress('64:ff9b::a9fe:a9fe')?.embedded).toBe('169.254.169.254');
    expect(classifyAddress('2002:c0a8:101::1')?.embedded).toBe('192.168.1.1');
  });

  it('reads names, zone indexes and garbage as no address at all', () => {
    for (const input of [
      'example.com',
      'localhost',
      'fe80::1%eth0',
      '1.1.1.1.1',
      '256.0.0.1',
      '',
      ' ',
      '127.0.0.1/8',
      'user@127.0.0.1',
      '::ffff::1::',
      '[::1',
    ]) {
      expect(classifyAddress(input), input).toBeUndefined();
    }
  });

  it('allows only public addresses unless private ones are allowed', () => {
    expect(isAllowedAddress('8.8.8.8', false)).toBe(true);
    expect(isAllowedAddress('127.0.0.1', false)).toBe(false);
    expect(isAllowedAddress('::ffff:127.0.0.1', false)).toBe(false);
    expect(isAllowedAddress('127.0.0.1', true)).toBe(true);
    expect(isAllowedAddress('example.com', true)).toBe(false);
  });
});
