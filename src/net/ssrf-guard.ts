import { promises as dns, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { classifyAddress, type AddressKind } from './address-policy.js';

/**
 * Outbound HTTP on a user's behalf (webhooks now; anything else that calls a URL a user gave).
 * The host name is resolved once, every address it resolves to is checked, and the request
 * connects to the checked address through a lookup hook, so no second resolution can swap in
 * another address between the check and the connect (DNS rebinding). Redirects are never
 * followed: a 3xx is an answer like any other, and the caller decides it is a failure.
 */

export interface HostResolver {
  /** Every address the name resolves to (A and AAAA); rejects when it resolves to none. */
  resolve(hostname: string): Promise<string[]>;
}

export interface ResolverOptions {
  /** `host:port` DNS servers (DNS_SERVERS); the system resolver (and /etc/hosts) otherwise. */
  servers?: readonly string[] | undefined;
  timeoutMs: number;
}

export function createResolver(options: ResolverOptions): HostResolver {
  const servers = options.servers;
  if (!servers?.length) {
    return {
      async resolve(hostname) {
        const found = await dns.lookup(hostname, { all: true, verbatim: true });
        return found.map((a) => a.address);
      },
    };
  }
  return {
    async resolve(hostname) {
      const resolver = new dns.Resolver({ timeout: options.timeoutMs, tries: 2 });
      resolver.setServers([...servers]);
      const [a, aaaa] = await Promise.allSettled([
        resolver.resolve4(hostname),
        resolver.resolve6(hostname),
      ]);
      const found = [a, aaaa].flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
      if (found.length > 0) return found;
      throw a.status === 'rejected' ? a.reason : new Error(`${hostname} has no addresses`);
    },
  };
}

export type OutboundFailure = 'refused' | 'dns' | 'timeout' | 'network';

/** Why a request did not get an answer; `refused` means the guard stopped it before any connect. */
export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  constructor(
    readonly kind: OutboundFailure,
    message: string,
    readonly address?: string,
    readonly addressKind?: AddressKind,
  ) {
    super(message);
  }
}

export interface GuardOptions {
  /** Private, loopback and other special addresses allowed (WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  resolver: HostResolver;
}

export interface Target {
  hostname: string;
  address: string;
  family: 4 | 6;
}

export interface OutboundResponse {
  status: number;
  /** The start of the body, at most `excerptBytes` bytes of UTF-8. */
  excerpt: string;
  address: string;
}

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  signal?: AbortSignal;
  excerptBytes?: number;
}

export class SsrfGuard {
  constructor(private readonly options: GuardOptions) {}

  /** Resolves the URL's host once and checks every address; throws OutboundError('refused'). */
  async target(url: URL): Promise<Target> {
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const literal = classifyAddress(hostname);
    const addresses = literal ? [hostname] : await this.resolve(hostname);
    let chosen: Target | undefined;
    for (const address of addresses) {
      const found = classifyAddress(address);
      if (!found) throw new OutboundError('refused', `${hostname} resolved to ${address}`);
      if (!this.options.allowPrivate && found.kind !== 'public') {
        // One bad answer refuses the name: which answer a client would use is not ours to pick.
        throw new OutboundError(
          'refused',
          `${hostname} resolves to ${found.address}, a ${found.kind} address`,
          found.address,
          found.kind,
        );
      }
      chosen ??= { hostname, address: found.address, family: found.family };
    }
    if (!chosen) throw new OutboundError('dns', `${hostname} has no addresses`);
    return chosen;
  }

  private async resolve(hostname: string): Promise<string[]> {
    try {
      return await this.options.resolver.resolve(hostname);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'ERROR';
      throw new OutboundError('dns', `could not resolve ${hostname} (${code})`);
    }
  }

  /** POSTs `body` to `url` through the guard: one resolution, the checked address, no redirects. */
  async post(url: URL, options: PostOptions): Promise<OutboundResponse> {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new OutboundError('refused', `${url.protocol} URLs are not called`);
    }
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const target = await abortable(this.target(url), signal, options.timeoutMs);
    return abortable(send(url, target, options, signal), signal, options.timeoutMs);
  }
}

/** Hands the connect the checked address, and nothing else, whatever it asks for. */
function pinnedLookup(target: Target): LookupFunction {
  return (hostname, options, callback) => {
    if (hostname.replace(/^\[(.*)\]$/, '$1') !== target.hostname) {
      callback(new Error(`unexpected lookup of ${hostname}`), '', 0);
      return;
    }
    if (options.all) {
      const all: LookupAddress[] = [{ address: target.address, family: target.family }];
      (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, all);
      return;
    }
    callback(null, target.address, target.family);
  };
}

function send(
  url: URL,
  target: Target,
  options: PostOptions,
  signal: AbortSignal,
): Promise<OutboundResponse> {
  const client = url.protocol === 'https:' ? https : http;
  const limit = options.excerptBytes ?? 1024;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'POST',
      headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
      // A fresh connection every time: a pooled socket would skip the lookup hook.
      agent: false,
      lookup: pinnedLookup(target),
      signal,
    });
    request.on('error', (err) => reject(networkError(err, target)));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        response.destroy();
        resolve({
          status: response.statusCode ?? 0,
          excerpt: excerpt(Buffer.concat(chunks), limit),
          address: target.address,
        });
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= limit) done();
      });
      response.on('end', done);
      response.on('error', done);
    });
    request.end(options.body);
  });
}

function networkError(err: Error, target: Target): OutboundError {
  if (err.name === 'AbortError' || err.name === 'TimeoutError') {
    return new OutboundError('timeout', 'no answer in time', target.address);
  }
  const code = (err as NodeJS.ErrnoException).code;
  return new OutboundError(
    'network',
    code ? `${code}: ${err.message}` : err.message,
    target.address,
  );
}

/** Rejects with a timeout as soon as `signal` aborts, whatever `work` is doing. */
function abortable<T>(work: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  const timedOut = () => new OutboundError('timeout', `no answer within ${timeoutMs} ms`);
  if (signal.aborted) return Promise.reject(timedOut());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timedOut());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** At most `limit` bytes of text, cut on a character boundary, without NUL (Postgres refuses it). */
export function excerpt(bytes: Buffer, limit: number): string {
  let text = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, limit))
    .replaceAll('\0', '');
  while (Buffer.byteLength(text) > limit) text = text.slice(0, -1);
  return text;
}
