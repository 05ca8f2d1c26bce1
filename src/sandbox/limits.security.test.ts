import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, findExecutable } from './create-sandbox.js';
import { UidPool, type IdentityLease } from './identity-pool.js';
import type { RunResult, Sandbox, SandboxIdentity } from './sandbox.js';

/**
 * One build's fork bomb must not fail anyone else's build: process limits are per build
 * (a uid per slot, and limits counted inside each run's own user namespace).
 */
const LIMITS = {
  memoryMb: 1024,
  maxProcesses: 64,
  maxOutputBytes: 256 * 1024,
  maxFileBytes: 64 * 1024 * 1024,
};
const root = process.getuid?.() === 0;
const hasBwrap = findExecutable('bwrap', process.env.PATH ?? '') !== undefined;
const skipReason = !root
  ? 'the worker is not root here, so it cannot run builds as uids of their own'
  : undefined;
if (skipReason) console.warn(`Skipping the per-build limit tests: ${skipReason}`);
if (root && !hasBwrap) console.warn('Skipping the bubblewrap limit tests: bwrap is not installed');
const kinds = (['bwrap', 'process'] as const).filter((k) => k === 'process' || hasBwrap);

/** Spawns children until the kernel refuses (EAGAIN), says so, and holds them until killed. */
const BOMB = `
  const { spawn } = require('child_process');
  const held = [];
  (async () => {
    for (let n = 0; n < 5000; n++) {
      const child = spawn('/bin/sleep', ['60'], { stdio: 'ignore' });
      const outcome = await new Promise((r) => { child.once('spawn', () => r('ok')); child.once('error', (e) => r(e.code)); });
      if (outcome !== 'ok') { console.log('limit reached after ' + n + ': ' + outcome); break; }
      held.push(child);
    }
    setInterval(() => {}, 1000);
  })();
`;

describe.skipIf(skipReason !== undefined).each(kinds)('%s sandbox under a fork bomb', (kind) => {
  let sandbox: Sandbox;
  const pool = new UidPool({ base: 423_000, count: 8 });
  const leases: IdentityLease[] = [];
  const workspaces: string[] = [];

  beforeAll(async () => {
    sandbox = await createSandbox({
      mode: kind,
      limits: LIMITS,
      scratchDir: path.join(tmpdir(), 'sheen-limits-scratch'),
      toolPaths: [],
      systemPath: process.env.PATH ?? '',
      requireBwrap: false,
      identities: pool,
    });
  });
  afterAll(async () => {
    await Promise.all(leases.map((l) => l.release()));
    await Promise.all(workspaces.map((w) => rm(w, { recursive: true, force: true })));
  });

  /** A build: its own slot and workspace. */
  async function build(): Promise<{ identity: SandboxIdentity; workspace: string }> {
    const lease = await pool.acquire();
    leases.push(lease);
    const identity = lease.identity as SandboxIdentity;
    const workspace = await mkdtemp(path.join(tmpdir(), 'sheen-limits-'));
    workspaces.push(workspace);
    await chown(workspace, identity.uid, identity.gid);
    return { identity, workspace };
  }

  const node = (
    b: { identity: SandboxIdentity; workspace: string },
    code: string,
    extra: { signal?: AbortSignal; onOutput?: (s: 'stdout' | 'stderr', t: string) => void } = {},
  ): Promise<RunResult> =>
    sandbox.run({
      command: process.execPath,
      args: ['-e', code],
      cwd: b.workspace,
      workspace: b.workspace,
      network: false,
      timeoutMs: 60_000,
      identity: b.identity,
      ...extra,
    });

  /** Starts the bomb and resolves once it is holding every process its limit allows. */
  async function detonate(b: { identity: SandboxIdentity; workspace: string }) {
    const stop = new AbortController();
    let reached!: () => void;
    const full = new Promise<void>((r) => (reached = r));
    let output = '';
    const done = node(b, BOMB, {
      signal: stop.signal,
      onOutput: (_s, text) => {
        output += text;
        if (output.includes('limit reached')) reached();
      },
    });
    await Promise.race([full, done]);
    return { stop, done, output: () => output };
  }

  async function othersSucceed(builds: Array<{ identity: SandboxIdentity; workspace: string }>) {
    const results = await Promise.all(
      builds.map((b) =>
        node(b, "require('child_process').execFileSync('/bin/true'); console.log('ok')"),
      ),
    );
    for (const r of results) {
      expect(r.stderr).not.toMatch(/Resource temporarily unavailable|EAGAIN/);
      expect({ exit: r.exitCode, out: r.stdout.trim() }).toEqual({ exit: 0, out: 'ok' });
    }
  }

  it("stops the bomb at its own limit while four other builds' processes run", async () => {
    const bomber = await build();
    const others = await Promise.all([build(), build(), build(), build()]);
    const bomb = await detonate(bomber);
    expect(bomb.output()).toMatch(/limit reached after \d+: EAGAIN/);
    await othersSucceed(others);
    bomb.stop.abort();
    expect((await bomb.done).killedBy).toBe('cancel');
  });

  it('counts limits per run even when every run shares one uid (a worker that is not root)', async () => {
    const shared = await build();
    const twin = async () => {
      const workspace = await mkdtemp(path.join(tmpdir(), 'sheen-limits-'));
      workspaces.push(workspace);
      await chown(workspace, shared.identity.uid, shared.identity.gid);
      return { identity: shared.identity, workspace };
    };
    const bomb = await detonate(shared);
    expect(bomb.output()).toMatch(/limit reached after \d+: EAGAIN/);
    await othersSucceed(await Promise.all([twin(), twin(), twin()]));
    bomb.stop.abort();
    await bomb.done;
  });
});
