import { signRequest } from '../../../src/auth/signing.js';
import { sleep } from './child.js';
import { ADMIN_SECRET, SECRET } from './environment.js';

/** One request sent while a dependency was down, and how it was answered. */
export interface Probe {
  route: string;
  status: number;
  code: string | undefined;
  retryAfter: string | null;
  ms: number;
}

async function send(
  baseUrl: string,
  method: string,
  pathWithQuery: string,
  options: { body?: unknown; secret?: string } = {},
): Promise<Probe> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(options.secret ? signRequest({ secret: options.secret, method, pathWithQuery, body }) : {}),
    ...(body ? { 'content-type': 'application/json' } : {}),
  };
  const started = performance.now();
  const route = `${method} ${pathWithQuery.replace(/[0-9A-Z]{26}/, ':id')}`;
  try {
    const res = await fetch(new URL(pathWithQuery, baseUrl), {
      method,
      headers,
      ...(body ? { body } : {}),
      signal: AbortSignal.timeout(15_000),
    });
    const json = (await res.json().catch(() => undefined)) as
      { error?: { code?: string }; status?: string } | undefined;
    return {
      route,
      status: res.status,
      code: json?.error?.code ?? json?.status,
      retryAfter: res.headers.get('retry-after'),
      ms: Math.round(performance.now() - started),
    };
  } catch (err) {
    return {
      route,
      status: 0,
      code: (err as Error).name,
      retryAfter: null,
      ms: Math.round(performance.now() - started),
    };
  }
}

/**
 * Sends the API's main kinds of request over and over for `durationMs` while a dependency is
 * down: a signed create, a signed read, the admin health report and liveness.
 */
export async function probeOutage(
  baseUrl: string,
  buildId: string,
  durationMs: number,
): Promise<Probe[]> {
  const probes: Probe[] = [];
  const until = Date.now() + durationMs;
  let n = 0;
  while (Date.now() < until) {
    n += 1;
    probes.push(
      ...(await Promise.all([
        send(baseUrl, 'POST', '/v1/create-preview-for-new-project', {
          secret: SECRET,
          body: { userId: 'faults-outage', prompt: `A todo list app called "Outage ${n}"` },
        }),
        send(baseUrl, 'GET', `/v1/builds/${buildId}`, { secret: SECRET }),
        send(baseUrl, 'GET', '/v1/admin/system-health', { secret: ADMIN_SECRET }),
        send(baseUrl, 'GET', '/myhealthz'),
      ])),
    );
    await sleep(300);
  }
  return probes;
}

/**
 * What an outage must look like from outside: signed routes answer 503 SERVICE_UNAVAILABLE
 * with Retry-After within a few seconds (never 500, never a hang); the admin health report
 * answers 503 (its own report, or the same error when the request cannot be checked);
 * liveness stays 200. Returns one line per probe that broke the rule.
 */
export function outageProblems(probes: Probe[]): string[] {
  if (probes.length === 0) return ['no request was sent during the outage'];
  const problems: string[] = [];
  for (const p of probes) {
    const line = `${p.route}: ${p.status} ${p.code ?? ''} retry-after=${p.retryAfter} in ${p.ms} ms`;
    if (p.route === 'GET /myhealthz') {
      if (p.status !== 200) problems.push(line);
    } else if (p.route === 'GET /v1/admin/system-health') {
      if (p.status !== 503 || !['SERVICE_UNAVAILABLE', 'down'].includes(p.code ?? '')) {
        problems.push(line);
      }
    } else if (
      p.status !== 503 ||
      p.code !== 'SERVICE_UNAVAILABLE' ||
      !/^\d+$/.test(p.retryAfter ?? '') ||
      p.ms > 5000
    ) {
      problems.push(line);
    }
  }
  return problems;
}
