import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { rangeConflict, UidPool, WorkerIdentity } from './identity-pool.js';
import { processesOf } from './uid-sweep.js';

const root = process.getuid?.() === 0;
// Ranges of this file's own: a pool kills whatever runs under its slots.
let nextBase = 422_000;
const range = (count: number) => ({ base: (nextBase += 100), count });

/** A `sleep` running as `uid` in a session of its own, like a build's detached leftover. */
function leftover(uid: number): number {
  const child = spawn('/bin/sleep', ['300'], { uid, gid: uid, detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid as number;
}

describe('sandbox identities', () => {
  it('refuses a range that an account uses', () => {
    const accounts = 'root:x:0:0::/root:/bin/sh\nbuilder:x:200010:200010::/home/b:/bin/sh\n';
    expect(rangeConflict({ base: 200_000, count: 64 }, accounts)).toMatch(/200010 \(builder\)/);
    expect(rangeConflict({ base: 300_000, count: 64 }, accounts)).toBeUndefined();
  });

  it('keeps the worker uid when it is not root', async () => {
    const lease = await new WorkerIdentity().acquire();
    expect(lease.identity).toBeUndefined();
  });

  describe.skipIf(!root)('a uid per slot (root only: it switches uids)', () => {
    it('never hands one uid to two holders, even across pools on one host', async () => {
      const r = range(3);
      const [a, b] = [new UidPool(r), new UidPool(r)];
      const leases = await Promise.all([a.acquire(), b.acquire(), a.acquire()]);
      const uids = leases.map((l) => l.identity?.uid);
      expect(new Set(uids).size).toBe(3);
      for (const uid of uids) expect(uid).toBeGreaterThanOrEqual(r.base);
      await Promise.all(leases.map((l) => l.release()));
    });

    it('waits while every slot is busy, and gives up when cancelled', async () => {
      const pool = new UidPool({ ...range(1), pollMs: 50 });
      const first = await pool.acquire();
      const cancel = new AbortController();
      const waiting = pool.acquire(cancel.signal);
      setTimeout(() => cancel.abort(new Error('cancelled')), 100);
      await expect(waiting).rejects.toThrow('cancelled');

      const second = pool.acquire();
      let got = false;
      void second.then(() => (got = true));
      await new Promise((r) => setTimeout(r, 150));
      expect(got).toBe(false);
      await first.release();
      expect((await second).identity).toEqual(first.identity);
      await (await second).release();
    });

    it('kills every process of a slot before it is handed out again', async () => {
      const pool = new UidPool(range(1));
      const lease = await pool.acquire();
      const uid = lease.identity?.uid as number;
      const pid = leftover(uid);
      await new Promise((r) => setTimeout(r, 100));
      expect((await processesOf(uid)).live).toContain(pid);
      await lease.release();
      expect((await processesOf(uid)).live).toEqual([]);
    });

    it('is not starved by a build that binds the claim names first', async () => {
      const r = range(1);
      // A sandboxed process with host network, as an install step has, squatting the slot.
      const squatter = spawn(
        process.execPath,
        [
          '-e',
          `require('net').createServer().listen({ path: '\\0sheen-sandbox-uid-${r.base}' }, () => console.log('bound'))`,
        ],
        { uid: r.base, gid: r.base, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      await new Promise((resolve) => squatter.stdout.once('data', resolve));
      const lease = await new UidPool(r)
        .acquire(AbortSignal.timeout(5000))
        .finally(() => squatter.kill('SIGKILL'));
      expect(lease.identity?.uid).toBe(r.base);
      expect((await processesOf(r.base)).live).toEqual([]);
      await lease.release();
    });

    it('sweeps slots that a crashed worker left processes under, at start-up', async () => {
      const r = range(2);
      const pid = leftover(r.base + 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await new UidPool(r).sweepIdle()).toEqual([r.base + 1]);
      expect((await processesOf(r.base + 1)).live).not.toContain(pid);
    });
  });
});
