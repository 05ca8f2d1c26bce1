import { writeFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { DiskWatch, type DiskQuota } from './disk-watch.js';
import { killGroup, sharedLauncher, type Launcher } from './launcher/client.js';
import type { LaunchRequest } from './launcher/protocol.js';
import type { RunResult } from './sandbox.js';

const TAIL_BYTES = 64 * 1024;

export interface ChildSpec extends LaunchRequest {
  timeoutMs: number;
  maxOutputBytes: number;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  signal?: AbortSignal;
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
 * Runs one process in its own process group (argv, never a shell; started by the launcher)
 * and enforces the wall-clock timeout, output cap, disk quota and cancellation by killing the
 * whole group.
 */
export function runChild(
  spec: ChildSpec,
  launcher: Launcher = sharedLauncher(),
): Promise<RunResult> {
  return new Promise((resolve) => new ChildRun(spec, resolve).start(launcher));
}

/** The work a held process gets (holdChild): its input, and the limits that then apply. */
export interface ChildWork {
  /** Written to its stdin, which then closes. */
  input: string;
  timeoutMs: number;
  onOutput?: ChildSpec['onOutput'];
  signal?: AbortSignal;
  disk?: DiskQuota;
}

/** A process started ahead of its work, waiting on its stdin for it. */
export interface HeldChild {
  /** True once it ended: it can no longer take work. */
  readonly ended: boolean;
  /** Settles when it ends, with or without work. */
  readonly finished: Promise<RunResult>;
  /** Hands it its work (once); resolves when it ends, at once to undefined if it had ended. */
  resume(work: ChildWork): Promise<RunResult | undefined>;
  /** Lets it wait `ms` from now instead (unless it is being stopped already). */
  wait(ms: number): void;
  /** Stops it unused. */
  cancel(): void;
}

/**
 * Starts a process that waits on its stdin for its work, under `spec.timeoutMs` until then
 * (its idle limit, and `spec.disk`) and the work's limits after; `spec.onOutput` hears its
 * output until then.
 */
export function holdChild(
  spec: Omit<ChildSpec, 'stdin' | 'signal'>,
  launcher: Launcher = sharedLauncher(),
): HeldChild {
  let run!: ChildRun;
  const result = new Promise<RunResult>((resolve) => {
    run = new ChildRun(spec, resolve);
    run.start(launcher, true);
  });
  return {
    get ended() {
      return run.done;
    },
    finished: result,
    resume: (work) => (run.resume(work) ? result : Promise.resolve(undefined)),
    wait: (ms) => run.wait(ms),
    cancel: () => run.cancel(),
  };
}

type Stream = 'stdout' | 'stderr';

/** One run's state, from the launch request to its result. */
class ChildRun {
  private started = performance.now();
  private pid: number | undefined;
  private killWhenStarted = false;
  private ended = false;
  private killedBy: RunResult['killedBy'];
  private timedOut = false;
  private outputBytes = 0;
  private readonly tails = { stdout: '', stderr: '' };
  // One decoder per stream, so a character split across two chunks arrives whole.
  private readonly decoders = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };
  private timer: NodeJS.Timeout | undefined;
  private watch: DiskWatch | undefined;
  private onOutput: ChildSpec['onOutput'];
  private signal: AbortSignal | undefined;
  private write: (text: string) => void = () => undefined;
  private readonly onAbort = () => this.stop('cancel');

  constructor(
    private readonly spec: ChildSpec,
    private readonly resolve: (result: RunResult) => void,
  ) {}

  /** `held`: stdin stays open for the work `resume` hands it later. */
  start(launcher: Launcher, held = false): void {
    const { spec } = this;
    const [file, args] = nicedCommand(spec.file, spec.args, spec.nice);
    this.limit({ timeoutMs: spec.timeoutMs, onOutput: spec.onOutput, signal: spec.signal });
    if (spec.disk) this.watch = new DiskWatch(spec.disk, () => this.stop('disk')).start();
    this.write = launcher.launch(
      {
        file,
        args,
        cwd: spec.cwd,
        env: spec.env,
        ...(spec.uid === undefined ? {} : { uid: spec.uid, gid: spec.gid }),
        ...(spec.stdin === undefined ? {} : { stdin: spec.stdin }),
        ...(held ? { holdStdin: true } : {}),
      },
      {
        spawned: (pid) => this.spawned(pid),
        output: (stream, chunk) => this.collect(stream, chunk),
        failed: (code) => this.failed(code),
        closed: (code, signal) => void this.closed(code, signal),
      },
    );
  }

  /**
   * Hands a held process its work: the time, the cancel signal, the disk quota and the output
   * stream are the work's from now on.
   */
  resume(work: ChildWork): boolean {
    // Being stopped already (its idle time ran out, or it was cancelled): its end would be
    // reported as the work's.
    if (this.ended || this.timedOut || this.killedBy) return false;
    this.started = performance.now();
    this.limit(work);
    this.watch?.stop();
    if (work.disk) this.watch = new DiskWatch(work.disk, () => this.stop('disk')).start();
    this.write(work.input);
    return true;
  }

  private limit(work: Pick<ChildWork, 'timeoutMs' | 'onOutput' | 'signal'>): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // A process already stopped for a limit is reported for that, not as a timeout.
      if (!this.killedBy) this.timedOut = true;
      this.killGroup();
    }, work.timeoutMs);
    this.onOutput = work.onOutput;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.signal = work.signal;
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (this.signal?.aborted) this.onAbort();
  }

  /** A held process waits `ms` from now for its work. */
  wait(ms: number): void {
    if (this.ended || this.timedOut || this.killedBy) return;
    this.limit({ timeoutMs: ms, onOutput: this.onOutput, signal: this.signal });
  }

  /** Stops the process (a held one that is not needed after all), reported as cancelled. */
  cancel(): void {
    this.stop('cancel');
  }

  get done(): boolean {
    return this.ended;
  }

  private spawned(pid: number): void {
    this.pid = pid;
    // Stopped before it started (cancelled, over its disk, out of time): it goes at once.
    if (this.killWhenStarted) killGroup(pid);
    const { nice } = this.spec;
    if (nice && nice.level > 0) niceSession(pid, nice.level, () => !this.ended);
  }

  private stop(reason: 'cancel' | 'disk' | 'output'): void {
    if (!this.killedBy) this.killedBy = reason;
    this.killGroup();
  }

  private killGroup(): void {
    if (this.pid === undefined) this.killWhenStarted = true;
    else killGroup(this.pid);
  }

  private collect(stream: Stream, chunk: Buffer): void {
    if (this.killedBy) return;
    this.outputBytes += chunk.length;
    if (this.outputBytes > this.spec.maxOutputBytes) {
      this.stop('output');
      return;
    }
    const text = this.decoders[stream].write(chunk);
    this.tails[stream] = (this.tails[stream] + text).slice(-TAIL_BYTES);
    this.onOutput?.(stream, text);
  }

  private settle(): void {
    this.ended = true;
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  private failed(code: string): void {
    this.settle();
    this.watch?.stop();
    this.resolve(spawnFailure(code, this.started));
  }

  private async closed(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    this.settle();
    // Whatever the leader did, make sure nothing of the group survives it.
    this.killGroup();
    // A burst between two polls is caught here, once nothing writes any more.
    if (this.killedBy === 'cancel') this.watch?.stop();
    else if (this.watch && (await this.watch.finish()) && !this.killedBy) this.killedBy = 'disk';
    const { killedBy } = this;
    this.resolve({
      exitCode: killedBy === 'disk' ? null : code,
      signal,
      timedOut: this.timedOut,
      ...(killedBy ? { killedBy } : {}),
      stdout: this.tails.stdout,
      stderr: this.tails.stderr,
      durationMs: Math.round(performance.now() - this.started),
    });
  }
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
function niceSession(pid: number, level: number, running: () => boolean, attempt = 1): void {
  if (!running()) return;
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(level));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || attempt >= AUTOGROUP_RETRIES) return;
    setTimeout(() => niceSession(pid, level, running, attempt + 1), AUTOGROUP_RETRY_MS).unref();
  }
}

function spawnFailure(code: string, started: number): RunResult {
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
