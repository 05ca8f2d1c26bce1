import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../src/node-flags.js';

/**
 * The real server as an operator runs it (`node dist/main.js`), for benches that measure
 * processes rather than source under tsx.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = path.join(ROOT, 'dist', 'main.js');
const KEEP_OUTPUT = 64 * 1024;

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    const t = entry.isDirectory() ? await newestMtime(p) : (await stat(p)).mtimeMs;
    newest = Math.max(newest, t);
  }
  return newest;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`)),
    );
  });
}

/** Runs `npm run build` when dist/main.js is missing or older than a file under src/. */
export async function ensureBuilt(): Promise<void> {
  const built = await stat(MAIN).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (built > (await newestMtime(path.join(ROOT, 'src')))) return;
  console.log('dist/ is missing or older than src/: npm run build');
  await run('npm', ['run', 'build']);
}

/** A port nothing listens on right now (the server is told it, so the bench knows its URL). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface DistServer {
  name: string;
  baseUrl: string;
  child: ChildProcess;
  /** The last 64 KiB the process wrote (for a failure message). */
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts dist/main.js with only the environment given and waits until /myhealthz answers. */
export async function startDistServer(
  name: string,
  env: Record<string, string>,
  timeoutMs = 180_000,
): Promise<DistServer> {
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS: flags for the servers' node, e.g. `--cpu-prof --cpu-prof-dir=DIR`.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...(process.env.NODE_EXTRA_CA_CERTS
        ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS }
        : {}),
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-KEEP_OUTPUT));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const server: DistServer = {
    name,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  const started = Date.now();
  while (Date.now() - started < timeoutMs && child.exitCode === null) {
    const ok = await fetch(`${server.baseUrl}/myhealthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start:\n${out}`);
}
