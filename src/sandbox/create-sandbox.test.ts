import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import {
  createSandbox,
  findExecutable,
  SandboxUnavailableError,
  type ProbeMemo,
} from './create-sandbox.js';
import { WorkerIdentity } from './identity-pool.js';

const limits = { memoryMb: 512, maxProcesses: 64, maxOutputBytes: 1024, maxFileBytes: 1024 };
const PATH = process.env.PATH ?? '/usr/bin:/bin';

describe('choosing a sandbox', () => {
  it('refuses to start without bubblewrap when it is required', async () => {
    const scratchDir = await mkdtemp(path.join(tmpdir(), 'sheen-choice-'));
    await expect(
      createSandbox({
        mode: 'auto',
        limits,
        scratchDir,
        toolPaths: [],
        systemPath: '/nonexistent',
        requireBwrap: true,
      }),
    ).rejects.toBeInstanceOf(SandboxUnavailableError);
    // Without bubblewrap and without namespaces, plain processes only when allowed.
    const without = {
      mode: 'auto' as const,
      limits,
      scratchDir,
      toolPaths: [],
      systemPath: '/nonexistent',
      requireBwrap: false,
    };
    await expect(createSandbox(without)).rejects.toThrow(/SANDBOX_ALLOW_UNSAFE/);
    const fallback = await createSandbox({ ...without, allowUnisolated: true });
    expect(fallback.kind).toBe('process');
    expect(fallback.limitations.join(' ')).toMatch(/plain child processes .*can read every file/);
  });

  it.runIf(process.platform === 'linux' && findExecutable('unshare', PATH) !== undefined)(
    'falls back to the namespaced process runner, and says what it does not isolate',
    async () => {
      const scratchDir = await mkdtemp(path.join(tmpdir(), 'sheen-choice-'));
      const sandbox = await createSandbox({
        mode: 'process',
        limits,
        scratchDir,
        toolPaths: [],
        systemPath: PATH,
        requireBwrap: false,
      });
      expect(sandbox.kind).toBe('process');
      expect(sandbox.limitations.join(' ')).toMatch(/namespaces set up by unshare/);
      expect(sandbox.limitations.join(' ')).not.toMatch(/can read every file/);
    },
  );

  it.runIf(process.platform === 'linux' && findExecutable('unshare', PATH) !== undefined)(
    'probes a setup once per memo, and remembers only setups whose probe passed',
    async () => {
      // The probe runs under identities from the pool: no new lease, no probe.
      let leases = 0;
      const identities = new (class extends WorkerIdentity {
        override acquire(signal?: AbortSignal) {
          leases += 1;
          return super.acquire(signal);
        }
      })();
      const probes: ProbeMemo = new Set();
      const root = await mkdtemp(path.join(tmpdir(), 'sheen-choice-'));
      const choice = (memoryMb: number) => ({
        mode: 'process' as const,
        limits: { ...limits, memoryMb },
        scratchDir: path.join(root, `scratch-${leases}`),
        toolPaths: [],
        systemPath: PATH,
        requireBwrap: false,
        allowUnisolated: true,
        identities,
        probes,
      });
      try {
        await createSandbox(choice(512));
        const afterProbe = leases;
        expect(afterProbe).toBeGreaterThan(0);
        const again = await createSandbox(choice(512));
        expect(again.limitations.join(' ')).not.toMatch(/namespaces do not work here/);
        expect(leases).toBe(afterProbe);
        // Node cannot start in 1 MB of data segment: that probe fails, every time it is asked.
        for (let i = 0; i < 2; i++) {
          const before = leases;
          const broken = await createSandbox(choice(1));
          expect(broken.limitations.join(' ')).toMatch(/namespaces do not work here/);
          expect(leases).toBeGreaterThan(before);
        }
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    },
  );

  it('requires bubblewrap in production unless explicitly allowed', () => {
    const secrets = { HMAC_SECRETS: 'a'.repeat(40), ADMIN_HMAC_SECRETS: 'b'.repeat(40) };
    expect(loadConfig({ NODE_ENV: 'production', ...secrets }).sandbox.requireBwrap).toBe(true);
    expect(
      loadConfig({ NODE_ENV: 'production', SANDBOX_ALLOW_PROCESS: 'true', ...secrets }).sandbox
        .requireBwrap,
    ).toBe(false);
    expect(loadConfig({}).sandbox.requireBwrap).toBe(false);
    expect(loadConfig({ SANDBOX: 'bwrap' }).sandbox.requireBwrap).toBe(true);
    expect(loadConfig({}).sandbox.allowUnisolated).toBe(false);
  });

  it('validates the sandbox uid range', () => {
    expect(loadConfig({}).sandbox.uids).toEqual({ base: 200_000, count: 64 });
    expect(() => loadConfig({ SANDBOX_UID_BASE: '1000' })).toThrow(
      /SANDBOX_UID_BASE: must be a whole number from 65536/,
    );
    expect(() => loadConfig({ SANDBOX_UID_COUNT: '0' })).toThrow(/SANDBOX_UID_COUNT/);
    expect(() => loadConfig({ BUILD_CONCURRENCY: '8', SANDBOX_UID_COUNT: '4' })).toThrow(
      /SANDBOX_UID_COUNT: must be at least 8 \(BUILD_CONCURRENCY\)/,
    );
    expect(() =>
      loadConfig({
        ARCH_MODE: 'modular',
        BUILD_CONCURRENCY: '2',
        AI_CONCURRENCY: '4',
        SANDBOX_UID_COUNT: '5',
      }),
    ).toThrow(/at least 6 \(BUILD_CONCURRENCY \+ AI_CONCURRENCY\)/);
  });
});
