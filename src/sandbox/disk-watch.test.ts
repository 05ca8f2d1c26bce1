import { execFileSync } from 'node:child_process';
import { link, mkdir, mkdtemp, open, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeTree } from '../workspace/remove-tree.js';
import { DiskScanner, DiskWatch, MIN_ENTRY_BYTES, measureDisk } from './disk-watch.js';

const MB = 1024 * 1024;
const DEEP_TREE = `const fs = require('fs');
for (let i = 0; i < 25; i++) { fs.mkdirSync('d'.repeat(200)); process.chdir('d'.repeat(200)); }
fs.writeFileSync('hidden', Buffer.alloc(1 << 20));`;

describe('disk usage of a build tree', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sheen-disk-'));
  });
  afterEach(async () => {
    expect(await removeTree(root)).toBe(true);
  });

  it('counts what files occupy, not what a symlink points to', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'sheen-disk-outside-'));
    try {
      await writeFile(path.join(outside, 'big'), Buffer.alloc(8 * MB, 1));
      await symlink(outside, path.join(root, 'node_modules'));
      await mkdir(path.join(root, 'dist'));
      await writeFile(path.join(root, 'dist', 'a.js'), Buffer.alloc(2 * MB, 1));
      const bytes = await measureDisk([root]);
      expect(bytes).toBeGreaterThanOrEqual(2 * MB);
      expect(bytes).toBeLessThan(3 * MB);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('charges a sparse file what it wrote, a hard link once, an empty file one block', async () => {
    const sparse = await open(path.join(root, 'sparse'), 'w');
    await sparse.truncate(512 * MB);
    await sparse.close();
    await writeFile(path.join(root, 'data'), Buffer.alloc(MB, 1));
    await link(path.join(root, 'data'), path.join(root, 'data-again'));
    for (let i = 0; i < 100; i++) await writeFile(path.join(root, `empty-${i}`), '');
    const bytes = await measureDisk([root]);
    expect(bytes).toBeLessThan(2 * MB);
    expect(bytes).toBeGreaterThanOrEqual(MB + 100 * MIN_ENTRY_BYTES);
  });

  it('examines a bounded number of entries per step', async () => {
    for (let i = 0; i < 50; i++) await writeFile(path.join(root, `f${i}`), 'x');
    const scanner = new DiskScanner([root]);
    let steps = 0;
    while (!(await scanner.step(10))) steps += 1;
    expect(steps).toBeGreaterThanOrEqual(4);
    expect(scanner.bytes).toBe(await measureDisk([root]));
  });

  it('treats a tree it cannot enter as over any limit', async () => {
    // Deeper than PATH_MAX: made through relative paths, as a hostile build would.
    execFileSync(process.execPath, ['-e', DEEP_TREE], { cwd: root });
    expect(await measureDisk([root])).toBe(Infinity);
    // …and what a plain recursive rm cannot remove still goes.
    await expect(rm(root, { recursive: true, force: true })).rejects.toThrow(/ENAMETOOLONG/);
  });
});

describe('watching a tree while a process writes', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sheen-watch-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('fires once the tree holds more than the quota', async () => {
    let fired = 0;
    const watch = new DiskWatch({ roots: [root], maxBytes: 4 * MB }, () => (fired += 1), {
      intervalMs: 20,
    }).start();
    for (let i = 0; i < 8 && fired === 0; i++) {
      await writeFile(path.join(root, `chunk-${i}`), Buffer.alloc(MB, 1));
      await new Promise((r) => setTimeout(r, 50));
    }
    for (let i = 0; i < 50 && fired === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(fired).toBe(1);
    expect(await watch.finish()).toBe(true);
    expect(fired).toBe(1);
  });

  it('catches at the end what was written between two polls', async () => {
    let fired = 0;
    const watch = new DiskWatch({ roots: [root], maxBytes: MB }, () => (fired += 1), {
      intervalMs: 60_000,
    }).start();
    await writeFile(path.join(root, 'burst'), Buffer.alloc(2 * MB, 1));
    expect(await watch.finish()).toBe(true);
    expect(fired).toBe(0);
  });

  it('stays quiet under the quota', async () => {
    let fired = 0;
    const watch = new DiskWatch({ roots: [root], maxBytes: 4 * MB }, () => (fired += 1), {
      intervalMs: 10,
    }).start();
    await writeFile(path.join(root, 'small'), Buffer.alloc(MB, 1));
    await new Promise((r) => setTimeout(r, 100));
    expect(await watch.finish()).toBe(false);
    expect(fired).toBe(0);
  });
});
