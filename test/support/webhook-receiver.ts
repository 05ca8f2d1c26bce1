import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface WebhookReceiver {
  port: number;
  url(path?: string): string;
  received: ReceivedWebhook[];
  /** TCP connections accepted, answered or not: a refused webhook must never add one. */
  connections: number;
  /** The status the next requests get (200 unless changed). */
  status: number;
  ofType(type: string): ReceivedWebhook[];
  close(): Promise<void>;
}

function flat(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );
}

/** A real HTTP endpoint on 127.0.0.1 that records every webhook it gets. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const receiver: WebhookReceiver = {
    port: 0,
    url: (path = '/hooks') => `http://127.0.0.1:${receiver.port}${path}`,
    received,
    connections: 0,
    status: 200,
    ofType: (type) => received.filter((r) => r.json?.type === type),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      received.push({ path: req.url ?? '', headers: flat(req.headers), body, json });
      res.writeHead(receiver.status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.on('connection', () => {
    receiver.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as { port: number }).port;
  return receiver;
}
