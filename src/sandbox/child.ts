import { spawn } from 'node:child_process';
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
}

/**
 * Spawns one process in its own process group (argv, never a shell) and enforces the
 * wall-clock timeout, output cap, disk quota and cancellation by killing the whole group.
 */
export function runChild(spec: ChildSpec): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(spec.file, spec.args, {
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
