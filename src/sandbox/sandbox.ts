import type { WarmNode, WarmNodeSpec } from './warm-node.js';

/**
 * The sandbox port: the only way the pipeline runs a child process. Commands are argv arrays
 * (no shell), the environment is an allow-list, the workspace is the only writable place
 * besides explicitly granted caches, and every run has time, output, memory and process
 * limits. Expected failures (non-zero exit, timeout, limit hit) are values, not exceptions.
 */
export interface RunSpec {
  /** Executable path or name on the sandbox PATH. */
  command: string;
  args: string[];
  /** Working directory; must be the workspace or inside it. */
  cwd: string;
  /** The build's workspace: writable. */
  workspace: string;
  /** Extra variables on top of the base allow-list (never worker secrets). */
  env?: Record<string, string>;
  /**
   * Network access: only dependency installs (and an engine calling its API) get it, and then
   * only to `allowOrigins` through the worker's egress proxy.
   */
  network: boolean;
  /**
   * With `network`: the origins (`https://registry.npmjs.org`) the run may reach, nothing
   * else. A run with `network` and no origins has no network.
   */
  allowOrigins?: string[];
  timeoutMs: number;
  /** Extra read-only paths (e.g. a shared dependency cache). */
  readOnlyPaths?: string[];
  /** Extra writable paths (e.g. the package manager's store during install). */
  writablePaths?: string[];
  /** Empty writable scratch directories mounted over paths (bwrap only). */
  scratchPaths?: string[];
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  signal?: AbortSignal;
  /** Written to the process's standard input, which is then closed (else stdin is /dev/null). */
  stdin?: string;
  /**
   * The host uid/gid to run as: the build's slot when the worker is root. A run without one
   * (scratch runs, health checks) gets a slot of its own for its duration.
   */
  identity?: SandboxIdentity;
}

/** A host uid/gid that one build's processes, and no other build's, run as. */
export interface SandboxIdentity {
  uid: number;
  gid: number;
}

export interface RunResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /**
   * Set when the sandbox stopped the process for exceeding a limit or on cancel. 'disk': the
   * writable trees held more than `diskBytes`, found while it ran or right after it ended;
   * `exitCode` is then null, because the run failed whatever the process itself returned.
   */
  killedBy?: 'output' | 'memory' | 'disk' | 'signal' | 'cancel';
  /** The last part of each stream (capped), for classification and operators. */
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Destinations (`host:port`) the egress proxy refused during the run. */
  egressRefused?: string[];
}

export interface SandboxLimits {
  memoryMb: number;
  maxProcesses: number;
  maxOutputBytes: number;
  maxFileBytes: number;
  /** Total bytes the run's writable trees (the workspace, scratch space) may hold. */
  diskBytes?: number;
  /** Size of the run's private /tmp where it is a RAM-backed tmpfs (bubblewrap). */
  tmpBytes?: number;
}

export interface Sandbox {
  readonly kind: 'bwrap' | 'process';
  /** What this runner does not isolate, one sentence each, logged as warnings at start-up. */
  readonly limitations: readonly string[];
  run(spec: RunSpec): Promise<RunResult>;
  /** Starts a Node process ahead of its work (warm-node.ts), where the runner can. */
  startNode?(spec: WarmNodeSpec): WarmNode;
}
