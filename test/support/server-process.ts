import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasDatabase } from '../../src/db/pglite.js';
import { SERVER_NODE_FLAGS } from '../../src/node-flags.js';
import { keepDependencyTrees, seedDependencyTrees } from './shared-deps.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `env` alone, with a PATH and, on a machine behind a TLS-inspecting proxy, its CA. */
function childEnv(env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...(process.env.NODE_EXTRA_CA_CERTS
      ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS }
      : {}),
    ...env,
  };
}

/** Runs the real entry point (src/main.ts through tsx) with only the environment given. */
export function runServer(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: ServerProcess['exited'];
} {
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, '--import', 'tsx', path.join(ROOT, 'src/main.ts')],
    {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/**
 * Gives a fresh embedded DATA_DIR the run's migrated PGlite template (pglite-template.ts):
 * initdb takes seconds per server, a copy well under one. Only where no database exists yet,
 * so a restart, or a test that brings its own data, opens what is there.
 */
async function seedEmbeddedDatabase(env: Record<string, string>): Promise<void> {
  if (!env.DATA_DIR || env.DATABASE_URL) return;
  const dir = path.join(env.DATA_DIR, 'db');
  if (hasDatabase(dir)) return;
  // The template belongs to a vitest run; benches start servers through this module too.
  if (!process.env.VITEST) return;
  const { pgliteTemplate } = await import('./pglite-template.js');
  const template = await pgliteTemplate();
  if (!template) return;
  await mkdir(env.DATA_DIR, { recursive: true });
  await cp(template, dir, { recursive: true });
}

export interface StartOptions {
  /**
   * Leave DATA_DIR's dependency cache as it is and share nothing with other files
   * (shared-deps.ts): for tests of installs themselves.
   */
  coldInstalls?: boolean;
}

export async function startServer(
  env: Record<string, string>,
  timeoutMs = 60_000,
  options: StartOptions = {},
): Promise<ServerProcess> {
  await seedEmbeddedDatabase(env);
  const dataDir = options.coldInstalls ? undefined : env.DATA_DIR;
  if (dataDir) await seedDependencyTrees(dataDir);
  const run = runServer({ PORT: '0', ...env });
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const match = /Server listening at (http:\/\/[^"\s]+)/.exec(run.output());
    if (match?.[1] && run.output().includes('SheenApps Worker ready')) {
      return {
        ...run,
        baseUrl: match[1],
        async stop(signal: NodeJS.Signals = 'SIGTERM') {
          if (run.child.exitCode === null) run.child.kill(signal);
          const exit = await run.exited;
          if (dataDir) await keepDependencyTrees(dataDir);
          return exit;
        },
      };
    }
    if (run.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  run.child.kill('SIGKILL');
  throw new Error(`server did not start:\n${run.output()}`);
}

let compiledCli: Promise<string | undefined> | undefined;

/**
 * The CLI compiled once per test file into the run's scratch directory (cli-build.ts): a
 * test that runs it a dozen times then starts plain node each time, not tsx compiling the
 * sources again (about a second a run on a busy machine). Outside a vitest run, undefined.
 * A file may call it early, so the compile overlaps its own set-up.
 */
export function prepareCli(): Promise<string | undefined> {
  compiledCli ??= (async () => {
    if (!process.env.VITEST) return undefined;
    const { inject } = await import('vitest');
    const root = inject('pgliteTemplateRoot') as string | undefined;
    if (!root) return undefined;
    const { compileCli } = await import('./cli-build.js');
    return compileCli(await mkdtemp(path.join(root, 'cli-')));
  })();
  return compiledCli;
}

/** Runs the sheen CLI (compiled from source, see prepareCli) with only the environment given. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const entry = await prepareCli();
  const child = spawn(
    process.execPath,
    entry ? [entry, ...args] : ['--import', 'tsx', path.join(ROOT, 'src/cli/sheen.ts'), ...args],
    {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  // 'close', not 'exit': output can still be in the pipes when the process has exited.
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}
