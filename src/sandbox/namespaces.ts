import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findExecutable } from './executables.js';
import type { NsTools } from './ns-plan.js';

/** Administration tools often live outside a service's PATH. */
const SBIN = ['/usr/sbin', '/sbin'];

/**
 * The util-linux (and iproute2) tools the fallback runner's namespaces need, or the names of
 * those missing. Linux only: elsewhere there is nothing to look for.
 */
export function findNamespaceTools(systemPath: string): NsTools | { missing: string[] } {
  if (process.platform !== 'linux') return { missing: ['Linux namespaces'] };
  const search = [systemPath, ...SBIN].join(':');
  const found = {
    unshare: findExecutable('unshare', search),
    mount: findExecutable('mount', search),
    umount: findExecutable('umount', search),
    pivotRoot: findExecutable('pivot_root', search),
  };
  const missing = Object.entries(found)
    .filter(([, p]) => p === undefined)
    .map(([name]) => (name === 'pivotRoot' ? 'pivot_root' : name));
  if (missing.length > 0 || !found.unshare) return { missing };
  const ip = findExecutable('ip', search);
  return {
    unshare: found.unshare,
    mount: found.mount as string,
    umount: found.umount as string,
    pivotRoot: found.pivotRoot as string,
    ...(ip ? { ip } : {}),
    mapUser: supportsMapUser(found.unshare),
  };
}

/** util-linux 2.38 added `--map-user`; older unshare can only map the caller to root. */
function supportsMapUser(unshare: string): boolean {
  try {
    return execFileSync(unshare, ['--help'], { encoding: 'utf8' }).includes('--map-user=');
  } catch {
    return false;
  }
}

/**
 * How to start ns-init: the compiled script beside this module, or (running from the
 * TypeScript sources, in development, tests and benches) that source compiled once per
 * process. Starting it through tsx's loader instead cost every sandboxed run about half a
 * second of CPU (the loader and its esbuild service), more than the init's own work.
 */
export function nsInitCommand(): { argv: string[]; env: Record<string, string> } {
  const here = fileURLToPath(import.meta.url);
  const ext = path.extname(here);
  const script = path.join(path.dirname(here), `ns-init${ext}`);
  if (!existsSync(script)) throw new Error(`the namespace init script is missing: ${script}`);
  if (ext !== '.ts') return { argv: [process.execPath, script], env: {} };
  return { argv: [process.execPath, compiledInit(script)], env: {} };
}

let compiled: string | undefined;

/**
 * ns-init.ts as plain JavaScript (it imports only Node's modules and types), written to a
 * fresh directory of the worker's (mkdtemp: no one else can have made or swapped it), which
 * the build uids may read but not change. Made again if something removed it.
 */
function compiledInit(source: string): string {
  if (compiled && existsSync(compiled)) return compiled;
  const require = createRequire(import.meta.url);
  const ts = require('typescript') as typeof import('typescript');
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'sheen-ns-init-'));
  const file = path.join(dir, 'ns-init.mjs');
  writeFileSync(file, outputText);
  chmodSync(file, 0o644);
  chmodSync(dir, 0o755);
  // One per process: gone with it, so test runs and restarts leave no trail in /tmp.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  compiled = file;
  return file;
}
