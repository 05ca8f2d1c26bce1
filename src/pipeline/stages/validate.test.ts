import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nativeTsc } from './validate.js';

const PLATFORM_PKG = `typescript-${process.platform}-${process.arch}`;

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

describe('nativeTsc', () => {
  let dir: string;
  let root: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'native-tsc-'));
    root = path.join(dir, 'ws');
    await mkdir(root);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A pnpm-style tree elsewhere, linked as the workspace's node_modules like the cache. */
  async function linkedTree(version: string, exeTarget?: string): Promise<string> {
    const tree = path.join(dir, 'cache', 'node_modules');
    const store = path.join(tree, '.pnpm', `typescript@${version}`, 'node_modules');
    await put(path.join(store, 'typescript', 'package.json'), JSON.stringify({ version }));
    await symlink(path.join(store, 'typescript'), path.join(tree, 'typescript'));
    const exe = path.join(store, '@typescript', PLATFORM_PKG, 'lib', 'tsc');
    if (exeTarget) {
      await mkdir(path.dirname(exe), { recursive: true });
      await symlink(exeTarget, exe);
    } else {
      await put(exe, '#!/bin/sh\n');
      await chmod(exe, 0o755);
    }
    await symlink(tree, path.join(root, 'node_modules'));
    return exe;
  }

  it("runs TypeScript 7's program itself, named through the workspace's node_modules", async () => {
    await linkedTree('7.0.2');
    expect(await nativeTsc(root)).toBe(
      path.join(
        root,
        'node_modules',
        '.pnpm',
        'typescript@7.0.2',
        'node_modules',
        '@typescript',
        PLATFORM_PKG,
        'lib',
        'tsc',
      ),
    );
  });

  it('finds it in a flat tree installed in the workspace', async () => {
    const modules = path.join(root, 'node_modules');
    await put(
      path.join(modules, 'typescript', 'package.json'),
      JSON.stringify({ version: '7.1.0' }),
    );
    await put(path.join(modules, '@typescript', PLATFORM_PKG, 'lib', 'tsc'), '#!/bin/sh\n');
    expect(await nativeTsc(root)).toBe(
      path.join(modules, '@typescript', PLATFORM_PKG, 'lib', 'tsc'),
    );
  });

  it('leaves older versions, and missing packages, to the bin script', async () => {
    expect(await nativeTsc(root)).toBeUndefined();
    await linkedTree('5.9.3');
    expect(await nativeTsc(root)).toBeUndefined();
  });

  it('never runs a program that links outside the dependency tree', async () => {
    const outside = path.join(dir, 'outside-tsc');
    await put(outside, '#!/bin/sh\n');
    await linkedTree('7.0.2', outside);
    expect(await nativeTsc(root)).toBeUndefined();
  });
});
