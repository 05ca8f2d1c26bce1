import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INLINE_MAX_BYTES, INLINE_MAX_FILES } from './fs-ops.js';
import { DEFAULT_WORKSPACE_LIMITS, Workspace, WorkspaceError } from './workspace.js';

let base: string;
let rootDir: string;
let outside: string;

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'sheen-ws-'));
  rootDir = path.join(base, 'root');
  outside = path.join(base, 'outside');
  await fs.mkdir(outside);
});

afterEach(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WorkspaceError) return err.reason;
    throw err;
  }
  return 'accepted';
}

/** Every file anywhere under `base` except inside the workspace root. */
async function filesOutsideRoot(): Promise<string[]> {
  const all = await fs.readdir(base, { recursive: true });
  return all.filter((p) => !p.startsWith('root')).sort();
}

describe('Workspace paths', () => {
  const hostile: [string, string][] = [
    ['../x', 'traversal'],
    ['a/../../x', 'traversal'],
    ['a/..', 'traversal'],
    ['..', 'traversal'],
    ['/etc/passwd', 'absolute'],
    ['C:\\x', 'absolute'],
    ['c:/x', 'absolute'],
    ['\\\\server\\share\\x', 'absolute'],
    ['\\x', 'absolute'],
    ['a\\..\\x', 'traversal'],
    ['a\\b', 'invalid'],
    ['a\u0000b', 'nul'],
    ['%2e%2e/x', 'encoded'],
    ['%2E%2E%2Fx', 'encoded'],
    ['..%2fx', 'encoded'],
    ['a%5cb', 'encoded'],
    ['a%00b', 'encoded'],
    ['.git/config', 'protected'],
    ['.GIT/hooks/pre-commit', 'protected'],
    ['src/node_modules/x', 'protected'],
    ['node_modules/react/index.js', 'protected'],
    ['', 'invalid'],
    ['.', 'invalid'],
    ['./', 'invalid'],
    ['a\nb', 'invalid'],
    ['x'.repeat(256), 'invalid'],
    [`${'a/'.repeat(2100)}x`, 'invalid'],
  ];

  it.each(hostile)('refuses %j with reason %s and writes nothing outside', async (p, reason) => {
    const ws = await Workspace.create(rootDir);
    expect(() => ws.resolve(p)).toThrow(WorkspaceError);
    expect(await reasonOf(ws.writeFile(p, 'pwned'))).toBe(reason);
    expect(await reasonOf(ws.readFile(p))).toBe(reason);
    expect(await reasonOf(ws.deleteFile(p))).toBe(reason);
    expect(await reasonOf(ws.exists(p))).toBe(reason);
    expect(await filesOutsideRoot()).toEqual(['outside']);
    expect(await ws.listFiles()).toEqual([]);
  });

  it('reports the offending path on the error without the host root', async () => {
    const ws = await Workspace.create(rootDir);
    const err = await ws.writeFile('../escape', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkspaceError);
    expect((err as WorkspaceError).path).toBe('../escape');
    expect((err as WorkspaceError).message).not.toContain(base);
  });

  it('allows percent signs that do not encode separators, and dotted names', async () => {
    const ws = await Workspace.create(rootDir);
    await ws.writeFile('100%41.txt', 'a');
    await ws.writeFile('50%.txt', 'b');
    await ws.writeFile('.env.example', 'c');
    await ws.writeFile('a..b/..c', 'd');
    expect(await ws.listFiles()).toEqual(['.env.example', '100%41.txt', '50%.txt', 'a..b/..c']);
  });

  it('normalises "./" prefixes and doubled slashes inside the root', async () => {
    const ws = await Workspace.create(rootDir);
    expect(ws.resolve('./src//App.tsx')).toBe(path.join(ws.root, 'src', 'App.tsx'));
    await ws.writeFile('./src//App.tsx', 'x');
    expect(await ws.readFile('src/App.tsx')).toBe('x');
  });
});

describe('Workspace symlinks', () => {
  it('refuses writes and reads through a symlinked directory pointing outside', async () => {
    const ws = await Workspace.create(rootDir);
    await fs.symlink(outside, path.join(ws.root, 'linked'));
    expect(await reasonOf(ws.writeFile('linked/evil.txt', 'pwned'))).toBe('symlink');
    expect(await reasonOf(ws.writeFile('linked/deep/evil.txt', 'pwned'))).toBe('symlink');
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    expect(await reasonOf(ws.readFile('linked/secret.txt'))).toBe('symlink');
    expect(await reasonOf(ws.deleteFile('linked/secret.txt'))).toBe('symlink');
    expect(await reasonOf(ws.exists('linked/secret.txt'))).toBe('symlink');
    expect(await fs.readdir(outside)).toEqual(['secret.txt']);
    expect(await fs.readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret');
  });

  it('refuses a symlinked file pointing to an outside file and leaves it unchanged', async () => {
    const ws = await Workspace.create(rootDir);
    const target = path.join(outside, 'passwd');
    await fs.writeFile(target, 'original');
    await fs.mkdir(path.join(ws.root, 'src'));
    await fs.symlink(target, path.join(ws.root, 'src', 'data.txt'));
    expect(await reasonOf(ws.writeFile('src/data.txt', 'pwned'))).toBe('symlink');
    expect(await reasonOf(ws.readFile('src/data.txt'))).toBe('symlink');
    expect(await reasonOf(ws.deleteFile('src/data.txt'))).toBe('symlink');
    expect(await fs.readFile(target, 'utf8')).toBe('original');
  });

  it('refuses a symlink even when it points inside the root', async () => {
    const ws = await Workspace.create(rootDir);
    await ws.writeFile('real.txt', 'x');
    await fs.symlink(path.join(ws.root, 'real.txt'), path.join(ws.root, 'alias.txt'));
    expect(await reasonOf(ws.readFile('alias.txt'))).toBe('symlink');
  });

  it('refuses a hard link to an outside file', async () => {
    const ws = await Workspace.create(rootDir);
    const target = path.join(outside, 'shared.txt');
    await fs.writeFile(target, 'original');
    await fs.link(target, path.join(ws.root, 'shared.txt'));
    expect(await reasonOf(ws.writeFile('shared.txt', 'pwned'))).toBe('symlink');
    expect(await reasonOf(ws.readFile('shared.txt'))).toBe('symlink');
    expect(await fs.readFile(target, 'utf8')).toBe('original');
  });

  it('listFiles never follows symlinks', async () => {
    const ws = await Workspace.create(rootDir);
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    await fs.symlink(outside, path.join(ws.root, 'linked'));
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(ws.root, 'file-link'));
    await ws.writeFile('ok.txt', 'ok');
    expect(await ws.listFiles()).toEqual(['ok.txt']);
    expect(await reasonOf(ws.listFiles('linked'))).toBe('symlink');
  });

  it('opens a root reached through a symlink and stores its real path', async () => {
    await fs.mkdir(rootDir);
    const alias = path.join(base, 'alias');
    await fs.symlink(rootDir, alias);
    const ws = await Workspace.open(alias);
    expect(ws.root).toBe(await fs.realpath(rootDir));
    await ws.writeFile('a.txt', 'a');
    expect(await fs.readFile(path.join(rootDir, 'a.txt'), 'utf8')).toBe('a');
  });
});

describe('Workspace limits', () => {
  it('uses the documented defaults', () => {
    expect(DEFAULT_WORKSPACE_LIMITS).toEqual({
      maxFileBytes: 2 * 1024 * 1024,
      maxTotalBytes: 50 * 1024 * 1024,
      maxFiles: 2000,
    });
  });

  it('refuses a file over the per-file limit, counting UTF-8 bytes', async () => {
    const ws = await Workspace.create(rootDir, { maxFileBytes: 10 });
    await ws.writeFile('ok.txt', 'x'.repeat(10));
    expect(await reasonOf(ws.writeFile('big.txt', 'é'.repeat(6)))).toBe('too_large');
    expect(await ws.exists('big.txt')).toBe(false);
  });

  it('enforces the total, counting overwrites and deletes', async () => {
    const ws = await Workspace.create(rootDir, { maxTotalBytes: 20 });
    await ws.writeFile('a.txt', 'x'.repeat(10));
    await ws.writeFile('b.txt', 'x'.repeat(10));
    expect(await reasonOf(ws.writeFile('c.txt', 'x'))).toBe('too_large');
    await ws.writeFile('a.txt', 'x'.repeat(5)); // shrinking an existing file frees room
    await ws.writeFile('c.txt', 'x'.repeat(5));
    expect(await ws.totalBytes()).toBe(20);
    await ws.deleteFile('b.txt');
    expect(await ws.totalBytes()).toBe(10);
    await ws.writeFile('d.txt', new Uint8Array(10));
    expect(await ws.totalBytes()).toBe(20);
  });

  it('enforces the file count, allowing overwrites at the limit', async () => {
    const ws = await Workspace.create(rootDir, { maxFiles: 2 });
    await ws.writeFile('a.txt', 'a');
    await ws.writeFile('b.txt', 'b');
    expect(await reasonOf(ws.writeFile('c.txt', 'c'))).toBe('too_many');
    await ws.writeFile('a.txt', 'again');
    await ws.deleteFile('b.txt');
    await ws.writeFile('c.txt', 'c');
    expect(await ws.listFiles()).toEqual(['a.txt', 'c.txt']);
  });

  it('initialises the totals from disk on open, ignoring node_modules and .git', async () => {
    await fs.mkdir(path.join(rootDir, 'src'), { recursive: true });
    await fs.writeFile(path.join(rootDir, 'src', 'a.ts'), 'x'.repeat(100));
    await fs.mkdir(path.join(rootDir, 'node_modules', 'react'), { recursive: true });
    await fs.writeFile(path.join(rootDir, 'node_modules', 'react', 'index.js'), 'x'.repeat(5000));
    await fs.mkdir(path.join(rootDir, '.git'));
    await fs.writeFile(path.join(rootDir, '.git', 'HEAD'), 'x'.repeat(5000));
    const ws = await Workspace.open(rootDir, { maxTotalBytes: 150, maxFiles: 2 });
    expect(await ws.totalBytes()).toBe(100);
    await ws.writeFile('b.ts', 'x'.repeat(40));
    expect(await reasonOf(ws.writeFile('c.ts', 'x'))).toBe('too_many');
    expect(await reasonOf(ws.writeFile('b.ts', 'x'.repeat(51)))).toBe('too_large');
    await ws.writeFile('b.ts', 'x'.repeat(50));
    expect(await ws.totalBytes()).toBe(150);
  });

  it('keeps limits exact under concurrent writes', async () => {
    const ws = await Workspace.create(rootDir, { maxFiles: 5 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => ws.writeFile(`f${i}.txt`, 'x')),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(await ws.listFiles()).toHaveLength(5);
  });

  it('rejects nonsensical limits', async () => {
    await expect(Workspace.create(rootDir, { maxFiles: 0 })).rejects.toThrow(RangeError);
  });
});

describe('Workspace writeFiles (one batch)', () => {
  it('writes nested files in new and existing folders, and counts them once', async () => {
    const ws = await Workspace.create(rootDir, { maxFiles: 4 });
    await ws.writeFile('src/old.ts', 'x'.repeat(10));
    await ws.writeFiles([
      ['src/old.ts', 'y'.repeat(4)],
      ['src/components/a.tsx', 'a'],
      ['public/img/b.svg', 'bb'],
      ['./src//c.ts', 'c'],
    ]);
    expect(await ws.listFiles()).toEqual([
      'public/img/b.svg',
      'src/c.ts',
      'src/components/a.tsx',
      'src/old.ts',
    ]);
    expect(await ws.readFile('src/old.ts')).toBe('yyyy');
    expect(await ws.totalBytes()).toBe(8);
    expect(await reasonOf(ws.writeFiles([['d.ts', 'd']]))).toBe('too_many');
  });

  it('lets a later entry for the same path replace an earlier one', async () => {
    const ws = await Workspace.create(rootDir, { maxFiles: 1 });
    await ws.writeFiles([
      ['a.txt', 'first'],
      ['./a.txt', 'second'],
    ]);
    expect(await ws.readFile('a.txt')).toBe('second');
    expect(await ws.totalBytes()).toBe(6);
  });

  it('writes nothing when any entry is refused: path, size, total, count or symlink', async () => {
    await fs.mkdir(rootDir);
    await fs.symlink(outside, path.join(rootDir, 'linked'));
    const ws = await Workspace.open(rootDir, { maxFileBytes: 10, maxTotalBytes: 15, maxFiles: 3 });
    const ok: [string, string] = ['src/ok.ts', 'ok'];
    const refused: Array<[[string, string], string]> = [
      [['../escape.txt', 'x'], 'traversal'],
      [['node_modules/x.js', 'x'], 'protected'],
      [['big.txt', 'x'.repeat(11)], 'too_large'],
      [['linked/evil.txt', 'pwned'], 'symlink'],
      [['linked/deep/evil.txt', 'pwned'], 'symlink'],
    ];
    for (const [entry, reason] of refused) {
      expect(await reasonOf(ws.writeFiles([ok, entry]))).toBe(reason);
    }
    expect(
      await reasonOf(ws.writeFiles([ok, ['b.txt', 'x'.repeat(9)], ['c.txt', 'x'.repeat(9)]])),
    ).toBe('too_large');
    expect(await reasonOf(ws.writeFiles([ok, ['b', 'b'], ['c', 'c'], ['d', 'd']]))).toBe(
      'too_many',
    );
    expect(await ws.listFiles()).toEqual([]);
    expect(await ws.totalBytes()).toBe(0);
    expect(await fs.readdir(outside)).toEqual([]);
  });

  it('refuses a symlinked target and a hard link, leaving the outside files unchanged', async () => {
    const ws = await Workspace.create(rootDir);
    const target = path.join(outside, 'passwd');
    await fs.writeFile(target, 'original');
    await fs.symlink(target, path.join(ws.root, 'soft.txt'));
    await fs.link(target, path.join(ws.root, 'hard.txt'));
    expect(
      await reasonOf(
        ws.writeFiles([
          ['a.txt', 'a'],
          ['soft.txt', 'pwned'],
        ]),
      ),
    ).toBe('symlink');
    expect(
      await reasonOf(
        ws.writeFiles([
          ['a.txt', 'a'],
          ['hard.txt', 'pwned'],
        ]),
      ),
    ).toBe('symlink');
    expect(await fs.readFile(target, 'utf8')).toBe('original');
  });

  it('refuses a directory in place of a file, and a file in place of a folder', async () => {
    const ws = await Workspace.create(rootDir);
    await ws.writeFile('src/a.ts', 'a');
    expect(await reasonOf(ws.writeFiles([['src', 'x']]))).toBe('invalid');
    await expect(ws.writeFiles([['src/a.ts/b.ts', 'x']])).rejects.toThrow();
    expect(await ws.listFiles()).toEqual(['src/a.ts']);
  });

  it('recounts from disk when a write fails half-way', async () => {
    const ws = await Workspace.create(rootDir);
    await ws.writeFile('keep.txt', 'x'.repeat(7));
    // A socket passes the walk (not a folder, not a link), and no one can open it: even root
    // gets ENXIO, so the batch fails after its other file may have been written.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(ws.root, 'sock'), resolve));
    try {
      await expect(
        ws.writeFiles([
          ['fine.txt', 'abc'],
          ['sock', 'no'],
        ]),
      ).rejects.toThrow(/ENXIO/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const files = await ws.listFiles();
    const sizes = await Promise.all(files.map((f) => fs.stat(path.join(ws.root, f))));
    expect(await ws.totalBytes()).toBe(sizes.reduce((sum, stat) => sum + stat.size, 0));
  });
});

describe('Workspace listFiles', () => {
  it('lists recursively, sorted, as POSIX paths, skipping build and dependency dirs', async () => {
    const ws = await Workspace.create(rootDir);
    await ws.writeFile('src/components/Button.tsx', 'b');
    await ws.writeFile('src/App.tsx', 'a');
    await ws.writeFile('index.html', 'i');
    await ws.writeFile('public/favicon.svg', 'f');
    for (const dir of ['dist', 'build', 'out', '.next']) await ws.writeFile(`${dir}/x.js`, 'x');
    await fs.mkdir(path.join(ws.root, 'node_modules', 'x'), { recursive: true });
    await fs.writeFile(path.join(ws.root, 'node_modules', 'x', 'i.js'), '');
    await fs.mkdir(path.join(ws.root, '.git'));
    await fs.writeFile(path.join(ws.root, '.git', 'HEAD'), '');
    expect(await ws.listFiles()).toEqual([
      'index.html',
      'public/favicon.svg',
      'src/App.tsx',
      'src/components/Button.tsx',
    ]);
  });

  it('lists a subdirectory with root-relative paths, and [] for a missing one', async () => {
    const ws = await Workspace.create(rootDir);
    await ws.writeFile('src/a/b.ts', '');
    await ws.writeFile('src/c.ts', '');
    await ws.writeFile('other.ts', '');
    expect(await ws.listFiles('src')).toEqual(['src/a/b.ts', 'src/c.ts']);
    expect(await ws.listFiles('src/')).toEqual(['src/a/b.ts', 'src/c.ts']);
    expect(await ws.listFiles('.')).toEqual(['other.ts', 'src/a/b.ts', 'src/c.ts']);
    expect(await ws.listFiles('missing')).toEqual([]);
    expect(await ws.listFiles('other.ts')).toEqual([]);
    expect(await ws.listFiles('dist')).toEqual([]);
    expect(await reasonOf(ws.listFiles('../'))).toBe('traversal');
    expect(await reasonOf(ws.listFiles('node_modules'))).toBe('protected');
  });
});

describe('Workspace happy paths', () => {
  it('writes nested files, reads them back, deletes them', async () => {
    const ws = await Workspace.create(rootDir);
    await ws.writeFile('src/deep/er/file.ts', 'export const x = 1;\n');
    expect(await ws.exists('src/deep/er/file.ts')).toBe(true);
    expect(await ws.exists('src/deep')).toBe(true);
    expect(await ws.readFile('src/deep/er/file.ts')).toBe('export const x = 1;\n');
    await ws.deleteFile('src/deep/er/file.ts');
    await ws.deleteFile('src/deep/er/file.ts'); // idempotent
    expect(await ws.exists('src/deep/er/file.ts')).toBe(false);
  });

  it('handles unicode names and content', async () => {
    const ws = await Workspace.create(rootDir);
    await ws.writeFile('src/日本語/café ☕.md', 'héllo 🌍');
    expect(await ws.readFile('src/日本語/café ☕.md')).toBe('héllo 🌍');
    expect(await ws.listFiles()).toEqual(['src/日本語/café ☕.md']);
    expect(await ws.totalBytes()).toBe(Buffer.byteLength('héllo 🌍'));
  });

  it('writes binary content and overwrites with truncation', async () => {
    const ws = await Workspace.create(rootDir);
    await ws.writeFile('img.bin', new Uint8Array([1, 2, 3, 4]));
    await ws.writeFile('img.bin', new Uint8Array([9]));
    expect([...(await fs.readFile(path.join(ws.root, 'img.bin')))]).toEqual([9]);
  });

  it('refuses to treat directories as files', async () => {
    const ws = await Workspace.create(rootDir);
    await ws.writeFile('src/a.ts', '');
    expect(await reasonOf(ws.writeFile('src', 'x'))).toBe('invalid');
    expect(await reasonOf(ws.readFile('src'))).toBe('invalid');
    expect(await reasonOf(ws.deleteFile('src'))).toBe('invalid');
  });

  it('raises ENOENT for a missing file', async () => {
    const ws = await Workspace.create(rootDir);
    const err = await ws.readFile('nope.txt').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENOENT', message: 'No such file: nope.txt' });
  });

  it('open refuses a missing root; create makes it', async () => {
    expect(await reasonOf(Workspace.open(rootDir))).toBe('invalid');
    const ws = await Workspace.create(path.join(rootDir, 'a', 'b'));
    expect((await fs.stat(ws.root)).isDirectory()).toBe(true);
  });

  it('tools() exposes bound functions that engines may destructure', async () => {
    const ws = await Workspace.create(rootDir);
    // Destructuring is exactly what this test proves safe: the adapter's functions are arrows.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const { writeFile, readFile, listFiles, deleteFile } = ws.tools();
    await writeFile('a.txt', 'A');
    expect(await readFile('a.txt')).toBe('A');
    expect(await listFiles()).toEqual(['a.txt']);
    await deleteFile('a.txt');
    expect(await listFiles()).toEqual([]);
    expect(await reasonOf(writeFile('../x', 'x'))).toBe('traversal');
    expect(await filesOutsideRoot()).toEqual(['outside']);
  });
});

/** Past these a batch goes through libuv's pool (fs-ops.ts): the same checks hold there. */
describe('Workspace writeFiles of a large batch (written through the pool)', () => {
  const padding: [string, string] = ['pad.txt', 'p'.repeat(INLINE_MAX_BYTES)];

  it('writes nested files and counts them, past the inline byte and file bounds', async () => {
    const ws = await Workspace.create(rootDir);
    await ws.writeFiles([padding, ['src/deep/a.ts', 'a']]);
    const many = Array.from({ length: INLINE_MAX_FILES + 1 }, (_, i): [string, string] => [
      `many/f${i}.txt`,
      'x',
    ]);
    await ws.writeFiles(many);
    expect((await ws.listFiles()).length).toBe(INLINE_MAX_FILES + 3);
    expect(await ws.readFile('src/deep/a.ts')).toBe('a');
    expect(await ws.totalBytes()).toBe(INLINE_MAX_BYTES + 1 + INLINE_MAX_FILES + 1);
  });

  it('refuses a symlinked folder, a symlinked target and a hard link', async () => {
    const ws = await Workspace.create(rootDir);
    const target = path.join(outside, 'passwd');
    await fs.writeFile(target, 'original');
    await fs.symlink(outside, path.join(ws.root, 'linked'));
    await fs.symlink(target, path.join(ws.root, 'soft.txt'));
    await fs.link(target, path.join(ws.root, 'hard.txt'));
    for (const name of ['linked/evil.txt', 'linked/deep/evil.txt', 'soft.txt', 'hard.txt']) {
      expect(await reasonOf(ws.writeFiles([padding, [name, 'pwned']]))).toBe('symlink');
    }
    expect(await fs.readFile(target, 'utf8')).toBe('original');
    expect(await fs.readdir(outside)).toEqual(['passwd']);
    expect(await ws.listFiles()).toEqual(['hard.txt']);
  });
});
