import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, findExecutable } from './create-sandbox.js';
import { UidPool, WorkerIdentity, type IdentityLease } from './identity-pool.js';
import type { Sandbox } from './sandbox.js';

const LIMITS = {
  memoryMb: 1024,
  maxProcesses: 128,
  maxOutputBytes: 256 * 1024,
  maxFileBytes: 64 * 1024 * 1024,
};
const SECRET = 'sk-' + 'ant-sandbox-test-secret-0123456789';
const hasBwrap = findExecutable('bwrap', process.env.PATH ?? '') !== undefined;
const kinds: Array<'bwrap' | 'process'> = hasBwrap ? ['bwrap', 'process'] : ['process'];

const root = process.getuid?.() === 0;
const NICE = 10;
// Where the kernel shares the CPU between sessions first, a run's session must be nice too.
const autogroups = (() => {
  try {
    return readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
  } catch {
    return false;
  }
})();
// Slots of their own, apart from every other test's (the pool kills whatever runs under a slot).
const identities = root ? new UidPool({ base: 421_000, count: 4 }) : new WorkerIdentity();

/** Live (not zombie) processes whose environment carries `marker`. */
function survivors(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state !== 'Z' && readFileSync(`/proc/${entry}/environ`, 'utf8').includes(marker)) {
        pids.push(Number(entry));
      }
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

function zombiesOf(uid: number): number {
  let n = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (/^State:\s+Z/m.test(status) && new RegExp(`^Uid:\\s+${uid}\\b`, 'm').test(status)) n++;
    } catch {
      // gone
    }
  }
  return n;
}

describe.each(kinds)('%s sandbox', (kind) => {
  let sandbox: Sandbox;
  let workspace: string;
  let server: Server;
  let port = 0;
  let lease: IdentityLease;

  beforeAll(async () => {
    // One slot for the whole suite, as a build holds one for all its steps.
    lease = await identities.acquire();
    process.env.SHEEN_SANDBOX_TEST_SECRET = SECRET;
    sandbox = await createSandbox({
      mode: kind,
      limits: LIMITS,
      scratchDir: path.join(tmpdir(), 'sheen-sandbox-scratch'),
      toolPaths: [],
      systemPath: process.env.PATH ?? '',
      requireBwrap: false,
      identities,
      nice: NICE,
    });
    workspace = await mkdtemp(path.join(tmpdir(), 'sheen-sbx-'));
    if (lease.identity) await chown(workspace, lease.identity.uid, lease.identity.gid);
    server = createServer((_req, res) => res.end('reachable'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    delete process.env.SHEEN_SANDBOX_TEST_SECRET;
    server.close();
    await lease.release();
    await rm(workspace, { recursive: true, force: true });
  });

  const node = (code: string, timeoutMs = 10_000, network = false) =>
    sandbox.run({
      command: process.execPath,
      args: ['-e', code],
      cwd: workspace,
      workspace,
      network,
      timeoutMs,
      ...(lease.identity ? { identity: lease.identity } : {}),
    });

  it('runs argv without a shell and reports the exit code', async () => {
    const result = await sandbox.run({
      command: process.execPath,
      args: ['-e', 'console.log(process.argv[1]); process.exit(3)', '$(touch pwned); `id`; --flag'],
      cwd: workspace,
      workspace,
      network: false,
      timeoutMs: 10_000,
      ...(lease.identity ? { identity: lease.identity } : {}),
    });
    expect(result.exitCode).toBe(3);
    expect(result.stdout.trim()).toBe('$(touch pwned); `id`; --flag');
    expect(existsSync(path.join(workspace, 'pwned'))).toBe(false);
  });

  it('runs every process at a lower CPU priority than the worker, its session too', async () => {
    // Read after a moment: the worker lowers the session's priority just after it starts.
    const result = await node(`
      const fs = require('fs');
      const { execFileSync } = require('child_process');
      setTimeout(() => {
        let group = 'none';
        try { group = fs.readFileSync('/proc/self/autogroup', 'utf8').trim(); } catch {}
        const child = execFileSync(process.execPath, ['-p', 'require("os").getPriority()']);
        console.log(JSON.stringify({ own: require('os').getPriority(), child: Number(child), group }));
      }, 300);
    `);
    expect(result.exitCode).toBe(0);
    const seen = JSON.parse(result.stdout) as { own: number; child: number; group: string };
    expect(seen.own).toBe(NICE);
    expect(seen.child).toBe(NICE);
    if (autogroups && root) expect(seen.group).toMatch(new RegExp(`nice ${NICE}$`));
  });

  it('shows no worker secret in the environment, /proc/1/environ or home', async () => {
    const result = await node(`
      const fs = require('fs');
      const out = [JSON.stringify(process.env)];
      for (const f of ['/proc/1/environ', '/proc/self/environ', '/root/.ssh/id_rsa', '/root/.bash_history']) {
        try { out.push(fs.readFileSync(f, 'utf8')); } catch (e) { out.push(f + ': ' + e.code); }
      }
      console.log(out.join('\\n'));
    `);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain(SECRET);
    expect(result.stdout).not.toContain('SHEEN_SANDBOX_TEST_SECRET');
    expect(result.stdout).toMatch(/\/root\/\.ssh\/id_rsa: E(ACCES|NOENT)/);
  });

  it('runs as an unprivileged user', async () => {
    const result = await node('console.log(process.getuid())');
    expect(Number(result.stdout.trim())).not.toBe(0);
  });

  it('kills an infinite loop at the timeout', async () => {
    const started = Date.now();
    const result = await node('for (;;) {}', 1500);
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('kills a fork loop and leaves no process behind', async () => {
    const marker = `sheen-fork-${kind}-${Date.now()}`;
    const result = await sandbox.run({
      command: '/bin/sh',
      args: ['-c', 'f() { sleep 30 & f; }; f'],
      cwd: workspace,
      workspace,
      env: { SHEEN_TEST_MARKER: marker },
      network: false,
      timeoutMs: 2000,
      ...(lease.identity ? { identity: lease.identity } : {}),
    });
    expect(result.exitCode === 0).toBe(false);
    await new Promise((r) => setTimeout(r, 500));
    expect(survivors(marker)).toEqual([]);
    // Killed children linger as zombies until PID 1 reaps them; wait so the next test's
    // processes are not refused by the process limit.
    const uid = lease.identity?.uid ?? process.getuid?.() ?? 0;
    for (let i = 0; i < 40 && zombiesOf(uid) > 0; i++) await new Promise((r) => setTimeout(r, 250));
  });

  it('stops a flood of output at the cap', async () => {
    // Blocking writes (fd 1 untouched by process.stdout): a loop of process.stdout.write
    // never yields, so it would only queue in memory once the pipe is full.
    const result = await node(
      'const fs = require("fs"); const s = "x".repeat(65536); for (;;) fs.writeSync(1, s);',
      20_000,
    );
    expect(result.killedBy).toBe('output');
    expect(result.stdout.length).toBeLessThanOrEqual(64 * 1024);
  });

  it('leaves nothing behind that setsid and double-forked away', async () => {
    const marker = `sheen-detach-${kind}-${Date.now()}`;
    const started = Date.now();
    const result = await node(`
      const { spawn } = require('child_process');
      const fs = require('fs');
      // The middle process starts a new session, forks the sleeper and exits at once.
      spawn('/usr/bin/setsid', ['/bin/sh', '-c', 'sleep 300 &'], {
        detached: true, stdio: 'ignore', env: { ...process.env, SHEEN_TEST_MARKER: '${marker}' },
      }).unref();
      const sleeping = () => fs.readdirSync('/proc').some((p) => {
        try { return fs.readFileSync('/proc/' + p + '/cmdline', 'utf8') === 'sleep\\x00300\\x00'; } catch { return false; }
      });
      const until = Date.now() + 3000;
      const wait = () => sleeping() ? console.log('sleeper running') : Date.now() < until ? setTimeout(wait, 20) : console.log('no sleeper');
      wait();
    `);
    expect(result.stdout).toContain('sleeper running');
    expect(result.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
    // Gone as soon as run() has resolved: no waiting for a reaper.
    expect(survivors(marker)).toEqual([]);
  });

  it('has no network unless asked, and writes nowhere but the workspace', async () => {
    const probe = `fetch('http://127.0.0.1:${port}/').then(r => r.text()).then(t => console.log(t), e => console.log('blocked', e.cause?.code ?? e.message))`;
    expect((await node(probe)).stdout).toContain('blocked');
    const marker = path.join(tmpdir(), `sheen-outside-${Date.now()}`);
    const write = await node(
      `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); require('fs').writeFileSync('inside.txt', 'ok')`,
    );
    expect(existsSync(marker)).toBe(false);
    expect(write.exitCode).toBe(0);
    expect(readFileSync(path.join(workspace, 'inside.txt'), 'utf8')).toBe('ok');
    const home = await node(`require('fs').writeFileSync('/usr/sheen-x', 'x')`);
    expect(home.exitCode).not.toBe(0);
  });
});
