import { isIPv4 } from 'node:net';

/**
 * Which IP addresses the worker may connect to on a user's behalf. Everything that is not a
 * globally routable unicast address is refused: the worker's own host, its private network,
 * cloud metadata (169.254.169.254), and the IPv6 spellings that lead to the same places
 * (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16 with a private address
 * inside them).
 */

export const ADDRESS_KINDS = [
  'public',
  'loopback',
  'private',
  'link-local',
  'cgnat',
  'multicast',
  'unspecified',
  'broadcast',
  'reserved',
] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

export interface AddressClass {
  /** The address in canonical form (dotted IPv4, compressed IPv6). */
  address: string;
  family: 4 | 6;
  kind: AddressKind;
  /** For an IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4): that address. */
  embedded?: string;
}

type Range = [prefix: bigint, bits: number, kind: AddressKind];

const v4 = (a: number, b: number, c: number, d: number) =>
  BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d);

// First match wins: the broadcast address sits inside 240/4.
const V4_RANGES: Range[] = [
  [v4(0, 0, 0, 0), 8, 'unspecified'],
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(100, 64, 0, 0), 10, 'cgnat'],
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(169, 254, 0, 0), 16, 'link-local'],
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 0, 0, 0), 24, 'reserved'],
  [v4(192, 0, 2, 0), 24, 'reserved'],
  [v4(192, 88, 99, 0), 24, 'reserved'],
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(198, 18, 0, 0), 15, 'reserved'],
  [v4(198, 51, 100, 0), 24, 'reserved'],
  [v4(203, 0, 113, 0), 24, 'reserved'],
  [v4(224, 0, 0, 0), 4, 'multicast'],
  [v4(255, 255, 255, 255), 32, 'broadcast'],
  [v4(240, 0, 0, 0), 4, 'reserved'],
];

const h = (hex: string) => BigInt(`0x${hex}`);

const V6_RANGES: Range[] = [
  [0n, 128, 'unspecified'],
  [1n, 128, 'loopback'],
  [h('0064ff9b0001') << 80n, 48, 'reserved'],
  [h('01') << 120n, 64, 'reserved'],
  [h('20010db8') << 96n, 32, 'reserved'],
  [h('2001') << 112n, 23, 'reserved'],
  [h('fc') << 120n, 7, 'private'],
  [h('fe80') << 112n, 10, 'link-local'],
  [h('fec0') << 112n, 10, 'reserved'],
  [h('ff') << 120n, 8, 'multicast'],
];

/** IPv6 prefixes whose low bits are an IPv4 address: the IPv4 address decides. */
const MAPPED = h('ffff') << 32n; // ::ffff:0:0/96
const NAT64 = h('0064ff9b') << 96n; // 64:ff9b::/96
const SIX_TO_FOUR = h('2002') << 112n; // 2002::/16, IPv4 in bits 80-111
const GLOBAL_UNICAST = h('2') << 124n; // 2000::/3

const inRange = (value: bigint, width: number, prefix: bigint, bits: number) =>
  value >> BigInt(width - bits) === prefix >> BigInt(width - bits);

function kindOf(value: bigint, width: number, ranges: Range[]): AddressKind | undefined {
  return ranges.find(([prefix, bits]) => inRange(value, width, prefix, bits))?.[2];
}

function v4String(value: bigint): string {
  const n = Number(value);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses an IPv6 address the URL parser already put in canonical form (hex groups only). */
function v6Value(canonical: string): bigint {
  const [head = '', tail] = canonical.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].reduce((acc, g) => (acc << 16n) + h(g), 0n);
}

/**
 * Reads an address the way a URL or a resolver library would: the WHATWG URL parser accepts
 * every IPv4 spelling inet_aton does (2130706433, 0x7f.1, 0177.0.0.1, 127.1) and turns it
 * into dotted form, and writes IPv6 compressed with hex groups only. Undefined for a name or
 * anything that is not an address (a zone index such as fe80::1%eth0 included).
 */
export function parseAddress(input: string): { value: bigint; family: 4 | 6 } | undefined {
  const raw = input.trim().replace(/^\[(.*)\]$/, '$1');
  if (raw === '' || /[/?#@\s%]/.test(raw)) return undefined;
  let host: string;
  try {
    host = new URL(raw.includes(':') ? `http://[${raw}]/` : `http://${raw}/`).hostname;
  } catch {
    return undefined;
  }
  if (host.startsWith('[')) return { value: v6Value(host.slice(1, -1)), family: 6 };
  if (!isIPv4(host)) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = host.split('.').map(Number);
  return { value: v4(a, b, c, d), family: 4 };
}

function classifyV4(value: bigint): AddressKind {
  return kindOf(value, 32, V4_RANGES) ?? 'public';
}

function classifyV6(value: bigint): Omit<AddressClass, 'address' | 'family'> {
  const low32 = value & 0xffffffffn;
  if (value >> 32n === MAPPED >> 32n || value >> 32n === NAT64 >> 32n) {
    return { kind: classifyV4(low32), embedded: v4String(low32) };
  }
  if (inRange(value, 128, SIX_TO_FOUR, 16)) {
    const inner = (value >> 80n) & 0xffffffffn;
    return { kind: classifyV4(inner), embedded: v4String(inner) };
  }
  const listed = kindOf(value, 128, V6_RANGES);
  if (listed) return { kind: listed };
  // Outside 2000::/3 nothing is assigned for unicast use (::/96 IPv4-compatible included).
  return { kind: inRange(value, 128, GLOBAL_UNICAST, 3) ? 'public' : 'reserved' };
}

/** The class of an IP address in any spelling; undefined when `input` is not an address. */
export function classifyAddress(input: string): AddressClass | undefined {
  const parsed = parseAddress(input);
  if (!parsed) return undefined;
  if (parsed.family === 4) {
    return { address: v4String(parsed.value), family: 4, kind: classifyV4(parsed.value) };
  }
  const address = new URL(`http://[${input.trim().replace(/^\[(.*)\]$/, '$1')}]/`).hostname;
  return { address: address.slice(1, -1), family: 6, ...classifyV6(parsed.value) };
}

/** Whether the worker may connect to `input`: a public address, or any when private is allowed. */
export function isAllowedAddress(input: string, allowPrivate: boolean): boolean {
  const found = classifyAddress(input);
  if (!found) return false;
  return allowPrivate || found.kind === 'public';
}
