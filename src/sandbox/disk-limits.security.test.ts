import { chown, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { removeTree } from '../workspace/remove-tree.js';
import { createSandbox, findExecutable } from './create-sandbox.js';
import type { Sandbox } from './sandbox.js';

const MB = 1024 * 1024;
const LIMITS = {
  memoryMb: 1024,
  maxProcesses: 128,
  maxOutputBytes: 256 * 1024,
  maxFileBytes: 64 * MB,
  diskBytes: 16 * MB,
  tmpBytes: 8 * MB,
};
const hasBwrap = findExecutable('bwrap', process.env.PATH ?? '') !== undefined;
const kinds: Array<'bwrap' | 'process'> = hasBwrap ? ['bwrap', 'process'] : ['process'];
// A uid of its own, so other sandbox tests' process limits never get in the way.
const TEST_UID = 65_522;

/**
 * Writes `count` files of 1 MB each (every one far below the per-file limit) into the
 * directory the JavaScript expression `dir` names, then exits 0.
 */
const writeFiles = (dir: string, count: number, pauseMs = 0) => `
  const fs = require('fs');
  const dir = ${dir};
  fs.mkdirSync(dir, { recursive: true });
  const chunk = Buffer.alloc(${MB}, 7);
  const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  for (let i = 0; i < ${count}; i++) {
    fs.writeFileSync(require('path').join(dir, 'f' + i), chunk);
    if (${pauseMs}) sleep(${pauseMs});
  }
  console.log('wrote all');
`;

describe.each(kinds)('%s sandbox disk limits', (kind) => {
  let sandbox: Sandbox;
  let workspace: string;
  const scratchDir = path.join(tmpdir(), `sheen-disk-scratch-${kind}`);

  beforeAll(async () => {
    sandbox = await createSandbox({
      mode: kind,
      limits: LIMITS,
      scratchDir,
      toolPaths: [],
      systemPath: process.env.PATH ?? '',
      requireBwrap: false,
    });
  });
  beforeEach(async () => {
    workspace = await mkdtemp(path.join(tmpdir(), 'sheen-disk-sbx-'));
    if (process.getuid?.() === 0) await chown(workspace, TEST_UID, TEST_UID);
  });
  afterEach(async () => {
    await removeTree(workspace);
  });

  const node = (code: string, timeoutMs = 30_000) =>
    sandbox.run({
      command: process.execPath,
      args: ['-e', code],
      cwd: workspace,
      workspace,
      network: false,
      timeoutMs,
      ...(process.getuid?.() === 0 ? { identity: { uid: TEST_UID, gid: TEST_UID } } : {}),
    });

  it('stops a process that keeps writing small files past the quota', async () => {
    const started = Date.now();
    const result = await node(writeFiles("'dist'", 400, 5));
    expect(result.killedBy).toBe('disk');
    expect(result.exitCode).toBeNull();
    expect(result.stdout).not.toContain('wrote all');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('fails a run that went over the quota and exited before the next check', async () => {
    const result = await node(writeFiles("'out'", 24));
    // Usually the burst is over before the next poll and only the check after exit sees it;
    // on a loaded machine a poll may catch it first. Either way the run fails for its disk.
    expect(result.killedBy).toBe('disk');
    expect(result.exitCode).toBeNull();
  });

  it('lets a run under the quota finish normally', async () => {
    const result = await node(writeFiles("'dist'", 4));
    expect(result.killedBy).toBeUndefined();
    expect(result.exitCode).toBe(0);
  });

  it('gives /tmp a fixed size, so filling it costs the host no more RAM than that', async () => {
    const result = await node(`
        const fs = require('fs');
        let written = 0, error = 'none';
        // Stops at 4× the size, so a regression does not fill the host's RAM.
        try { while (written < ${4 * LIMITS.tmpBytes}) { fs.appendFileSync('/tmp/fill', Buffer.alloc(${MB})); written += ${MB}; } }
        catch (e) { error = e.code; }
        console.log(JSON.stringify({ written, error }));
      `);
    const report = JSON.parse(result.stdout.trim()) as { written: number; error: string };
    expect(report.error).toBe('ENOSPC');
    expect(report.written).toBeLessThanOrEqual(LIMITS.tmpBytes);
    // /tmp is not the workspace: it has its own bound and does not count against the disk.
    expect(result.killedBy).toBeUndefined();
    // The process runner's per-run scratch directory is gone with the run.
    expect(await readdir(scratchDir)).toEqual([]);
  });
});
