import type { RunResult, Sandbox, SandboxIdentity } from '../../sandbox/sandbox.js';
import { StreamParser, type StreamEvent, type StreamSummary } from './stream-parser.js';

export interface CliRunSpec {
  sandbox: Sandbox;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The prompt: written to stdin, never put in argv. */
  stdin: string;
  cwd: string;
  workspace: string;
  writablePaths: string[];
  readOnlyPaths: string[];
  /** The API origin the CLI may reach; the sandbox lets it reach nothing else. */
  apiOrigin: string;
  totalTimeoutMs: number;
  idleTimeoutMs: number;
  /** How long a process may linger after its result line before it is killed. */
  postResultGraceMs: number;
  /** The uid/gid the CLI runs as (the build's, when the worker is root). */
  identity?: SandboxIdentity;
  signal: AbortSignal;
  onEvent(event: StreamEvent): void;
}

export type StopReason = 'idle' | 'post-result' | 'auth';

export interface CliOutcome {
  summary: StreamSummary;
  run: RunResult;
  /** Set when one of our watchdogs stopped the process. */
  stoppedBy?: StopReason;
  /** The CLI's retries of refused requests (401/403), which it would repeat for minutes. */
  authRetries: number;
}

/**
 * Runs the CLI once through the sandbox (which enforces the total timeout and kills the whole
 * process group on abort) and watches its output: no output for `idleTimeoutMs` aborts it, so
 * does a process still alive `postResultGraceMs` after its result line (a known CLI hang), and
 * so does a refused API key (the CLI would otherwise retry with backoff for minutes).
 */
export async function runCli(spec: CliRunSpec): Promise<CliOutcome> {
  const parser = new StreamParser();
  const watch = new CliWatch(spec);
  watch.armIdle();
  try {
    const run = await spec.sandbox.run({
      command: spec.command,
      args: spec.args,
      cwd: spec.cwd,
      workspace: spec.workspace,
      env: spec.env,
      network: true,
      allowOrigins: [spec.apiOrigin],
      timeoutMs: spec.totalTimeoutMs,
      readOnlyPaths: spec.readOnlyPaths,
      writablePaths: spec.writablePaths,
      stdin: spec.stdin,
      ...(spec.identity ? { identity: spec.identity } : {}),
      signal: AbortSignal.any([spec.signal, watch.signal]),
      onOutput: (stream, text) => {
        watch.armIdle();
        if (stream === 'stdout') watch.handle(parser.push(text));
      },
    });
    watch.handle(parser.end());
    return {
      summary: parser.summary(),
      run,
      ...(watch.stoppedBy ? { stoppedBy: watch.stoppedBy } : {}),
      authRetries: watch.authRetries,
    };
  } finally {
    watch.dispose();
  }
}

/** The watchdogs of one run: silence, a hang after the result, a refused API key. */
class CliWatch {
  stoppedBy: StopReason | undefined;
  authRetries = 0;
  private readonly controller = new AbortController();
  private idleTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(private readonly spec: CliRunSpec) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop('idle'), this.spec.idleTimeoutMs);
  }

  handle(events: StreamEvent[]): void {
    for (const event of events) {
      if (event.type === 'result' && !this.graceTimer) {
        this.graceTimer = setTimeout(() => this.stop('post-result'), this.spec.postResultGraceMs);
      }
      if (event.type === 'retry' && (event.status === 401 || event.status === 403)) {
        this.authRetries++;
        this.stop('auth');
      }
      try {
        this.spec.onEvent(event);
      } catch {
        // A listener's failure (an event log) must not escape into the child's stream handler.
      }
    }
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.graceTimer);
  }

  private stop(reason: StopReason): void {
    if (this.controller.signal.aborted) return;
    this.stoppedBy = reason;
    this.controller.abort(reason);
  }
}
