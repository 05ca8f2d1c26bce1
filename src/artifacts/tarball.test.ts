import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  archiveFor,
  ArtifactLimitError,
  entryBytes,
  extractTarball,
  listTree,
  openArchive,
  packDirectory,
} from './tarball.js';

const MB = 1024 * 1024;

describe('packing build output', () => {
  let dir: string;
  let src: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-tar-'));
    src = path.join(dir, 'src');
    await mkdir(path.join(src, 'assets'), { recursive: true });
    await writeFile(path.join(src, 'index.html'), '<h1>ok</h1>');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('packs and unpacks files and folders', async () => {
    await writeFile(path.join(src, 'assets', 'app.js'), 'console.log(1)');
    const file = path.join(dir, 'site.tar.gz');
    const packed = await packDirectory(src, file, () => false, { maxBytes: MB });
    expect(packed.sizeBytes).toBeGreaterThan(0);
    await extractTarball(file, path.join(dir, 'out'));
    expect(await readFile(path.join(dir, 'out', 'assets', 'app.js'), 'utf8')).toBe(
      'console.log(1)',
    );
  });

  it('packs the same tree into the same bytes, each folder before what it holds', async () => {
    await mkdir(path.join(src, 'assets', 'img'));
    await writeFile(path.join(src, 'assets', 'img', 'logo.svg'), '<svg/>');
    await writeFile(path.join(src, 'assets', 'app.js'), 'console.log(1)');
    const first = await packDirectory(src, path.join(dir, 'one.tar.gz'));
    const second = await packDirectory(src, path.join(dir, 'two.tar.gz'));
    expect(second).toEqual(first);
    const names: string[] = [];
    await tar.list({ file: path.join(dir, 'one.tar.gz'), onReadEntry: (e) => names.push(e.path) });
    expect(names).toEqual([
      'index.html',
      'assets/',
      'assets/app.js',
      'assets/img/',
      'assets/img/logo.svg',
    ]);
  });

  it('packs a small tree on the event loop into the bytes the streaming path makes', async () => {
    await mkdir(path.join(src, 'assets', 'img'));
    await writeFile(path.join(src, 'assets', 'img', 'logo.svg'), '<svg/>');
    await writeFile(path.join(src, 'assets', 'app.js'), 'console.log(1)\n'.repeat(500));
    await symlink('/etc/passwd', path.join(src, 'assets', 'passwd'));
    const small = await packDirectory(src, path.join(dir, 'small.tar.gz'));
    const tree = await listTree(src, () => false);
    const streamed = openArchive(src, path.join(dir, 'streamed.tar.gz'));
    for (const rel of tree.entries) streamed.add(rel);
    expect(await streamed.finish(tree.tarBytes)).toEqual(small);
    expect(await readFile(path.join(dir, 'small.tar.gz'))).toEqual(
      await readFile(path.join(dir, 'streamed.tar.gz')),
    );
    const names: string[] = [];
    await tar.list({
      file: path.join(dir, 'small.tar.gz'),
      onReadEntry: (e) => names.push(e.path),
    });
    expect(names).not.toContain('assets/passwd');
  });

  it('unpacks small, highly compressed and large archives alike', async () => {
    const cases: Array<[string, Buffer]> = [
      ['small', Buffer.from('console.log(1)')],
      // Gzips to a few KB but unpacks past the in-loop bound: decompression stops, then streams.
      ['compressible', Buffer.from('abcdefgh'.repeat(768 * 1024))],
      ['large', randomBytes(1536 * 1024)],
    ];
    for (const [name, content] of cases) {
      await writeFile(path.join(src, 'assets', 'app.js'), content);
      const file = path.join(dir, `${name}.tar.gz`);
      await packDirectory(src, file);
      const out = path.join(dir, `out-${name}`);
      await extractTarball(file, out);
      // Buffer.equals: a deep comparison of megabytes takes vitest seconds.
      expect((await readFile(path.join(out, 'assets', 'app.js'))).equals(content)).toBe(true);
      expect(await readFile(path.join(out, 'index.html'), 'utf8')).toBe('<h1>ok</h1>');
    }
  });

  it('refuses an entry that climbs out of the folder, leaving nothing behind', async () => {
    const header = Buffer.alloc(512);
    new tar.Header({ path: '../evil.txt', type: 'File', size: 4, mode: 0o644 }).encode(header);
    const body = Buffer.concat([Buffer.from('evil'), Buffer.alloc(508)]);
    const file = path.join(dir, 'evil.tar.gz');
    await writeFile(file, gzipSync(Buffer.concat([header, body, Buffer.alloc(1024)])));
    const out = path.join(dir, 'out');
    await expect(extractTarball(file, out)).rejects.toThrow();
    expect(existsSync(path.join(dir, 'evil.txt'))).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  // archiveFor picks by size: a tree this small is archived in memory, one this large streams.
  const KINDS = [
    ['in memory', 0],
    ['streamed', Number.MAX_SAFE_INTEGER],
  ] as const;

  it.each(KINDS)(
    'archives files added after it started, and never a link put in place of one (%s)',
    async (_kind, size) => {
      await writeFile(path.join(src, 'assets', 'app.js'), 'console.log(1)');
      const tree = await listTree(src, () => false);
      const file = path.join(dir, 'site.tar.gz');
      const archive = archiveFor(src, file, size);
      for (const rel of tree.entries) archive.add(rel);
      await writeFile(path.join(src, 'late.txt'), 'written later');
      archive.add('late.txt');
      await symlink('/etc/passwd', path.join(src, 'link.txt'));
      archive.add('link.txt');
      await archive.finish(tree.tarBytes + entryBytes('late.txt', 13));
      await extractTarball(file, path.join(dir, 'out'));
      expect(await readFile(path.join(dir, 'out', 'late.txt'), 'utf8')).toBe('written later');
      expect(existsSync(path.join(dir, 'out', 'link.txt'))).toBe(false);
    },
  );

  it.each(KINDS)(
    'reports a file it cannot write when finishing, and stops cleanly when aborted (%s)',
    async (_kind, size) => {
      // The write fails at once; the failure must wait for finish, not escape the process.
      const unwritable = archiveFor(src, path.join(dir, 'missing', 'site.tar.gz'), size);
      unwritable.add('index.html');
      await new Promise((r) => setTimeout(r, 50));
      await expect(unwritable.finish(0)).rejects.toThrow(/ENOENT/);
      const aborted = archiveFor(src, path.join(dir, 'aborted.tar.gz'), size);
      aborted.add('index.html');
      await expect(aborted.abort()).resolves.toBeUndefined();
    },
  );

  it('stores the compressed part of an archive made in memory, and it unpacks with the rest', async () => {
    await writeFile(path.join(src, 'assets', 'app.js'), 'console.log(1);\n'.repeat(4096));
    // Stands for a sibling: whatever follows startCompressedPart is stored as it is.
    const sibling = Buffer.from('a'.repeat(100_000));
    await writeFile(path.join(src, 'assets', 'app.js.gz'), sibling);
    const tree = await listTree(src, (rel) => rel.endsWith('.gz'));
    const sizes: Record<string, number> = {};
    for (const [kind, size] of KINDS) {
      const file = path.join(dir, `${kind}.tar.gz`);
      const archive = archiveFor(src, file, size);
      for (const rel of tree.entries) archive.add(rel);
      archive.startCompressedPart();
      archive.add('assets/app.js.gz');
      const packed = await archive.finish(tree.tarBytes + entryBytes('assets/app.js.gz', 1e5));
      sizes[kind] = packed.sizeBytes;
      // Unpacked on the event loop (small) and streamed by node-tar, as a deployment would.
      for (const [how, unpack] of [
        ['loop', () => extractTarball(file, path.join(dir, `${kind}-loop`))],
        ['tar', () => tar.extract({ file, cwd: path.join(dir, `${kind}-tar`) })],
      ] as const) {
        await mkdir(path.join(dir, `${kind}-${how}`));
        await unpack();
        const out = path.join(dir, `${kind}-${how}`, 'assets');
        expect((await readFile(path.join(out, 'app.js.gz'))).equals(sibling)).toBe(true);
        expect(await readFile(path.join(out, 'app.js'), 'utf8')).toContain('console.log(1);');
      }
    }
    // Stored: the sibling's bytes are all there; the streamed archive deflated them too.
    expect(sizes['in memory']).toBeGreaterThan(100_000);
    expect(sizes.streamed).toBeLessThan(10_000);
  });

  it('refuses output larger than the limit before compressing anything', async () => {
    for (let i = 0; i < 4; i++) await writeFile(path.join(src, `part-${i}.bin`), Buffer.alloc(MB));
    const file = path.join(dir, 'site.tar.gz');
    const refused = await packDirectory(src, file, () => false, { maxBytes: 2 * MB }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ArtifactLimitError);
    expect((refused as ArtifactLimitError).reason).toBe('size');
    expect((refused as ArtifactLimitError).describe('The build output')).toMatch(
      /^The build output is 4\.0 MB, more than the 2\.0 MB one build may publish\.$/,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('refuses output that compresses too well for tar to unpack it again', async () => {
    // 64 MB of zeros gzip to ~64 KB: past node-tar's 1000:1 zip-bomb guard.
    await writeFile(path.join(src, 'filler.bin'), Buffer.alloc(64 * MB));
    const file = path.join(dir, 'site.tar.gz');
    const refused = await packDirectory(src, file).catch((e: unknown) => e);
    expect((refused as ArtifactLimitError).reason).toBe('ratio');
    // The guard it protects against: the same archive, unpacked, fails with that error.
    await tar.create({ gzip: true, file, cwd: src, portable: true }, ['.']);
    const unpacked = await extractTarball(file, path.join(dir, 'out')).catch((e: unknown) => e);
    expect(unpacked).toBeInstanceOf(ArtifactLimitError);
    expect((unpacked as ArtifactLimitError).reason).toBe('ratio');
  });
});
