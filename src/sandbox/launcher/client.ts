import { fork, type ChildProcess } from 'node:child_process';
import { plainScriptBeside } from '../plain-script.js';
import type { FromLauncher, LaunchRequest, ToLauncher } from './protocol.js';

/** What a run started through the launcher reports, in this order. */
export interface RunHandlers {
  /** It started; `pid` leads its process group (signal it with `process.kill(-pid)`). */
  spawned(pid: number): void;
  output(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /** It could not be started; nothing else follows. */
  failed(code: string): void;
  /** It ended (after `spawned`); nothing else follows. */
  closed(code: number | null, signal: NodeJS.Signals | null): void;
}

interface Live {
  handlers: RunHandlers;
  pid?: number;
}

/**
 * Starts the sandboxed runs from a small process of its own (launcher.ts) instead of the
 * worker. Starting a process copies the page tables of the one that starts it, and the
 * worker's are large (the embedded database alone keeps ~0.5-1 GB resident): each start
 * blocked the worker's event loop 15-40 ms, one after the other, with every request and build
 * waiting behind it. From the launcher (~40 MB) a start takes a few milliseconds, on another
 * core, while the worker goes on.
 *
 * One launcher per worker process, started on first use (or `warm()`), again after it dies:
 * the runs it had are killed and reported as killed by a signal.
 */
export class Launcher {
  private proc: ChildProcess | undefined;
  private readonly live = new Map<number, Live>();
  private nextId = 1;
  private closing = false;
  /** Told when the launcher process ended unasked (how: a signal or `exit <code>`). */
  onLost: ((how: string, runs: number) => void) | undefined;

  constructor(private readonly script: string = launcherScript()) {}

  /** The launcher process's pid, while one runs. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Starts the launcher process now, so the first run does not wait for it. */
  warm(): void {
    this.ensure();
  }

  /**
   * Starts a run; the function returned writes a run started with `holdStdin` its input (once,
   * then its stdin closes).
   */
  launch(request: LaunchRequest, handlers: RunHandlers): (text: string) => void {
    const id = this.nextId++;
    this.live.set(id, { handlers });
    const message: ToLauncher = { type: 'spawn', id, ...request };
    const proc = this.ensure();
    this.holdWhileLive();
    proc.send(message, (err) => {
      if (err) this.drop(id, 'ELAUNCHER');
    });
    return (text) => {
      if (!this.live.has(id) || this.proc !== proc) return;
      proc.send({ type: 'input', id, text } satisfies ToLauncher, (err) => {
        if (err) this.drop(id, 'ELAUNCHER');
      });
    };
  }

  /** Stops the launcher (it kills any run still going); the next launch starts another. */
  close(): void {
    this.closing = this.proc !== undefined;
    this.proc?.disconnect();
  }

  private ensure(): ChildProcess {
    if (this.proc?.connected) return this.proc;
    const proc = fork(this.script, [], {
      execArgv: [],
      // The launcher needs nothing of the worker's environment (its secrets least of all):
      // each run gets the environment the sandbox built for it.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    proc.on('message', (message: FromLauncher) => this.receive(message));
    proc.once('exit', (code, signal) => this.lost(proc, signal ?? `exit ${code}`));
    proc.once('error', (err: NodeJS.ErrnoException) => this.lost(proc, err.code ?? err.message));
    // An idle launcher does not keep the worker alive (holdWhileLive).
    proc.unref();
    proc.channel?.unref();
    this.proc = proc;
    return proc;
  }

  private receive(message: FromLauncher): void {
    const run = this.live.get(message.id);
    if (!run) return;
    switch (message.type) {
      case 'spawned':
        run.pid = message.pid;
        run.handlers.spawned(message.pid);
        return;
      case 'output': {
        const { chunk } = message;
        run.handlers.output(
          message.stream,
          Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
        );
        return;
      }
      case 'error':
        this.drop(message.id, message.code);
        return;
      case 'close':
        this.live.delete(message.id);
        this.holdWhileLive();
        run.handlers.closed(message.code, message.signal);
    }
  }

  /**
   * The channel keeps the process alive while a run is under way, as the run's own process
   * would: a run stopped by its timeout must still hear how it ended.
   */
  private holdWhileLive(): void {
    if (this.live.size > 0) this.proc?.channel?.ref();
    else this.proc?.channel?.unref();
  }

  private drop(id: number, code: string): void {
    const run = this.live.get(id);
    if (!run) return;
    this.live.delete(id);
    this.holdWhileLive();
    if (run.pid === undefined) run.handlers.failed(code);
    else run.handlers.closed(null, 'SIGKILL');
  }

  /** The launcher died: its runs are killed (their groups, to be sure) and reported. */
  private lost(proc: ChildProcess, how: string): void {
    if (this.proc !== proc) return;
    this.proc = undefined;
    // Closed on purpose (close()) with nothing running is not worth a word.
    if (this.live.size > 0 || !this.closing) this.onLost?.(how, this.live.size);
    this.closing = false;
    for (const [id, run] of [...this.live]) {
      if (run.pid !== undefined) killGroup(run.pid);
      this.drop(id, 'ELAUNCHER');
    }
  }
}

export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function launcherScript(): string {
  return plainScriptBeside(import.meta.url, 'launcher');
}

let shared: Launcher | undefined;

/** The worker process's launcher. */
export function sharedLauncher(): Launcher {
  shared ??= new Launcher();
  return shared;
}
