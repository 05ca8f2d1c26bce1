import { mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { canConnect } from '../support/tcp.js';

const METRICS_PORT = 18_310;

/** An address of this host other than loopback, if it has one. */
function outsideAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') return a.address;
  }
  return undefined;
}

describe('metrics of a running server', () => {
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-e2e-metrics-'));
    server = await startServer(
      {
        DATA_DIR: dataDir,
        METRICS_PORT: String(METRICS_PORT),
        LOG_LEVEL: 'debug',
      },
      // tsx compiles the entry point first: slow on a busy machine.
      60_000,
    );
  }, 90_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves /metrics on METRICS_PORT at loopback, and not on the main port', async () => {
    await fetch(`${server.baseUrl}/myhealthz`);
    expect((await fetch(`${server.baseUrl}/metrics`)).status).toBe(404);
    const res = await fetch(`http://127.0.0.1:${METRICS_PORT}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/sheen_http_request_duration_seconds_count\{[^}]*route="\/myhealthz"/);
    expect(text).toContain('sheen_queue_jobs{queue="builds",state="waiting"} 0');
    expect(text).toContain('process_resident_memory_bytes');
    const outside = outsideAddress();
    if (outside) expect(await canConnect(outside, METRICS_PORT, 2000)).toBe(false);
  });

  it('logs health checks at debug only, as JSON when stdout is not a terminal', () => {
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; req?: { url?: string }; msg: string });
    const health = lines.filter((l) => l.req?.url === '/myhealthz');
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((l) => l.level === 20)).toBe(true);
  });
});
