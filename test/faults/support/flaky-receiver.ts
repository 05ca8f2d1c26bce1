import { createServer } from 'node:http';

export interface Received {
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  /** What the receiver answered: 503 to the first attempt of each message, 200 after. */
  status: number;
}

export interface FlakyReceiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A webhook endpoint on 127.0.0.1 that fails the first attempt of every message (503) and
 * accepts the next: each event then costs two delivery jobs, and every delivery goes through
 * the retry path while workers are being killed.
 */
export async function startFlakyReceiver(): Promise<FlakyReceiver> {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
      );
      const id = headers['webhook-id'] ?? '';
      const seen = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, seen);
      const status = seen === 1 ? 503 : 200;
      let json: unknown;
      try {
        json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        json = undefined;
      }
      received.push({ headers, json, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'busy');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
