import type { Dir, Stats } from 'node:fs';
import { chmod, lstat, opendir } from 'node:fs/promises';
import path from 'node:path';

/** The trees one run may fill, and how much they may hold together. */
export interface DiskQuota {
  /** Walked without following symlinks: a link to a shared, read-only tree costs nothing. */
  roots: string[];
  maxBytes: number;
}

/**
 * Every entry costs at least one block, so a flood of empty files or directories (which use
 * inodes and directory blocks the sizes do not show) is bounded by the same quota.
 */
export const MIN_ENTRY_BYTES = 4096;
const DEFAULT_INTERVAL_MS = 250;

/** The `disk` field of a child spec: the given trees under the limits' quota, if they set one. */
export function diskQuota(limits: { diskBytes?: number }, roots: string[]): { disk?: DiskQuota } {
  return limits.diskBytes === undefined ? {} : { disk: { roots, maxBytes: limits.diskBytes } };
}
const DEFAULT_ENTRIES_PER_POLL = 4000;

/**
 * Measures trees a bounded number of entries at a time, so one poll costs the same however
 * large the tree is, and holds one directory open at a time however deep it is. `bytes` is
 * the running total of the current pass: a lower bound of the final one unless files move
 * during the pass. A directory it cannot enter (a path longer than the OS allows, permissions
 * it cannot fix) makes the total Infinity: what cannot be measured is not allowed.
 */
export class DiskScanner {
  bytes = 0;
  private readonly roots: string[];
  private readonly dirs: string[] = [];
  private current: { path: string; dir: Dir } | undefined;
  private readonly seenInodes = new Set<string>();

  constructor(roots: readonly string[]) {
    this.roots = [...roots];
  }

  /** Examines up to `budget` entries; true once the pass is complete. */
  async step(budget: number): Promise<boolean> {
    let left = budget;
    while (left > 0 && this.bytes !== Infinity) {
      const root = this.roots.shift();
      if (root !== undefined) {
        left -= 1;
        await this.visit(root);
        continue;
      }
      if (!this.current) {
        const next = this.dirs.pop();
        if (next === undefined) break;
        left -= 1;
        const dir = await this.open(next);
        if (dir) this.current = { path: next, dir };
        continue;
      }
      const entry = await this.current.dir.read().catch(() => {
        this.bytes = Infinity;
        return null;
      });
      if (!entry) {
        await this.close();
        continue;
      }
      left -= 1;
      await this.visit(path.join(this.current.path, entry.name));
    }
    return this.bytes === Infinity || (!this.current && this.dirs.length + this.roots.length === 0);
  }

  /** Releases the open directory handle (a pass abandoned half-way). */
  async close(): Promise<void> {
    const open = this.current;
    this.current = undefined;
    await open?.dir.close().catch(() => undefined);
  }

  private async visit(p: string): Promise<void> {
    let st: Stats;
    try {
      st = await lstat(p);
    } catch (err) {
      if (!isGone(err)) this.bytes = Infinity;
      return;
    }
    this.charge(st);
    if (st.isDirectory()) this.dirs.push(p);
  }

  private charge(st: Stats): void {
    // A file with several links is stored once, however many names it has in the trees.
    if (st.nlink > 1 && !st.isDirectory()) {
      const key = `${st.dev}:${st.ino}`;
      if (this.seenInodes.has(key)) return;
      this.seenInodes.add(key);
    }
    // Allocated blocks, not the apparent size: a sparse file uses only what it wrote.
    this.bytes += Math.max(st.blocks * 512, MIN_ENTRY_BYTES);
  }

  private async open(dir: string): Promise<Dir | undefined> {
    try {
      return await opendir(dir);
    } catch (err) {
      if (isGone(err)) return undefined;
      const code = (err as NodeJS.ErrnoException).code;
      // A directory the build made unreadable to its own uid (the process runner without a
      // separate sandbox user): the worker owns it too, so it may open it back up.
      if (code === 'EACCES' || code === 'EPERM') {
        const reopened = await chmod(dir, 0o700).then(
          () => opendir(dir),
          () => undefined,
        );
        if (reopened) return reopened;
      }
      this.bytes = Infinity;
      return undefined;
    }
  }
}

/** Removed while the pass ran: nothing to charge. */
function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The total of the trees, measured in full (yielding between bounded steps). */
export async function measureDisk(
  roots: readonly string[],
  entriesPerStep = DEFAULT_ENTRIES_PER_POLL,
): Promise<number> {
  const scanner = new DiskScanner(roots);
  try {
    while (!(await scanner.step(entriesPerStep))) await yieldToEventLoop();
    return scanner.bytes;
  } finally {
    await scanner.close();
  }
}

export interface DiskWatchOptions {
  intervalMs?: number;
  entriesPerPoll?: number;
}

/**
 * Polls the quota's trees while a process runs and calls `onExceeded` (once) when they hold
 * more than allowed. A running total over the limit is confirmed by a quick fresh pass
 * before it counts, so a file moved during a slow pass is not charged twice; `finish()`
 * measures once more in full after the process ended, when nothing moves any more.
 */
export class DiskWatch {
  private scanner: DiskScanner;
  private confirming = false;
  private stopped = false;
  private exceeded = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly intervalMs: number;
  private readonly entriesPerPoll: number;

  constructor(
    private readonly quota: DiskQuota,
    private readonly onExceeded: () => void,
    options: DiskWatchOptions = {},
  ) {
    this.scanner = new DiskScanner(quota.roots);
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.entriesPerPoll = options.entriesPerPoll ?? DEFAULT_ENTRIES_PER_POLL;
  }

  start(): this {
    this.schedule(this.intervalMs);
    return this;
  }

  /** Stops polling without a final measurement (the process never started, or was cancelled). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Stops polling; whether the trees were over the quota at any check, including a final one. */
  async finish(): Promise<boolean> {
    this.stop();
    await this.inFlight;
    await this.scanner.close();
    if (!this.exceeded && (await measureDisk(this.quota.roots)) > this.quota.maxBytes)
      this.exceeded = true;
    return this.exceeded;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.exceeded) return;
    this.timer = setTimeout(() => {
      // A failed poll (say, EMFILE) must not end the watch: try again at the next interval.
      this.inFlight = this.poll().catch(() => this.schedule(this.intervalMs));
    }, delayMs);
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    const done = await this.scanner.step(this.entriesPerPoll);
    if (this.stopped) return;
    const over = this.scanner.bytes > this.quota.maxBytes;
    if (over && (done || this.confirming)) {
      this.exceeded = true;
      this.onExceeded();
      return;
    }
    if (over || done) {
      // Over mid-pass: confirm with a fresh pass run back to back. Done: start the next pass.
      this.confirming = over;
      await this.scanner.close();
      this.scanner = new DiskScanner(this.quota.roots);
    }
    this.schedule(this.confirming ? 0 : this.intervalMs);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
