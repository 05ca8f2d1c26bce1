/**
 * Parts of the reads bench: server processes, the seeded build, and the load generator
 * (autocannon, in the bench's own process so the servers keep their CPU).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { signRequest } from '../src/auth/signing.js';
import type { Db } from '../src/db/db.js';
import { BuildsRepository } from '../src/repositories/builds.repo.js';
import { ProjectEventsRepository } from '../src/repositories/project-events.repo.js';
import { RecommendationsRepository } from '../src/repositories/recommendations.repo.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface Server {
  name: string;
  baseUrl: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `script` (through tsx) with only `env`, its output going to `logFile` (a pipe read
 * by nobody would fill up, and a string would grow by every request's log line). Ready when
 * `ready` matches a line of the log; its first group is the base URL or the port.
 */
export async function startProcess(
  name: string,
  script: string,
  env: Record<string, string>,
  logFile: string,
  ready: RegExp,
  nodeArgs: string[] = [],
): Promise<Server> {
  const out = openSync(logFile, 'w');
  const args = [...nodeArgs, '--import', 'tsx', path.join(ROOT, script)];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = Date.now();
  while (Date.now() - started < 90_000) {
    const match = ready.exec(readFileSync(logFile, 'utf8'));
    if (match?.[1]) {
      const baseUrl = /^\d+$/.test(match[1]) ? `http://127.0.0.1:${match[1]}` : match[1];
      const stop = async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      };
      return { name, baseUrl, child, stop };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
}

export interface SeededBuild {
  buildId: string;
  userId: string;
}

/** A finished build with two stored recommendations, as a client reads after a build. */
export async function seedBuild(db: Db, userId: string): Promise<SeededBuild> {
  const builds = new BuildsRepository(db, new ProjectEventsRepository());
  const { build } = await builds.createForPrompt({
    userId,
    prompt: 'A landing page for a bakery',
    name: 'bakery',
    engine: 'offline',
    archMode: 'monolith',
  });
  await builds.start(build.id, 'bench');
  await builds.finish(build.id, {
    status: 'succeeded',
    previewUrl: `http://build-${build.id.toLowerCase()}.localhost/`,
  });
  const item = (kind: string, title: string) => ({
    kind,
    key: '',
    severity: 'low' as const,
    origin: 'measured' as const,
    title,
    detail: `${title}: measured on the built page.`,
    action: 'Fix it in the next update.',
    evidence: { file: 'index.html' },
  });
  await new RecommendationsRepository(db).replace(
    { projectId: build.projectId, versionId: build.versionId, buildId: build.id },
    ['html.lang', 'html.meta-description'],
    [
      item('html.lang', 'The page names no language'),
      item('html.meta-description', 'No description'),
    ],
  );
  return { buildId: build.id, userId };
}

export interface Target {
  name: string;
  baseUrl: string;
  path: string;
  /** Paths asked for in turn instead of `path` alone (reads of many builds). */
  paths?: string[];
  /** HMAC secret to sign with; unsigned when absent. */
  secret?: string;
  /** The server's process, whose CPU time per request is reported. */
  pid?: number;
}

export interface Measurement {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failures: number;
  /**
   * CPU time the server process spent per request (user + system), in microseconds: steadier
   * than req/s on a shared machine, and it shows where the worker's extra cost is.
   */
  cpuUsPerReq: number | null;
}

/** User + system CPU seconds of a process so far (Linux); null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** USER_HZ, 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/**
 * Requests (path and signed headers) made before the clock starts, so signing costs the
 * measurement nothing; should a run outpace the estimate, the rest are made as they are sent.
 * With several paths, each request asks for the next.
 */
function signedRequests(target: Target, count: number) {
  const { secret } = target;
  const paths = target.paths ?? [target.path];
  let turn = 0;
  const make = () => {
    const path = paths[turn++ % paths.length] as string;
    const headers = secret ? signRequest({ secret, method: 'GET', pathWithQuery: path }) : {};
    return { path, headers };
  };
  const bank = Array.from({ length: secret || paths.length > 1 ? count : 0 }, make).reverse();
  return () => bank.pop() ?? make();
}

/** Drives `target` with `connections` keep-alive connections for `seconds`. */
export async function measure(
  target: Target,
  seconds: number,
  connections: number,
  expectedPerSec: number,
): Promise<Measurement> {
  const next = signedRequests(target, Math.ceil(expectedPerSec * seconds * 1.5));
  const cpuBefore = cpuSeconds(target.pid);
  const result = await autocannon({
    url: target.baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        path: target.path,
        setupRequest: (request) => ({ ...request, ...next() }),
      },
    ],
  });
  return {
    reqPerSec: Math.round(result.requests.total / seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuUsPerReq: cpuUsPerReq(cpuBefore, cpuSeconds(target.pid), result.requests.total),
  };
}

function cpuUsPerReq(before: number | null, after: number | null, requests: number) {
  if (before === null || after === null || requests === 0) return null;
  return Math.round(((after - before) * 1e6) / requests);
}

/** One request, to fail fast with the server's answer when a target does not answer 200. */
export async function probe(target: Target): Promise<void> {
  const headers = target.secret
    ? signRequest({ secret: target.secret, method: 'GET', pathWithQuery: target.path })
    : {};
  const res = await fetch(`${target.baseUrl}${target.path}`, { headers });
  if (res.status !== 200) {
    throw new Error(`${target.name}: ${res.status} ${(await res.text()).slice(0, 500)}`);
  }
  await res.arrayBuffer();
}
