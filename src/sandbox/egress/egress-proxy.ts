import { chmod } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';

/** A host and port a sandboxed process may reach, e.g. the worker's npm registry. */
export interface EgressTarget {
  host: string;
  port: number;
}

export interface EgressProxy {
  /** Every destination the proxy refused, as `host:port`, for the build's events. */
  readonly refused: string[];
  close(): Promise<void>;
}

/** `https://registry.npmjs.org/` → `{host: 'registry.npmjs.org', port: 443}`. */
export function targetOf(origin: string): EgressTarget {
  const url = new URL(origin);
  const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  return { host: url.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port };
}

/**
 * The only way out of a sandbox that has network: an HTTP proxy on a unix socket (bound into
 * the sandbox, whose own network namespace has nothing but loopback) that connects to the
 * allowed hosts and refuses everything else. Lockfiles and package metadata are untrusted, so
 * a tarball URL on 127.0.0.1, a private range or a metadata address never gets a connection.
 */
export async function startEgressProxy(
  socketPath: string,
  allow: EgressTarget[],
): Promise<EgressProxy> {
  const refused: string[] = [];
  const allowed = (host: string, port: number) => {
    const h = host.replace(/^\[|\]$/g, '').toLowerCase();
    const ok = allow.some((t) => t.host === h && t.port === port);
    if (!ok && refused.length < 100) refused.push(`${h}:${port}`);
    return ok;
  };
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => forwardPlain(req, res, allowed));
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) =>
    tunnel(req, client, head, allowed, sockets),
  );
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  // The sandboxed user must be able to connect; the socket lives in a per-run directory.
  await chmod(socketPath, 0o666);
  return {
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

type Allowed = (host: string, port: number) => boolean;

function tunnel(
  req: http.IncomingMessage,
  client: net.Socket,
  head: Buffer,
  allowed: Allowed,
  sockets: Set<net.Socket>,
): void {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(req.url ?? '');
  const host = match?.[1] ?? '';
  const port = Number(match?.[2] ?? 0);
  client.on('error', () => client.destroy());
  if (!match || !allowed(host, port)) {
    client.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    return;
  }
  const upstream = net.connect(port, host.replace(/^\[|\]$/g, ''));
  sockets.add(upstream);
  upstream.once('close', () => sockets.delete(upstream));
  upstream.once('connect', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => {
    if (!client.writableEnded && upstream.connecting)
      client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    client.destroy();
  });
  client.once('close', () => upstream.destroy());
}

/** A plain-HTTP request in absolute form (`GET http://host/path`), for http registries. */
function forwardPlain(req: http.IncomingMessage, res: http.ServerResponse, allowed: Allowed): void {
  let url: URL;
  try {
    url = new URL(req.url ?? '');
  } catch {
    res.writeHead(400).end();
    return;
  }
  const port = url.port ? Number(url.port) : 80;
  if (url.protocol !== 'http:' || !allowed(url.hostname, port)) {
    res.writeHead(403, { connection: 'close' }).end();
    return;
  }
  const headers = { ...req.headers };
  delete headers['proxy-connection'];
  delete headers['proxy-authorization'];
  const upstream = http.request(
    {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port,
      method: req.method,
      path: url.pathname + url.search,
      headers,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}
