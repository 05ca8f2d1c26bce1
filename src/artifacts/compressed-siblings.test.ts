import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isCompressedSibling,
  replacedBySiblings,
  precompress,
  writeCompressedSiblings,
  type WrittenSibling,
} from './compressed-siblings.js';
import { CompressionCache, type SiblingCache } from './compression-cache.js';
import { listTree } from './tarball.js';

/** The files of a listing that packaging hands on: all but what the siblings replace. */
function keptAsFound(files: string[]): string[] {
  const replaced = replacedBySiblings(files);
  return files.filter((rel) => !replaced(rel));
}

/** Compresses a site as packaging does: the files a walk finds, less the siblings it replaces. */
async function compressSite(
  root: string,
  exclude: (rel: string) => boolean = () => false,
  onWritten?: (siblings: readonly WrittenSibling[]) => void,
  { ahead = false } = {},
) {
  const { files } = await listTree(root, exclude);
  // As when the bundle ended before the type check: the copies were made in memory first.
  const made = ahead ? await precompress(root, files, 1024 * 1024) : undefined;
  return writeCompressedSiblings(root, keptAsFound([...files.keys()]), onWritten, { ahead: made });
}

/** Text that compresses well and is well over the 1 KB floor. */
const text = (label: string, times = 200) =>
  Array.from({ length: times }, (_, i) => `${label} line ${i}: const value = ${i % 7};\n`).join('');

describe('compressed siblings of a site', () => {
  let root: string;
  let outside: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sheen-siblings-'));
    outside = await mkdtemp(path.join(tmpdir(), 'sheen-outside-'));
    await mkdir(path.join(root, 'assets'), { recursive: true });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('writes .br and .gz that decompress to the file, and counts what they save', async () => {
    const js = text('js');
    const html = `<!doctype html>${text('html', 60)}`;
    await writeFile(path.join(root, 'assets', 'index-AbC12345.js'), js);
    await writeFile(path.join(root, 'index.html'), html);
    const stats = await compressSite(root);

    for (const [rel, original] of [
      ['assets/index-AbC12345.js', js],
      ['index.html', html],
    ] as const) {
      const file = path.join(root, rel);
      expect(brotliDecompressSync(await readFile(`${file}.br`)).toString()).toBe(original);
      expect(gunzipSync(await readFile(`${file}.gz`)).toString()).toBe(original);
    }
    const size = async (rel: string) => (await lstat(path.join(root, rel))).size;
    const brotli = (await size('assets/index-AbC12345.js.br')) + (await size('index.html.br'));
    const gzip = (await size('assets/index-AbC12345.js.gz')) + (await size('index.html.gz'));
    const original = Buffer.byteLength(js) + Buffer.byteLength(html);
    expect(stats).toMatchObject({
      files: 2,
      originalBytes: original,
      brotliBytes: brotli,
      gzipBytes: gzip,
      savedBytes: original - brotli,
    });
    expect(stats.savedBytes).toBeGreaterThan(original / 2);
  });

  it('leaves small files, binary types and text that does not shrink alone', async () => {
    await writeFile(path.join(root, 'small.css'), 'body{margin:0}');
    await writeFile(path.join(root, 'logo.png'), text('png'));
    // Random bytes named .js: compression cannot make them smaller.
    await writeFile(path.join(root, 'noise.js'), randomBytes(4096));
    const stats = await compressSite(root);
    expect(stats.files).toBe(0);
    for (const name of ['small.css', 'logo.png', 'noise.js']) {
      expect(existsSync(path.join(root, `${name}.br`)), name).toBe(false);
      expect(existsSync(path.join(root, `${name}.gz`)), name).toBe(false);
    }
  });

  it.each([
    ['compressed now', false],
    ['compressed ahead', true],
  ])(
    'replaces a sibling the build left, and never writes through a link (%s)',
    async (_, ahead) => {
      const js = text('app');
      await writeFile(path.join(root, 'app.js'), js);
      await writeFile(path.join(root, 'app.js.gz'), 'not gzip at all');
      const target = path.join(outside, 'victim.txt');
      await writeFile(target, 'untouched');
      await symlink(target, path.join(root, 'app.js.br'));
      // A stale sibling of a file too small to compress is dropped, not served.
      await writeFile(path.join(root, 'tiny.js'), 'x');
      await writeFile(path.join(root, 'tiny.js.br'), 'stale');

      // A folder in a sibling's place is removed with what it holds.
      await writeFile(path.join(root, 'page.html'), text('page'));
      await mkdir(path.join(root, 'page.html.gz'));
      await writeFile(path.join(root, 'page.html.gz', 'x.png'), 'x');

      await compressSite(root, undefined, undefined, { ahead });
      expect(await readFile(target, 'utf8')).toBe('untouched');
      expect(gunzipSync(await readFile(path.join(root, 'page.html.gz'))).toString()).toBe(
        text('page'),
      );
      expect((await lstat(path.join(root, 'app.js.br'))).isFile()).toBe(true);
      expect(brotliDecompressSync(await readFile(path.join(root, 'app.js.br'))).toString()).toBe(
        js,
      );
      expect(gunzipSync(await readFile(path.join(root, 'app.js.gz'))).toString()).toBe(js);
      expect(existsSync(path.join(root, 'tiny.js.br'))).toBe(false);
    },
  );

  it("says what the siblings replace: a stale copy, a folder in a copy's place and all it holds", () => {
    const files = [
      'app.js',
      'app.js.br',
      'page.html',
      'page.html.gz/x.png',
      'page.html.gz/deep/y.js',
      'photo.jpg',
      'photo.jpg.gz',
      'download.gz',
      'page.html.gzip/z.txt',
    ];
    const replaced = replacedBySiblings(files);
    expect(files.filter(replaced)).toEqual([
      'app.js.br',
      'page.html.gz/x.png',
      'page.html.gz/deep/y.js',
    ]);
    // Folders are entries of a listing too.
    expect(['page.html.gz', 'page.html.gz/deep', 'page.html.gzip'].map(replaced)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('does not follow a linked directory or touch excluded paths', async () => {
    await mkdir(path.join(outside, 'lib'));
    await writeFile(path.join(outside, 'lib', 'big.js'), text('outside'));
    await symlink(path.join(outside, 'lib'), path.join(root, 'lib'));
    await mkdir(path.join(root, 'node_modules'));
    await writeFile(path.join(root, 'node_modules', 'dep.js'), text('dep'));
    const stats = await compressSite(root, (rel) => rel.startsWith('node_modules'));
    expect(stats.files).toBe(0);
    expect(existsSync(path.join(outside, 'lib', 'big.js.br'))).toBe(false);
    expect(existsSync(path.join(root, 'node_modules', 'dep.js.br'))).toBe(false);
  });

  it("reports each file's siblings in the order of the files, whatever finishes first", async () => {
    // A large file first: with two files at a time, the small ones finish before it.
    await writeFile(path.join(root, 'a-large.js'), text('large', 4000));
    for (const name of ['b.css', 'c.html', 'd.js', 'e.svg'])
      await writeFile(path.join(root, name), text(name));
    const heard: string[] = [];
    await compressSite(root, undefined, (siblings) => heard.push(...siblings.map((s) => s.rel)));
    const files = ['a-large.js', 'b.css', 'c.html', 'd.js', 'e.svg'];
    expect(heard).toEqual(files.flatMap((f) => [`${f}.br`, `${f}.gz`]));
  });

  it('compresses ahead in memory only, and uses that work only for files still the same', async () => {
    const same = text('same');
    await writeFile(path.join(root, 'assets', 'same.js'), same);
    await writeFile(path.join(root, 'assets', 'changed.js'), text('before'));
    await writeFile(path.join(root, 'tiny.css'), 'a{}');
    await writeFile(path.join(root, 'logo.png'), randomBytes(4096));
    const { files } = await listTree(root, () => false);
    const ahead = await precompress(root, files, 1024 * 1024);
    // Nothing written, and only text over the floor compressed.
    expect([...(await listTree(root, () => false)).files.keys()].sort()).toEqual(
      [...files.keys()].sort(),
    );
    expect([...ahead.keys()].sort()).toEqual(['assets/changed.js', 'assets/same.js']);
    // Work made ahead for other bytes is not used: the file as it is now is compressed.
    const now = text('after');
    await writeFile(path.join(root, 'assets', 'changed.js'), now);
    const forged = new Map(ahead);
    const same0 = ahead.get('assets/same.js');
    if (!same0) throw new Error('no copy of same.js');
    forged.set('assets/same.js', { ...same0, gzip: gzipSync(Buffer.from(same), { level: 1 }) });
    const stats = await writeCompressedSiblings(root, keptAsFound([...files.keys()]), undefined, {
      ahead: forged,
    });
    const read = (rel: string) => readFile(path.join(root, rel));
    expect(gunzipSync(await read('assets/changed.js.gz')).toString()).toBe(now);
    expect(brotliDecompressSync(await read('assets/changed.js.br')).toString()).toBe(now);
    // The same bytes: the copies made ahead are the ones written.
    expect(await read('assets/same.js.gz')).toEqual(gzipSync(Buffer.from(same), { level: 1 }));
    expect(await read('assets/same.js.br')).toEqual(same0.br);
    expect(stats.files).toBe(2);
    // Over the memory bound: nothing is made ahead.
    expect((await precompress(root, files, 1000)).size).toBe(0);
  });

  it("takes a file's copies from the cache when the user's earlier site had the same bytes", async () => {
    const cache = new CompressionCache();
    const made: string[] = [];
    // Counts what is compressed, by the first line of the file.
    const counted = (scope: string): SiblingCache => ({
      copies: (bytes, make) =>
        cache.scope(scope).copies(bytes, () => {
          made.push(bytes.toString().split('\n')[0] ?? '');
          return make();
        }),
    });
    const vendor = text('vendor', 2000);
    const site = async (dir: string, app: string, scope: string, ahead: boolean) => {
      await mkdir(path.join(dir, 'assets'), { recursive: true });
      await writeFile(path.join(dir, 'assets', 'vendor.js'), vendor);
      await writeFile(path.join(dir, 'assets', 'app.js'), text(app, 1000));
      const { files } = await listTree(dir, () => false);
      const early = ahead ? await precompress(dir, files, 1024 * 1024, counted(scope)) : undefined;
      await writeCompressedSiblings(dir, [...files.keys()], undefined, {
        ...(early && { ahead: early }),
        cache: counted(scope),
      });
      const read = (rel: string) => readFile(path.join(dir, rel));
      expect(brotliDecompressSync(await read('assets/vendor.js.br')).toString()).toBe(vendor);
      expect(gunzipSync(await read('assets/vendor.js.gz')).toString()).toBe(vendor);
    };
    await site(path.join(root, 'one'), 'first', 'u1', false);
    await site(path.join(root, 'two'), 'second', 'u1', true);
    await site(path.join(root, 'three'), 'third', 'u1', false);
    // Another user's site compresses the same bytes itself.
    await site(path.join(outside, 'four'), 'fourth', 'u2', false);
    const firstLine = (label: string) => `${label} line 0: const value = 0;`;
    const vendorLine = firstLine('vendor');
    // Once for each user; each app's own file every time.
    expect(made.sort()).toEqual(
      [vendorLine, vendorLine, ...['first', 'second', 'third', 'fourth'].map(firstLine)].sort(),
    );
  });

  it('tells a sibling from a file of its own', () => {
    const names = new Set(['app.js', 'photo.png', 'notes.txt']);
    const has = (name: string) => names.has(name);
    expect(isCompressedSibling('app.js.br', has)).toBe(true);
    expect(isCompressedSibling('app.js.gz', has)).toBe(true);
    expect(isCompressedSibling('notes.txt.gz', has)).toBe(true);
    // Downloads: no original beside them, or an original that is never compressed.
    expect(isCompressedSibling('backup.tar.gz', has)).toBe(false);
    expect(isCompressedSibling('photo.png.gz', has)).toBe(false);
    expect(isCompressedSibling('other.js.br', has)).toBe(false);
  });
});
