import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, readText } from './files.js';

describe('reading what a build wrote', () => {
  let base: string;
  let root: string;
  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'rec-files-'));
    root = path.join(base, 'site');
    await mkdir(path.join(root, 'many'), { recursive: true });
    await mkdir(path.join(base, 'outside'));
    await writeFile(path.join(base, 'outside', 'secret.txt'), 'secret');
    await writeFile(path.join(root, 'index.html'), '<html></html>');
    await writeFile(path.join(root, 'big.txt'), 'x'.repeat(2000));
    // More files than one slice of the walk.
    for (let i = 0; i < 300; i += 1) await writeFile(path.join(root, 'many', `f${i}.js`), `${i}`);
    await symlink(path.join(base, 'outside'), path.join(root, 'linked-dir'));
    await symlink(path.join(base, 'outside', 'secret.txt'), path.join(root, 'linked.txt'));
    execFileSync('mkfifo', [path.join(root, 'pipe.txt')]);
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('lists regular files with their sizes, in order, past one slice of the walk', async () => {
    const { files, truncated } = await listFiles(root);
    expect(truncated).toBe(false);
    expect(files).toHaveLength(302);
    expect(files[0]).toEqual({ file: 'big.txt', bytes: 2000 });
    expect(files.map((f) => f.file)).toContain('many/f299.js');
    expect(files.map((f) => f.file).some((f) => /linked|pipe/.test(f))).toBe(false);
  });

  it('stops at maxFiles and says so; leaves out what is excluded', async () => {
    expect((await listFiles(root, () => false, { maxFiles: 10, maxDepth: 32 })).truncated).toBe(
      true,
    );
    const { files } = await listFiles(root, (rel) => rel === 'many');
    expect(files.map((f) => f.file)).toEqual(['big.txt', 'index.html']);
  });

  it('reads a file inside, and nothing through a link, a FIFO, .. or past maxBytes', async () => {
    expect(await readText(root, 'index.html', 100)).toBe('<html></html>');
    expect(await readText(root, 'big.txt', 100)).toBeUndefined();
    expect(await readText(root, 'linked.txt', 100)).toBeUndefined();
    expect(await readText(root, 'linked-dir/secret.txt', 100)).toBeUndefined();
    expect(await readText(root, '../outside/secret.txt', 100)).toBeUndefined();
    expect(await readText(root, 'pipe.txt', 100)).toBeUndefined();
    expect(await readText(path.join(base, 'missing'), 'index.html', 100)).toBeUndefined();
  });
});
