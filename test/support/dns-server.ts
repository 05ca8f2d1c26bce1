/**
 * A real DNS server on loopback for tests, answering from a zone the test can change while it
 * runs. It speaks the wire protocol over UDP and TCP on one port, so the code under test uses
 * its production resolver pointed here, never a stand-in.
 */
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:net';
import dns2 from 'dns2';

const { Packet } = dns2;
type Packet = dns2.Packet;
type Resource = dns2.Packet.Resource;

/** RFC 1035 §4.1.1 response codes; dns2 has the table at runtime but not in its types. */
const SERVFAIL = 2;
const NXDOMAIN = 3;
const TTL = 60;
/** CNAME hops followed inside the zone before giving up, as resolvers bound loops. */
const MAX_CHAIN = 8;

export interface ZoneRecords {
  /** One TXT record per item: a string, or its character-strings (chunks) as sent. */
  txt?: Array<string | string[]>;
  cname?: string;
  a?: string[];
  aaaa?: string[];
}

/**
 * Records for a name; or `nxdomain` (the name does not exist), `servfail` (the server fails
 * for it), `silent` (no answer ever comes); or a function asked at every question (by type,
 * `A`, `AAAA`, …), for answers that change from one query to the next (DNS rebinding).
 */
export type ZoneEntry =
  ZoneRecords | 'nxdomain' | 'servfail' | 'silent' | ((type: string) => ZoneRecords);

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, in the form resolvers and DNS_SERVERS take. */
  address: string;
  port: number;
  /** Questions received, in order, as `TYPE name`. */
  queries: string[];
  /** Replaces a name's entry; `undefined` removes it (the name then answers NXDOMAIN). */
  set(name: string, entry: ZoneEntry | undefined): void;
  close(): Promise<void>;
}

const key = (name: string) => name.toLowerCase().replace(/\.$/, '');

/**
 * Starts answering from `zone`. Names not in it answer NXDOMAIN, except the ancestors of
 * names that are (empty non-terminals), which answer with no records, as a real zone does.
 */
export async function startDnsServer(zone: Record<string, ZoneEntry> = {}): Promise<TestDnsServer> {
  const entries = new Map(Object.entries(zone).map(([name, entry]) => [key(name), entry]));
  const queries: string[] = [];
  const handle: dns2.DnsHandler = (request, send) => {
    const question = request.questions[0];
    if (question) queries.push(`${typeName(question.type)} ${key(question.name)}`);
    const response = respond(entries, request);
    // dns2's TCP transport returns nothing from send, its UDP transport a promise.
    if (response) {
      Promise.resolve()
        .then(() => send(response))
        .catch(() => undefined);
    }
  };
  const { udp, tcp, port } = await listenOnOnePort(handle);
  return {
    address: `127.0.0.1:${port}`,
    port,
    queries,
    set(name, entry) {
      if (entry === undefined) entries.delete(key(name));
      else entries.set(key(name), entry);
    },
    close: () => closeBoth(udp, tcp),
  };
}

/** The answer to a request, or undefined for a name that stays silent. */
function respond(entries: Map<string, ZoneEntry>, request: Packet): Packet | undefined {
  const response = Packet.createResponseFromRequest(request);
  response.header.aa = 1;
  const question = request.questions[0];
  if (!question) return response;
  let name = key(question.name);
  for (let hop = 0; hop < MAX_CHAIN; hop++) {
    const stored = entries.get(name);
    const entry = typeof stored === 'function' ? stored(typeName(question.type)) : stored;
    if (entry === 'silent') return undefined;
    if (entry === 'servfail') {
      response.header.rcode = SERVFAIL;
      return response;
    }
    if (entry === 'nxdomain' || (entry === undefined && !hasDescendant(entries, name))) {
      response.header.rcode = NXDOMAIN;
      return response;
    }
    if (entry === undefined) return response;
    response.answers.push(...records(name, entry, question.type));
    if (!entry.cname || question.type === Packet.TYPE.CNAME) return response;
    name = key(entry.cname);
  }
  return response;
}

function hasDescendant(entries: Map<string, ZoneEntry>, name: string): boolean {
  return [...entries.keys()].some((other) => other.endsWith(`.${name}`));
}

/** The records of one name that answer a question of `type`; a CNAME answers every type. */
function records(name: string, entry: ZoneRecords, type: number): Resource[] {
  const resource = (rtype: number, fields: Partial<Resource>) =>
    Object.assign(new Packet.Resource(name, rtype, Packet.CLASS.IN, TTL), fields);
  if (entry.cname) return [resource(Packet.TYPE.CNAME, { domain: key(entry.cname) })];
  switch (type) {
    case Packet.TYPE.TXT:
      return (entry.txt ?? []).map((data) => resource(Packet.TYPE.TXT, { data }));
    case Packet.TYPE.A:
      return (entry.a ?? []).map((address) => resource(Packet.TYPE.A, { address }));
    case Packet.TYPE.AAAA:
      // dns2 encodes only hex groups: ::ffff:127.0.0.1 goes in as ::ffff:7f00:1.
      return (entry.aaaa ?? []).map((address) =>
        resource(Packet.TYPE.AAAA, {
          address: new URL(`http://[${address}]/`).hostname.slice(1, -1),
        }),
      );
    default:
      return [];
  }
}

function typeName(type: number): string {
  return Object.entries(Packet.TYPE).find(([, code]) => code === type)?.[0] ?? String(type);
}

/**
 * UDP on an ephemeral port, then TCP on the same number: resolvers fall back to TCP on the
 * port they were given. Another process may hold that TCP port, so a few fresh tries.
 */
async function listenOnOnePort(handle: dns2.DnsHandler) {
  for (let attempt = 0; ; attempt++) {
    const udp = dns2.createUDPServer({ type: 'udp4' });
    udp.on('request', handle);
    udp.on('error', () => undefined);
    await udp.listen(0, '127.0.0.1');
    const port = udp.address().port;
    const tcp = dns2.createTCPServer(handle);
    const sockets = new Set<Socket>();
    tcp.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    const bound = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) {
      tcp.on('error', () => undefined);
      return { udp, tcp: { server: tcp, sockets }, port };
    }
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (attempt >= 4)
      throw new Error(`no port free for both UDP and TCP after ${attempt + 1} tries`);
  }
}

async function closeBoth(
  udp: dns2.UDPServer,
  tcp: { server: dns2.TCPServer; sockets: Set<Socket> },
): Promise<void> {
  for (const socket of tcp.sockets) socket.destroy();
  await Promise.all([
    new Promise<void>((resolve) => udp.close(() => resolve())),
    new Promise<void>((resolve) => tcp.server.close(() => resolve())),
  ]);
}

/** An address on loopback where nothing listens: queries there are refused at once. */
export async function unusedDnsAddress(): Promise<string> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return `127.0.0.1:${port}`;
}
