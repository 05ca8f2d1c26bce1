import type { RunResult, RunSpec, Sandbox, SandboxIdentity } from './sandbox.js';
import { claimSlot, type SlotClaim } from './slot-claim.js';
import { busyUids, killProcessesOf } from './uid-sweep.js';

/** One build's (or one scratch run's) hold on an identity; released exactly once. */
export interface IdentityLease {
  /** Undefined when the worker cannot switch uids: the run keeps the worker's own. */
  readonly identity: SandboxIdentity | undefined;
  release(): Promise<void>;
}

/** Hands out the uid/gid builds run as, so no two running builds ever share one. */
export interface IdentityPool {
  /** True when each lease is a uid of its own (the worker is root). */
  readonly separate: boolean;
  /** Waits for a free identity; rejects with the signal's reason when it aborts first. */
  acquire(signal?: AbortSignal): Promise<IdentityLease>;
  /** Kills processes left under identities no live worker holds; returns their uids. */
  sweepIdle?(): Promise<number[]>;
}

/** A worker that is not root cannot switch uids: every run keeps the worker's. */
export class WorkerIdentity implements IdentityPool {
  readonly separate = false;
  async acquire(signal?: AbortSignal): Promise<IdentityLease> {
    signal?.throwIfAborted();
    return { identity: undefined, release: async () => undefined };
  }
}

export interface UidPoolOptions {
  /** First uid of the range (also used as the gid). */
  base: number;
  count: number;
  /** How long a sweep may take before a slot is set aside as unusable. */
  sweepTimeoutMs?: number;
  /** How often a waiting acquire looks for slots freed by other worker processes. */
  pollMs?: number;
}

/**
 * Refuses a range that overlaps an account (its processes would be killed as leftovers,
 * and builds could touch its files). Takes the text of /etc/passwd and /etc/group.
 */
export function rangeConflict(
  range: { base: number; count: number },
  accounts: string,
): string | undefined {
  for (const line of accounts.split('\n')) {
    const [name, , id] = line.split(':');
    const n = Number(id);
    if (name && Number.isInteger(n) && n >= range.base && n < range.base + range.count)
      return `uid/gid ${n} (${name}) lies in the sandbox range ${range.base}..${range.base + range.count - 1}; choose a range no account uses`;
  }
  return undefined;
}

/**
 * A uid per build slot, for workers running as root. Process limits count per uid, so a
 * build that exhausts its own cannot starve another; and because nothing else runs as a
 * slot's uid, every process it owns can be killed before the slot is handed out again.
 *
 * Worker processes on one host share the range safely: slots are claimed host-wide
 * (see slot-claim.ts).
 */
export class UidPool implements IdentityPool {
  readonly separate = true;
  private readonly held = new Map<number, SlotClaim | 'claiming'>();
  private wakers = new Set<() => void>();
  private next = 0;

  constructor(private readonly options: UidPoolOptions) {}

  async acquire(signal?: AbortSignal): Promise<IdentityLease> {
    for (;;) {
      signal?.throwIfAborted();
      const uid = await this.claimFree();
      if (uid !== undefined) return this.lease(uid);
      await this.waitForRelease(signal);
    }
  }

  /**
   * Kills what runs under slots no live worker holds: processes of builds whose worker
   * crashed. Called at start-up; a slot is swept again whenever it is claimed anyway.
   */
  async sweepIdle(): Promise<number[]> {
    const swept: number[] = [];
    for (const uid of await busyUids(this.options.base, this.options.count)) {
      if (this.held.has(uid)) continue;
      const claim = await claimSlot(uid, this.inRange);
      if (!claim) continue; // another worker's running build
      await killProcessesOf(uid, this.sweepMs);
      await claim.close();
      swept.push(uid);
    }
    return swept;
  }

  private async claimFree(): Promise<number | undefined> {
    const { base, count } = this.options;
    for (let i = 0; i < count; i++) {
      const uid = base + ((this.next + i) % count);
      if (this.held.has(uid)) continue;
      this.held.set(uid, 'claiming');
      const claim = await claimSlot(uid, this.inRange);
      // A slot whose old processes survive SIGKILL (stuck in the kernel) is not reused.
      const clean = claim && (await killProcessesOf(uid, this.sweepMs)).live.length === 0;
      if (!claim || !clean) {
        await claim?.close();
        this.held.delete(uid);
        continue;
      }
      this.held.set(uid, claim);
      this.next = (uid - base + 1) % count;
      return uid;
    }
    return undefined;
  }

  private lease(uid: number): IdentityLease {
    let released: Promise<void> | undefined;
    return {
      identity: { uid, gid: uid },
      release: () => (released ??= this.release(uid)),
    };
  }

  /** Kills whatever the build left running, then frees the slot. */
  private async release(uid: number): Promise<void> {
    const left = await killProcessesOf(uid, this.sweepMs);
    const claim = this.held.get(uid);
    // A slot with survivors may be claimed again, but only once a fresh sweep finds it empty.
    if (claim && claim !== 'claiming') await claim.close();
    this.held.delete(uid);
    if (left.live.length === 0) this.wake();
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = new Set();
    for (const wake of wakers) wake();
  }

  /** Resolves on a local release or after `pollMs` (another process may have freed a slot). */
  private waitForRelease(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (error?: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.wakers.delete(wake);
        if (error === undefined) resolve();
        else
          reject(
            error instanceof Error
              ? error
              : new Error(typeof error === 'string' ? error : 'aborted'),
          );
      };
      const wake = () => settle();
      const onAbort = () => settle(signal?.reason ?? new Error('aborted'));
      const timer = setTimeout(wake, this.options.pollMs ?? 500);
      this.wakers.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private readonly inRange = (uid: number) =>
    uid >= this.options.base && uid < this.options.base + this.options.count;

  private get sweepMs(): number {
    return this.options.sweepTimeoutMs ?? 5000;
  }
}

/**
 * Runs `fn` as the spec's identity, or as one leased for this run alone. A run cancelled
 * while it waits for a slot ends as a cancelled result, like any other cancelled run.
 */
export async function withRunIdentity(
  pool: IdentityPool,
  spec: RunSpec,
  fn: (identity: SandboxIdentity | undefined) => Promise<RunResult>,
): Promise<RunResult> {
  if (spec.identity) return fn(spec.identity);
  let lease: IdentityLease;
  try {
    lease = await pool.acquire(spec.signal);
  } catch (err) {
    if (!spec.signal?.aborted) throw err;
    return {
      exitCode: null,
      signal: null,
      timedOut: false,
      killedBy: 'cancel',
      stdout: '',
      stderr: '',
      durationMs: 0,
    };
  }
  try {
    return await fn(lease.identity);
  } finally {
    await lease.release();
  }
}

/** The same sandbox, with every run that names no identity of its own run as `identity`. */
export function bindIdentity(sandbox: Sandbox, identity: SandboxIdentity | undefined): Sandbox {
  if (!identity) return sandbox;
  const startNode = sandbox.startNode?.bind(sandbox);
  return {
    kind: sandbox.kind,
    limitations: sandbox.limitations,
    run: (spec) => sandbox.run({ ...spec, identity: spec.identity ?? identity }),
    ...(startNode && {
      startNode: (spec) => startNode({ ...spec, identity: spec.identity ?? identity }),
    }),
  };
}
