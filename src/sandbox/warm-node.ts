import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ChildSpec, HeldChild } from './child.js';
import { diskQuota } from './disk-watch.js';
import { plainScriptBeside } from './plain-script.js';
import type { RunResult, RunSpec, SandboxIdentity, SandboxLimits } from './sandbox.js';

/** A Node process to start ahead of its work, in a sandbox like any run's. */
export interface WarmNodeSpec {
  /**
   * Files it imports before it waits: only code its work would run anyway (the work's own
   * dependencies), never a build's files, which it does not see until it adopts a workspace.
   */
  preload: string[];
  /**
   * A module of the worker's own (a plain script) run once the preload is in: its default
   * export gets the preloaded modules and puts them through work of its own, in the
   * process's private /tmp, so that the real work runs on code V8 has already compiled. It
   * may still run when a workspace moves in (the work waits for it): it touches only its
   * /tmp. Its failure only leaves the work slower.
   */
  warmUp?: string;
  /** An empty directory of its own, the only writable tree: a workspace later takes its place. */
  dir: string;
  /** The environment its work runs with (fixed now: the work cannot change it). */
  env?: Record<string, string>;
  readOnlyPaths?: string[];
  scratchPaths?: string[];
  identity: SandboxIdentity | undefined;
  /** How long it may wait for work before it is stopped. */
  idleMs: number;
}

/** The work of a warm process: `node args…`, as a run of the adopted workspace would be. */
export interface WarmWork {
  args: string[];
  cwd?: string;
  timeoutMs: number;
  onOutput?: RunSpec['onOutput'];
  signal?: AbortSignal;
}

const PRELOAD_FAILED = 75;
const MARKER = 'sheen-warm-node: preload failed';
const READY = 'sheen-warm-node: started';

/** The script a warm process runs (warm-node-main.ts), as Node can start it. */
export function warmNodeScript(): string {
  return plainScriptBeside(import.meta.url, 'warm-node-main');
}

/** The run spec a sandbox starts a warm process with (bwrap-sandbox.ts). */
export function warmRunSpec(spec: WarmNodeSpec, script: string): RunSpec {
  return {
    command: process.execPath,
    args: [script, ...(spec.warmUp ? ['--warm-up', spec.warmUp] : []), ...spec.preload],
    cwd: spec.dir,
    workspace: spec.dir,
    network: false,
    timeoutMs: spec.idleMs,
    readOnlyPaths: [...(spec.readOnlyPaths ?? []), script, ...(spec.warmUp ? [spec.warmUp] : [])],
    ...(spec.scratchPaths ? { scratchPaths: spec.scratchPaths } : {}),
    ...(spec.env ? { env: spec.env } : {}),
    ...(spec.identity ? { identity: spec.identity } : {}),
  };
}

/** A sandboxed Node process that has loaded its modules and waits for one piece of work. */
export interface WarmNode {
  /** True once it ended: it can no longer take work. */
  readonly ended: boolean;
  /** Settles when it ends, with its work done or without. */
  readonly finished: Promise<unknown>;
  /** Takes the workspace's place (see HeldNode); false when it cannot, the workspace as it was. */
  adopt(workspace: string): Promise<boolean>;
  /** Runs the work once; undefined when it could not (nothing ran: run it as usual). */
  run(work: WarmWork): Promise<RunResult | undefined>;
  /** Stops it unless its work runs, and removes its directory unless a workspace took it. */
  discard(): Promise<void>;
  /** Lets it wait `ms` from now for its work (a build took it: no longer its idle limit). */
  wait(ms: number): void;
}

/**
 * A warm process whose work waits on its stdin. A build hands it its workspace (`adopt`): the
 * workspace's files move into the process's own directory, which then takes the workspace's
 * place, so every other process and the host see the same path as before, and the warm
 * process sees the files through its directory. Paths in its work and its output are
 * translated between the two names.
 */
export class HeldNode implements WarmNode {
  private workspace: string | undefined;
  private used = false;
  private readonly child: HeldChild;
  /** True once it runs inside its sandbox (its directory mounted), false if it ended first. */
  private readonly started: Promise<boolean>;

  constructor(
    hold: (onOutput: NonNullable<ChildSpec['onOutput']>) => HeldChild,
    readonly dir: string,
    private readonly limits: SandboxLimits,
  ) {
    let seen: (ok: boolean) => void = () => undefined;
    const ready = new Promise<boolean>((resolve) => (seen = resolve));
    let early = '';
    this.child = hold((stream, text) => {
      if (stream !== 'stdout') return;
      early = (early + text).slice(-READY.length - 1);
      if (early.includes(READY)) seen(true);
    });
    this.started = Promise.race([ready, this.child.finished.then(() => false)]);
  }

  get ended(): boolean {
    return this.child.ended;
  }

  get finished(): Promise<unknown> {
    return this.child.finished;
  }

  /**
   * Moves `workspace`'s files into this process's directory, which then becomes `workspace`.
   * False (the workspace as it was) when the process ended or the two are on different disks.
   */
  async adopt(workspace: string): Promise<boolean> {
    if (this.workspace || !(await this.started) || this.ended) return false;
    const [own, theirs] = await Promise.all([stat(this.dir), stat(workspace)]);
    if (own.dev !== theirs.dev) return false;
    const names = await readdir(workspace);
    const moved: string[] = [];
    try {
      for (const name of names) {
        await rename(path.join(workspace, name), path.join(this.dir, name));
        moved.push(name);
      }
      await rmdir(workspace);
    } catch {
      await this.moveBack(workspace, moved);
      return false;
    }
    try {
      await rename(this.dir, workspace);
    } catch {
      await mkdir(workspace);
      await this.moveBack(workspace, moved);
      return false;
    }
    this.workspace = workspace;
    return true;
  }

  private async moveBack(workspace: string, names: string[]): Promise<void> {
    for (const name of names)
      await rename(path.join(this.dir, name), path.join(workspace, name)).catch(() => undefined);
  }

  /**
   * Runs the work in the adopted workspace, once. Undefined when the process could not take
   * it (it ended, or its modules would not load): nothing ran, the caller runs it as usual.
   */
  async run(work: WarmWork): Promise<RunResult | undefined> {
    const workspace = this.workspace;
    if (!workspace || this.used || this.ended) return undefined;
    this.used = true;
    const inside = (p: string) =>
      p === workspace || p.startsWith(workspace + path.sep)
        ? this.dir + p.slice(workspace.length)
        : p;
    const outside = (text: string) => text.replaceAll(this.dir, workspace);
    const onOutput = work.onOutput;
    const result = await this.child.resume({
      input: JSON.stringify({ argv: work.args.map(inside), cwd: inside(work.cwd ?? workspace) }),
      timeoutMs: work.timeoutMs,
      ...(onOutput ? { onOutput: (stream, text) => onOutput(stream, outside(text)) } : {}),
      ...(work.signal ? { signal: work.signal } : {}),
      ...diskQuota(this.limits, [workspace]),
    });
    if (!result) return undefined;
    if (result.exitCode === PRELOAD_FAILED && result.stderr.includes(MARKER)) return undefined;
    const stdout = outside(result.stdout.replace(`${READY}\n`, ''));
    return { ...result, stdout, stderr: outside(result.stderr) };
  }

  wait(ms: number): void {
    this.child.wait(ms);
  }

  /** Stops it if it is still waiting, and removes its directory unless a workspace took it. */
  async discard(): Promise<void> {
    if (!this.used) this.child.cancel();
    if (!this.workspace) await rm(this.dir, { recursive: true, force: true });
  }
}
