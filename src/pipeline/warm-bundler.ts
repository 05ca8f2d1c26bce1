import { chown, mkdir, readFile, readdir, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../observability/logger.js';
import type { IdentityLease, IdentityPool } from '../sandbox/identity-pool.js';
import { plainScriptBeside } from '../sandbox/plain-script.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { WarmNode } from '../sandbox/warm-node.js';
import type { BuildRun } from './context.js';
import { settlesWithin } from '../queue/settles-within.js';
import type { Command } from './scripts.js';
import { sandboxPaths } from './stages/sandboxed.js';

/** A bundler process waiting for the next build whose tree it loaded, with the uid it runs as. */
export interface SpareBundler {
  node: WarmNode;
  /** The build that takes it runs as this identity (the spare's processes are already its). */
  lease: IdentityLease;
  /** The shared dependency tree it runs from. */
  tree: string;
  /** The real path of the bin it runs (`…/vite/bin/vite.js`). */
  bin: string;
}

/**
 * Bundlers whose module graph loads without a project (no config read, no file touched):
 * a spare imports the package's entry, which its CLI imports again, then runs the package's
 * warm-up (a build of a project of its own) so the build's bundle runs on compiled code.
 */
const WARM_PACKAGES: ReadonlyMap<string, string> = new Map([['vite', 'vite-warm-up']]);
/**
 * How long a spare waits for a build before it stops (and frees its memory and uid): long
 * enough for back-to-back and queued builds, short enough that a worker with no builds soon
 * runs no sandboxed process at all.
 */
const IDLE_MS = 2000;
/**
 * How long it waits once a build took it: that build uses or stops it, at its bundle or at its
 * end; this only bounds a build that hangs before either.
 */
const TAKEN_WAIT_MS = 10 * 60_000;
/** A spare takes a free uid or none: it never makes a build wait for one. */
const LEASE_WAIT_MS = 50;
/**
 * How long a starting build waits for a spare still being started (its tree check and spawn,
 * usually tens of milliseconds): a slow check costs the build at most this, not the check.
 */
const START_WAIT_MS = 250;

/**
 * Keeps one bundler started ahead, so the next build of the same kind does not wait on Node's
 * start and the bundler's import (about half of a small Vite build). After a bundle ran
 * from a shared dependency tree, a spare process is started from that tree, in a sandbox
 * like the bundle's and with an empty directory of its own. The next build takes it with its
 * uid when it starts; once its install linked the same tree, its workspace moves into the
 * spare's directory (warm-node.ts) and the bundle runs there. A build on another tree stops it
 * unused: a spare never sees a workspace other than the one of the build that took it, and
 * runs only code that build's own tree holds.
 */
export class WarmBundler {
  private spare: SpareBundler | undefined;
  /** A spare's start under way (its checks and its spawn; its modules load after). */
  private preparing: Promise<void> | undefined;
  private closed = false;
  private seq = 0;
  private swept: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      sandbox: Sandbox;
      identities: IdentityPool;
      /** DATA_DIR/warm: the spares' directories (same disk as the workspaces). */
      dir: string;
      logger: Logger;
    },
  ) {}

  /**
   * For a build starting: the spare, which is then the build's to use or stop. A spare still
   * being started is waited for, up to START_WAIT_MS: a build that follows the last one at
   * once would otherwise bundle without it, several hundred milliseconds slower.
   */
  async take(): Promise<SpareBundler | undefined> {
    if (this.preparing) await settlesWithin(this.preparing, START_WAIT_MS);
    const spare = this.spare;
    this.spare = undefined;
    if (!spare) return undefined;
    if (spare.node.ended) {
      void this.drop(spare);
      return undefined;
    }
    spare.node.wait(TAKEN_WAIT_MS);
    return spare;
  }

  /** After a build bundled with `command`: a spare for the next such build, if there is none. */
  prepareAfter(run: BuildRun, command: Command): void {
    const tree = run.state.dependencyDir;
    if (this.closed || this.spare || this.preparing || !tree || !this.deps.sandbox.startNode)
      return;
    this.preparing = this.start(run, tree, command)
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'could not start a spare bundler'))
      .finally(() => (this.preparing = undefined));
  }

  async close(): Promise<void> {
    this.closed = true;
    // A spare being started is kept (below), then dropped here with any other.
    await this.preparing;
    const spare = this.spare;
    this.spare = undefined;
    if (spare) await this.drop(spare);
  }

  private async start(run: BuildRun, tree: string, command: Command): Promise<void> {
    // Paths inside it are compared as they really are (DATA_DIR may lie behind a link).
    const warm = await warmEntry(await realpath(tree), command, run.workspace.root);
    if (!warm) return;
    // The tree this build's install checked against its stored digest (or stored), moments
    // ago, and runs its own check and bundle from: walking it again here cost ~1,100 lstat
    // calls beside the bundle. The next build's install checks it again before it links
    // it, and a spare of a tree that build did not link never sees its workspace.
    await (this.swept ??= this.sweep());
    const lease = await this.deps.identities
      .acquire(AbortSignal.timeout(LEASE_WAIT_MS))
      .catch(() => undefined);
    if (!lease) return;
    const dir = path.join(this.deps.dir, `${process.pid}-${++this.seq}`);
    try {
      await mkdir(dir, { recursive: true });
      if (lease.identity) await chown(dir, lease.identity.uid, lease.identity.gid);
      const { readOnlyPaths, scratchPaths } = sandboxPaths(run);
      const sandbox = this.deps.sandbox as Required<Sandbox>;
      const node = sandbox.startNode({
        preload: [warm.entry],
        warmUp: warm.warmUp,
        dir,
        env: BUNDLE_ENV,
        readOnlyPaths,
        ...(scratchPaths ? { scratchPaths } : {}),
        identity: lease.identity,
        idleMs: IDLE_MS,
      });
      this.keep({ node, lease, tree, bin: warm.bin });
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      await lease.release();
      throw err;
    }
  }

  private keep(spare: SpareBundler): void {
    this.spare = spare;
    if (this.closed) return; // close() drops it
    // Stopped while it waited (idle, killed): its uid goes back to the pool.
    void spare.node.finished.then(() => {
      if (this.spare !== spare) return;
      this.spare = undefined;
      void this.drop(spare);
    });
  }

  private async drop(spare: SpareBundler): Promise<void> {
    await spare.node.discard();
    await spare.lease.release();
  }

  /** Removes directories spares of a stopped worker process left (once, before the first). */
  private async sweep(): Promise<void> {
    const names = await readdir(this.deps.dir).catch(() => []);
    for (const name of names) {
      const pid = Number(name.split('-')[0]);
      if (pid === process.pid || isAlive(pid)) continue;
      await rm(path.join(this.deps.dir, name), { recursive: true, force: true });
    }
  }
}

/**
 * Before the check and the bundle start: the workspace moves into the spare's directory when
 * the install linked the tree the spare runs from, else the spare stops unused.
 */
export async function adoptSpare(run: BuildRun): Promise<void> {
  const spare = run.state.spare;
  if (!spare || spare.node.ended) return;
  if (spare.tree === run.state.dependencyDir && (await spare.node.adopt(run.workspace.root)))
    return;
  delete run.state.spare;
  await spare.node.discard();
}

/** The adopted spare, if `command` is what it runs (once: later commands run as usual). */
export async function spareFor(run: BuildRun, command: Command): Promise<WarmNode | undefined> {
  const spare = run.state.spare;
  if (!spare) return undefined;
  delete run.state.spare;
  const [file] = command.args;
  const bin = file && (await realpath(file).catch(() => undefined));
  if (command.command === run.deps.toolchain.node && bin === spare.bin) return spare.node;
  await spare.node.discard();
  return undefined;
}

/** The environment every bundle runs with (the spare's is fixed when it starts). */
export const BUNDLE_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
  // No network in the sandbox: the frameworks' telemetry would only wait on it.
  NEXT_TELEMETRY_DISABLED: '1',
  ASTRO_TELEMETRY_DISABLED: '1',
};

/**
 * For `node <root>/node_modules/<pkg>/bin/…` where the package is a warm one and lies in the
 * linked tree: the bin's real path and the package entry a spare imports ahead.
 */
async function warmEntry(
  tree: string,
  command: Command,
  root: string,
): Promise<{ bin: string; entry: string; warmUp: string } | undefined> {
  const [file] = command.args;
  if (!file?.startsWith(path.join(root, 'node_modules') + path.sep)) return undefined;
  const bin = await realpath(file).catch(() => undefined);
  if (!bin?.startsWith(tree + path.sep)) return undefined;
  // The bin's package: the nearest package.json above it, inside the tree.
  for (let dir = path.dirname(bin); dir.startsWith(tree + path.sep); dir = path.dirname(dir)) {
    const manifest = await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => '');
    if (!manifest) continue;
    const pkg = parse(manifest);
    const warmUp = typeof pkg?.name === 'string' ? WARM_PACKAGES.get(pkg.name) : undefined;
    if (!warmUp) return undefined;
    const entry = exportedEntry(pkg?.exports);
    return entry
      ? { bin, entry: path.join(dir, entry), warmUp: plainScriptBeside(import.meta.url, warmUp) }
      : undefined;
  }
  return undefined;
}

/** The file `import '<pkg>'` loads: `exports['.']`, as a string or its import/default. */
function exportedEntry(exports: unknown): string | undefined {
  const dot = (exports as Record<string, unknown> | undefined)?.['.'] ?? exports;
  if (typeof dot === 'string') return dot;
  const conditions = dot as Record<string, unknown> | undefined;
  const pick = conditions?.import ?? conditions?.default;
  if (typeof pick === 'string') return pick;
  return pick && typeof pick === 'object' ? exportedEntry({ '.': pick }) : undefined;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
