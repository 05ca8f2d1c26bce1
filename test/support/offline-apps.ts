/**
 * Builds apps the offline engine wrote, as a developer would: the scaffold's dependencies
 * installed once (pnpm, frozen lockfile, cached store), then `tsc` and `vite build` per app.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const scaffold = path.join(repoRoot, 'src', 'ai', 'offline', 'scaffold');
const pnpm = path.join(repoRoot, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
const storeDir = path.join(os.tmpdir(), 'sheen-offline-pnpm-store');

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST')) delete env[key];
  if (!('NODE_ENV' in extra)) delete env.NODE_ENV;
  return env;
}

async function run(
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  try {
    await execFileAsync(file, args, { cwd, env, timeout: 170_000, maxBuffer: 32 * 1024 * 1024 });
  } catch (err) {
    const e = err as ExecFileException & { stdout?: string; stderr?: string };
    throw new Error(
      [file, ...args].join(' ') +
        ' failed (exit ' +
        String(e.code) +
        ')\n' +
        (e.stdout ?? '') +
        '\n' +
        (e.stderr ?? ''),
      { cause: err },
    );
  }
}

/** Installs the scaffold's dependencies under `base`/deps; returns its node_modules. */
export async function installScaffoldDeps(base: string): Promise<string> {
  const deps = path.join(base, 'deps');
  await fs.mkdir(deps, { recursive: true });
  for (const name of ['package.json', 'pnpm-lock.yaml']) {
    await fs.copyFile(path.join(scaffold, name), path.join(deps, name));
  }
  await run(
    process.execPath,
    [pnpm, 'install', '--frozen-lockfile', '--prefer-offline', '--ignore-scripts'],
    deps,
    childEnv({ npm_config_store_dir: storeDir }),
  );
  return path.join(deps, 'node_modules');
}

/** Type-checks and builds the app in `dir` with the installed `modules`; output in dir/dist. */
export async function typecheckAndBuild(dir: string, modules: string): Promise<void> {
  await fs.symlink(modules, path.join(dir, 'node_modules'), 'dir');
  const bin = (tool: string) => path.join(dir, 'node_modules', '.bin', tool);
  await run(bin('tsc'), ['--noEmit', '-p', '.'], dir, childEnv({}));
  await run(
    bin('vite'),
    ['build', '--configLoader', 'runner'],
    dir,
    childEnv({ NODE_ENV: 'production' }),
  );
}

/** Writes `files` (relative paths) under `dir`. */
export async function writeFiles(dir: string, files: Iterable<[string, string]>): Promise<void> {
  for (const [relative, content] of files) {
    const full = path.join(dir, relative);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, content);
  }
}
