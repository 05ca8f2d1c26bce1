/**
 * The process launcher: a small Node process the worker starts once, which starts the
 * sandboxed runs on its behalf (see client.ts for why). It spawns what the worker asks for
 * (argv, never a shell; each run detached, the leader of its own process group), streams the
 * runs' output back and reports how each ended. It makes no decisions: limits, timeouts and
 * kills stay in the worker, which signals the process groups itself.
 *
 * When the worker goes (its IPC channel closes, however it died) the launcher kills every run
 * it started and exits, so a crashed worker leaves no build running; the runs' own
 * `--die-with-parent` (or pdeathsig) then has nothing left to do.
 *
 * Trusted code, run as a plain script: it imports nothing but Node's modules and types.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { FromLauncher, ToLauncher } from './protocol.js';

/** Output messages not yet handed to the channel before a run's streams pause. */
const MAX_UNSENT = 32;

const runs = new Map<number, ChildProcess>();
let unsent = 0;
const paused = new Set<ChildProcess>();

function send(message: FromLauncher): void {
  if (!process.connected) return;
  unsent += 1;
  process.send?.(message, undefined, undefined, () => {
    unsent -= 1;
    if (unsent > MAX_UNSENT / 2) return;
    for (const child of paused) {
      child.stdout?.resume();
      child.stderr?.resume();
    }
    paused.clear();
  });
}

function start(message: Extract<ToLauncher, { type: 'spawn' }>): void {
  const { id, file, args, cwd, env, uid, gid, stdin, holdStdin } = message;
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      cwd,
      env,
      detached: true,
      stdio: [stdin === undefined && !holdStdin ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(uid === undefined ? {} : { uid, gid }),
    });
  } catch (err) {
    send({ type: 'error', id, code: (err as NodeJS.ErrnoException).code ?? 'EINVAL' });
    return;
  }
  let failed = false;
  child.once('error', (err: NodeJS.ErrnoException) => {
    failed = true;
    runs.delete(id);
    send({ type: 'error', id, code: err.code ?? 'spawn failed' });
  });
  if (child.pid === undefined) return; // the 'error' above reports it
  runs.set(id, child);
  send({ type: 'spawned', id, pid: child.pid });
  // A run that exits without reading its input must not end the launcher (EPIPE).
  child.stdin?.on('error', () => undefined);
  if (stdin !== undefined) child.stdin?.end(stdin, 'utf8');
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]?.on('data', (chunk: Buffer) => {
      send({ type: 'output', id, stream, chunk });
      if (unsent < MAX_UNSENT) return;
      child[stream]?.pause();
      paused.add(child);
    });
  }
  child.once('close', (code, signal) => {
    runs.delete(id);
    paused.delete(child);
    if (!failed) send({ type: 'close', id, code, signal });
  });
}

/** Kills every run's whole group: what is left when the worker is gone. */
function killAll(): void {
  for (const child of runs.values()) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

process.on('message', (message: ToLauncher) => {
  if (message.type === 'spawn') start(message);
  else if (message.type === 'input') runs.get(message.id)?.stdin?.end(message.text, 'utf8');
});
process.once('disconnect', () => {
  killAll();
  process.exit(0);
});
// Signals meant for the service's process group (a terminal's ^C) are the worker's to handle;
// the launcher ends when the worker does.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
