import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdChild } from './child.js';
import { createSandbox, findExecutable } from './create-sandbox.js';
import { UidPool, WorkerIdentity, type IdentityLease } from './identity-pool.js';
import type { Sandbox, SandboxIdentity } from './sandbox.js';

const hasBwrap = findExecutable('bwrap', process.env.PATH ?? '') !== undefined;
const root = process.getuid?.() === 0;
// Slots of their own, apart from every other test's (the pool kills whatever runs under a slot).
const identities = root ? new UidPool({ base: 423_000, count: 2 }) : new WorkerIdentity();

// The module a warm process loads ahead: it records what its directory held when it loaded
// (nothing: no build's files are there yet) and counts how often it is evaluated.
const PRELOAD = `
import { readdirSync } from 'node:fs';
globalThis.seenAtLoad = readdirSync(process.cwd());
globalThis.loads = (globalThis.loads ?? 0) + 1;
export const answer = 42;
`;
// A warm-up: what it was given, and where it may write; it says it is done in its directory.
const WARM_UP = `
import { writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
export default async function (modules) {
  writeFileSync(tmpdir() + '/scratch.txt', 'warm');
  globalThis.warmed = {
    answers: modules.map((m) => m.answer),
    loadsThen: globalThis.loads,
    tmp: readFileSync(tmpdir() + '/scratch.txt', 'utf8'),
  };
  // Done: the test hands over the work after this.
  writeFileSync('warmed.txt', '');
}
`;
// The work: imports the preloaded module again and reports what it sees.
const WORK = (tree: string) => `
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
const { answer } = await import(${JSON.stringify(path.join(tree, 'lib.mjs'))});
mkdirSync('dist', { recursive: true });
writeFileSync('dist/out.txt', readFileSync('src.txt', 'utf8').toUpperCase());
console.log(JSON.stringify({ answer, loads: globalThis.loads, seenAtLoad: globalThis.seenAtLoad,
  cwd: process.cwd(), argv: process.argv.slice(2), env: process.env.WARM_TEST,
  warmed: globalThis.warmed ?? null }));
`;

describe.runIf(hasBwrap)('warm Node processes (bubblewrap)', () => {
  let sandbox: Sandbox;
  let lease: IdentityLease;
  let base: string;
  let tree: string;
  let n = 0;

  beforeAll(async () => {
    lease = await identities.acquire();
    sandbox = await createSandbox({
      mode: 'bwrap',
      limits: { memoryMb: 1024, maxProcesses: 64, maxOutputBytes: 256 * 1024, maxFileBytes: 1e8 },
      scratchDir: path.join(tmpdir(), 'sheen-sandbox-scratch'),
      toolPaths: [],
      systemPath: process.env.PATH ?? '',
      requireBwrap: true,
      identities,
    });
    base = await mkdtemp(path.join(tmpdir(), 'sheen-warm-'));
    await chmod(base, 0o755);
    tree = path.join(base, 'tree');
    await mkdir(tree);
    await writeFile(path.join(tree, 'lib.mjs'), PRELOAD);
    await writeFile(path.join(tree, 'warm-up.mjs'), WARM_UP);
    // Loads the module, then says so in its own directory: the test hands over the work after.
    await writeFile(
      path.join(tree, 'marked.mjs'),
      `import './lib.mjs';\nimport { writeFileSync } from 'node:fs';\nwriteFileSync('loaded.txt', '');\n`,
    );
    await writeFile(
      path.join(tree, 'slow.mjs'),
      'await new Promise((r) => setTimeout(r, 1500));\nexport const answer = 42;\n',
    );
    await writeFile(path.join(tree, 'failing-warm-up.mjs'), 'export default () => { throw 1; };');
  });

  afterAll(async () => {
    await lease.release();
    await rm(base, { recursive: true, force: true });
  });

  /** A fresh workspace with a source file and the work script, owned by the lease's uid. */
  async function workspaceAndDir(): Promise<{ workspace: string; dir: string }> {
    n += 1;
    const workspace = path.join(base, `ws-${n}`);
    const dir = path.join(base, `warm-${n}`);
    await mkdir(workspace);
    await mkdir(dir);
    await writeFile(path.join(workspace, 'src.txt'), 'hello');
    await writeFile(path.join(workspace, 'work.mjs'), WORK(tree));
    await own([workspace, dir], lease.identity);
    return { workspace, dir };
  }

  function start(
    dir: string,
    preload = [path.join(tree, 'lib.mjs')],
    idleMs = 30_000,
    warmUp?: string,
  ) {
    if (!sandbox.startNode) throw new Error('bwrap sandbox cannot start warm processes');
    return sandbox.startNode({
      preload,
      ...(warmUp && { warmUp }),
      dir,
      env: { WARM_TEST: 'fixed-at-start' },
      readOnlyPaths: [tree],
      identity: lease.identity,
      idleMs,
    });
  }

  it('runs its work in the adopted workspace with its modules loaded once, before any file was there', async () => {
    const { workspace, dir } = await workspaceAndDir();
    const node = start(dir, [path.join(tree, 'marked.mjs')]);
    await waitFor(() => existsSync(path.join(dir, 'loaded.txt')));
    expect(await node.adopt(workspace)).toBe(true);
    // The workspace keeps its path; the process's own directory is gone from the host.
    expect(existsSync(dir)).toBe(false);
    expect((await readdir(workspace)).sort()).toEqual(['loaded.txt', 'src.txt', 'work.mjs']);
    const result = await node.run({
      args: [path.join(workspace, 'work.mjs'), 'build', '--flag'],
      timeoutMs: 20_000,
    });
    expect(result?.exitCode, result?.stderr).toBe(0);
    const report = JSON.parse(result?.stdout.trim() ?? '') as Record<string, unknown>;
    expect(report).toEqual({
      answer: 42,
      loads: 1,
      seenAtLoad: [],
      // Paths come back as the host names them.
      cwd: workspace,
      argv: ['build', '--flag'],
      env: 'fixed-at-start',
      warmed: null,
    });
    expect(await readFile(path.join(workspace, 'dist/out.txt'), 'utf8')).toBe('HELLO');
    // Once only: a second piece of work is the caller's to run as usual.
    expect(await node.run({ args: [path.join(workspace, 'work.mjs')], timeoutMs: 5000 })).toBe(
      undefined,
    );
    await node.discard();
    expect(existsSync(workspace)).toBe(true);
  });

  /**
   * Starts one with `warmUp`, hands it the work once `ready` is in its directory (at once
   * without), and says how the work ended.
   */
  async function workWithWarmUp(warmUp: string, preload = 'lib.mjs', ready?: string) {
    const { workspace, dir } = await workspaceAndDir();
    const node = start(dir, [path.join(tree, preload)], 30_000, path.join(tree, warmUp));
    if (ready) await waitFor(() => existsSync(path.join(dir, ready)));
    expect(await node.adopt(workspace)).toBe(true);
    const result = await node.run({ args: [path.join(workspace, 'work.mjs')], timeoutMs: 20_000 });
    await node.discard();
    expect(result?.exitCode, result?.stderr).toBe(0);
    return { workspace, result };
  }

  it('runs its warm-up on the loaded modules before the work, in a /tmp of its own', async () => {
    const { workspace, result } = await workWithWarmUp('warm-up.mjs', 'lib.mjs', 'warmed.txt');
    const report = JSON.parse(result?.stdout.trim() ?? '') as Record<string, unknown>;
    // The modules as loaded, once.
    expect(report.warmed).toEqual({ answers: [42], loadsThen: 1, tmp: 'warm' });
    expect(report.loads).toBe(1);
    // Its scratch file stayed in the sandbox's /tmp, not the workspace's or the host's.
    expect((await readdir(workspace)).sort()).toEqual([
      'dist',
      'src.txt',
      'warmed.txt',
      'work.mjs',
    ]);
  });

  it('skips its warm-up when the work came in while its modules loaded', async () => {
    const { result } = await workWithWarmUp('warm-up.mjs', 'slow.mjs');
    expect(JSON.parse(result?.stdout.trim() ?? '')).toMatchObject({ answer: 42, warmed: null });
  });

  it('runs the work as usual when its warm-up fails', async () => {
    const { workspace, result } = await workWithWarmUp('failing-warm-up.mjs');
    expect(result?.stderr).toBe('');
    expect(await readFile(path.join(workspace, 'dist/out.txt'), 'utf8')).toBe('HELLO');
  });

  it('reports a process whose modules would not load as not run, its workspace intact', async () => {
    const { workspace, dir } = await workspaceAndDir();
    const node = start(dir, [path.join(tree, 'missing.mjs')]);
    expect(await node.adopt(workspace)).toBe(true);
    const result = await node.run({ args: [path.join(workspace, 'work.mjs')], timeoutMs: 20_000 });
    expect(result, JSON.stringify(result)).toBeUndefined();
    expect((await readdir(workspace)).sort()).toEqual(['src.txt', 'work.mjs']);
    await node.discard();
  });

  it('stops a process left waiting past its idle time, and discarding removes its directory', async () => {
    const { workspace, dir } = await workspaceAndDir();
    const idle = start(dir, undefined, 200);
    await waitFor(() => idle.ended);
    expect(await idle.adopt(workspace)).toBe(false);
    expect((await readdir(workspace)).sort()).toEqual(['src.txt', 'work.mjs']);
    await idle.discard();
    expect(existsSync(dir)).toBe(false);
  });

  it('stops one that fills its directory before it has work, as any run over its disk', async () => {
    const small = await createSandbox({
      mode: 'bwrap',
      limits: {
        memoryMb: 1024,
        maxProcesses: 64,
        maxOutputBytes: 256 * 1024,
        maxFileBytes: 1e8,
        diskBytes: 4 * 1024 * 1024,
      },
      scratchDir: path.join(tmpdir(), 'sheen-sandbox-scratch'),
      toolPaths: [],
      systemPath: process.env.PATH ?? '',
      requireBwrap: true,
      identities,
    });
    await writeFile(
      path.join(tree, 'flood.mjs'),
      `import { writeFileSync } from 'node:fs';
       for (let i = 0; i < 64; i++) writeFileSync(process.cwd() + '/fill-' + i, Buffer.alloc(1 << 20));
       await new Promise(() => {});`,
    );
    const { dir } = await workspaceAndDir();
    const node = small.startNode?.({
      preload: [path.join(tree, 'flood.mjs')],
      dir,
      readOnlyPaths: [tree],
      identity: lease.identity,
      idleMs: 30_000,
    });
    const ended = (await node?.finished) as { killedBy?: string } | undefined;
    expect(ended?.killedBy).toBe('disk');
    await node?.discard();
    expect(existsSync(dir)).toBe(false);
  });

  it('stops its work on cancel', async () => {
    const { workspace, dir } = await workspaceAndDir();
    await writeFile(path.join(workspace, 'work.mjs'), 'setInterval(() => {}, 1000);');
    const node = start(dir);
    expect(await node.adopt(workspace)).toBe(true);
    const controller = new AbortController();
    const running = node.run({
      args: [path.join(workspace, 'work.mjs')],
      timeoutMs: 20_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 300);
    const result = await running;
    expect(result?.killedBy, JSON.stringify(result)).toBe('cancel');
    await node.discard();
  });
});

async function own(paths: string[], identity: SandboxIdentity | undefined): Promise<void> {
  if (identity) for (const p of paths) await chown(p, identity.uid, identity.gid);
}

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(done()).toBe(true);
}

/** A process held with nothing to do, stopped after `timeoutMs` unless told otherwise. */
function holdIdle(timeoutMs: number) {
  return holdChild({
    file: process.execPath,
    args: ['-e', 'setInterval(() => {}, 1000)'],
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeoutMs,
    maxOutputBytes: 1024,
  });
}

describe('a held process', () => {
  it('waits past its idle limit once told to wait longer', async () => {
    const held = holdIdle(300);
    held.wait(10_000);
    await new Promise((r) => setTimeout(r, 800));
    expect(held.ended).toBe(false);
    held.cancel();
    expect((await held.finished).timedOut).toBe(false);
  });

  it('takes no work once it is being stopped, though it has not ended yet', async () => {
    const held = holdIdle(30_000);
    await new Promise((r) => setTimeout(r, 200));
    // Stopped (as its idle time running out would), and handed work before its end is heard:
    // that end must not be reported as the work's.
    held.cancel();
    expect(held.ended).toBe(false);
    expect(await held.resume({ input: '{}', timeoutMs: 5000 })).toBeUndefined();
    expect((await held.finished).killedBy).toBe('cancel');
  });
});
