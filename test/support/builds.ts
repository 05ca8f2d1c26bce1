import http from 'node:http';
import { WorkerClient } from '../../src/cli/client.js';

export interface BuildResult {
  buildId: string;
  projectId: string;
  versionId: string;
  status: string;
  previewUrl: string | null;
  error: { code: string; message: string; hint: string } | null;
  events: Array<Record<string, unknown>>;
  ids: number[];
}

/** Creates a build over signed HTTP and follows its event stream to the end, as a client would. */
export async function createAndFollow(
  client: WorkerClient,
  body: Record<string, unknown>,
): Promise<BuildResult> {
  const created = await client.json<{ buildId: string; projectId: string; eventsUrl: string }>(
    'POST',
    '/v1/create-preview-for-new-project',
    { userId: 'e2e-user', ...body },
  );
  const events: Array<Record<string, unknown>> = [];
  const ids: number[] = [];
  for await (const { id, data } of client.events(created.eventsUrl)) {
    ids.push(id);
    events.push(data);
  }
  const build = await client.json<Omit<BuildResult, 'events' | 'ids'>>(
    'GET',
    `/v1/builds/${created.buildId}`,
  );
  return { ...build, projectId: created.projectId, events, ids };
}

/** GET with an explicit Host header (for host-based preview URLs without DNS). */
export function getWithHost(
  baseUrl: string,
  host: string,
  path: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers: { host },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
