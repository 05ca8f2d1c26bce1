import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { DiskWatch, type DiskQuota } from './disk-watch.js';
import type { RunResult } from './sandbox.js';

const TAIL_BYTES = 64 * 1024;

export interface ChildSpec {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
  timeoutMs: number;
  maxOutputBytes: number;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  signal?: AbortSignal;
  /** Written to the child's stdin, which is then closed; without it stdin is ignored. */
  stdin?: string;
  /** The trees the process may write and how much they may hold; checked while it runs. */
  disk?: DiskQuota;
  /** Runs it through `nice` at this level: it and all it starts yield the CPU to the service. */
  nice?: Nice;
}

/** The `nice` executable and the level (1-19) untrusted runs get; 0 leaves their priority. */
export interface Nice {
  path: string;
  level: number;
}

/**
 * The command line with `nice` in front. nice sets the level before it execs the command, so
 * no process of the run ever starts at the worker's own priority (setting it from here after
 * spawning would race the child's first fork).
 */
function nicedCommand(file: string, args: string[], nice?: Nice): [string, string[]] {
  if (!nice || nice.level <= 0) return [file, args];
  return [nice.path, ['-n', String(nice.level), '--', file, ...args]];
}

/**
 * Spawns one process in its own process group (argv, never a shell) and enforces the
 * wall-clock timeout, output cap, disk quota and cancellation by killing the whole group.
 */
export function runChild(spec: ChildSpec): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let child;
    const [file, args] = nicedCommand(spec.file, spec.args, spec.nice);
    try {
      child = spawn(file, args, {
        cwd: spec.cwd,
        env: spec.env,
        detached: true,
        stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        ...(spec.uid === undefined ? {} : { uid: spec.uid, gid: spec.gid }),
      });
    } catch (err) {
      resolve(spawnFailure(err, started));
      return;
    }
    if (spec.nice && spec.nice.level > 0) niceSession(child, spec.nice.level);
    let outputBytes = 0;
    let killedBy: RunResult['killedBy'];
    let timedOut = false;
    const tails = { stdout: '', stderr: '' };

    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      // A process already stopped for a limit is reported for that, not as a timeout.
      if (!killedBy) timedOut = true;
      killGroup();
    }, spec.timeoutMs);
    const onAbort = () => {
      killedBy = 'cancel';
      killGroup();
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    if (spec.signal?.aborted) onAbort();
    const watch = spec.disk
      ? new DiskWatch(spec.disk, () => {
          if (!killedBy) killedBy = 'disk';
          killGroup();
        }).start()
      : undefined;

    // One decoder per stream, so a character split across two chunks arrives whole.
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (killedBy) return;
      outputBytes += chunk.length;
      if (outputBytes > spec.maxOutputBytes) {
        if (!killedBy) killedBy = 'output';
        killGroup();
        return;
      }
      const text = decoders[stream].write(chunk);
      tails[stream] = (tails[stream] + text).slice(-TAIL_BYTES);
      spec.onOutput?.(stream, text);
    };
    if (spec.stdin !== undefined && child.stdin) {
      // A child that exits without reading its input must not crash the worker (EPIPE).
      child.stdin.on('error', () => undefined);
      child.stdin.end(spec.stdin, 'utf8');
    }
    child.stdout?.on('data', collect('stdout'));
    child.stderr?.on('data', collect('stderr'));

    child.once('error', (err) => {
      clearTimeout(timer);
      watch?.stop();
      spec.signal?.removeEventListener('abort', onAbort);
      resolve(spawnFailure(err, started));
    });
    const onClose = async (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      // Whatever the leader did, make sure nothing of the group survives it.
      killGroup();
      // A burst between two polls is caught here, once nothing writes any more.
      if (killedBy === 'cancel') watch?.stop();
      else if (watch && (await watch.finish()) && !killedBy) killedBy = 'disk';
      resolve({
        exitCode: killedBy === 'disk' ? null : code,
        signal,
        timedOut,
        ...(killedBy ? { killedBy } : {}),
        stdout: tails.stdout,
        stderr: tails.stderr,
        durationMs: Math.round(performance.now() - started),
      });
    };
    child.once('close', (code, signal) => void onClose(code, signal));
  });
}

const AUTOGROUP_RETRIES = 5;
const AUTOGROUP_RETRY_MS = 100;

/**
 * Gives the run's session the same nice level as its processes. With autogroup scheduling
 * (on in many kernels) the CPU is shared between sessions first, and a process's nice counts
 * only inside its own session: the new session a detached run starts would weigh as much as
 * the whole service, however nice its processes. Best effort: without autogroup the file is
 * missing or unused (and the processes' own level is what counts), a worker that may not write
 * it keeps today's sharing, and without CAP_SYS_ADMIN the kernel takes one such change per
 * 100 ms system-wide (EAGAIN), so the write is tried again while the run lives.
 */
function niceSession(child: ChildProcess, level: number, attempt = 1): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    writeFileSync(`/proc/${child.pid}/autogroup`, String(level));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || attempt >= AUTOGROUP_RETRIES) return;
    setTimeout(() => niceSession(child, level, attempt + 1), AUTOGROUP_RETRY_MS).unref();
  }
}

function spawnFailure(err: unknown, started: number): RunResult {
  const code = (err as NodeJS.ErrnoException).code ?? 'spawn failed';
  return {
    exitCode: null,
    signal: null,
    timedOut: false,
    killedBy: 'signal',
    stdout: '',
    stderr: `could not start the process (${code})`,
    durationMs: Math.round(performance.now() - started),
  };
}
