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
  const watchdog = new AbortController();
  let stoppedBy: StopReason | undefined;
  let authRetries = 0;
  const stop = (reason: StopReason) => {
    if (watchdog.signal.aborted) return;
    stoppedBy = reason;
    watchdog.abort(reason);
  };

  let idleTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const armIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop('idle'), spec.idleTimeoutMs);
  };
  const handle = (events: StreamEvent[]) => {
    for (const event of events) {
      if (event.type === 'result' && !graceTimer) {
        graceTimer = setTimeout(() => stop('post-result'), spec.postResultGraceMs);
      }
      if (event.type === 'retry' && (event.status === 401 || event.status === 403)) {
        authRetries++;
        stop('auth');
      }
      try {
        spec.onEvent(event);
      } catch {
        // A listener's failure (an event log) must not escape into the child's stream handler.
      }
    }
  };

  armIdle();
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
      signal: AbortSignal.any([spec.signal, watchdog.signal]),
      onOutput: (stream, text) => {
        armIdle();
        if (stream === 'stdout') handle(parser.push(text));
      },
    });
    handle(parser.end());
    return {
      summary: parser.summary(),
      run,
      ...(stoppedBy ? { stoppedBy } : {}),
      authRetries,
    };
  } finally {
    clearTimeout(idleTimer);
    clearTimeout(graceTimer);
  }
}
