/**
 * How long the compiled worker takes to start in the default embedded profile (PGlite, no
 * Redis, offline engine, local artifacts and previews), as an operator runs it. Two numbers,
 * each the median of N fresh `node` processes:
 *  - import: evaluating dist/container.js (every module the composition root pulls in);
 *  - ready: from spawning `node dist/main.js` (PORT=0, DATA_DIR in a temp dir) to its
 *    "SheenApps Worker ready" log line. One untimed start first creates the database and the
 *    local signing secrets, so the timed runs measure a restart, not initdb.
 * Builds dist/ first when it is missing or older than src/.
 * Run: npm run bench:startup   (BENCH_STARTUP_RUNS, default 9, --short 2; ends with a
 * BENCH_RESULT line)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../src/node-flags.js';
import { ensureBuilt } from './support/dist-server.js';
import { percentile, printResult, SHORT } from './support/report.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? (SHORT ? 2 : 9));
const READY = 'SheenApps Worker ready';
const TIMEOUT_MS = 120_000;

const IMPORT_SCRIPT = `const t = performance.now();
await import('./dist/container.js');
console.log(Math.round(performance.now() - t));`;

/** Milliseconds one fresh process spends importing dist/container.js. */
function importOnce(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', IMPORT_SCRIPT], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = Number(out.trim());
      if (code === 0 && Number.isFinite(ms)) resolve(ms);
      else reject(new Error(`importing dist/container.js exited ${code}: ${out}`));
    });
  });
}

/** Milliseconds from spawning dist/main.js to its ready line; the server is stopped after. */
function startOnce(dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [...SERVER_NODE_FLAGS, path.join(ROOT, 'dist', 'main.js')],
      {
        cwd: ROOT,
        // Only what the embedded profile needs: no HMAC_SECRETS, so the worker makes (once) and
        // then reads its local keys in DATA_DIR, as the README's quick start does.
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          DATA_DIR: dataDir,
          HOST: '127.0.0.1',
          PORT: '0',
          AI_PROVIDER: 'offline',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let readyAt: number | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    const onData = (d: Buffer) => {
      out = (out + d.toString()).slice(-64 * 1024);
      if (readyAt === undefined && out.includes(READY)) {
        readyAt = performance.now() - t0;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', () => {
      clearTimeout(timer);
      if (readyAt !== undefined) resolve(Math.round(readyAt));
      else reject(new Error(`dist/main.js exited before it was ready:\n${out}`));
    });
  });
}

async function main() {
  await ensureBuilt();
  const imports: number[] = [];
  for (let i = 0; i < RUNS; i++) imports.push(await importOnce());
  console.log(`import dist/container.js (ms): ${imports.join(', ')}`);

  const dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-bench-startup-'));
  try {
    const firstStartMs = await startOnce(dataDir);
    console.log(`first start, creating DATA_DIR (ms): ${firstStartMs}`);
    const starts: number[] = [];
    for (let i = 0; i < RUNS; i++) starts.push(await startOnce(dataDir));
    console.log(`spawn to ready (ms): ${starts.join(', ')}`);
    printResult({
      runs: RUNS,
      importMedianMs: percentile(imports, 50),
      readyMedianMs: percentile(starts, 50),
      firstStartMs,
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
