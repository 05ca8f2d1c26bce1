import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { isAppError } from '../errors.js';
import {
  expandingDeflate,
  expandingTarGz,
  tar,
  tarGz,
  zip,
  type TarEntry,
} from '../../test/support/archives.js';
import { unpackArchive, type UnpackLimits } from './unpack.js';

const LIMITS: UnpackLimits = {
  maxUnpackedBytes: 200 * 1024 * 1024,
  maxFiles: 5000,
  maxRatio: 100,
};
const PKG: TarEntry = { name: 'app/package.json', body: '{"name":"app"}' };

let base: string;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'sheen-import-'));
});

/** A fresh folder to unpack into, as the import service makes for each upload. */
const workDir = () => mkdtemp(path.join(base, 'work-'));
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

let lastWork = '';

/** Every path under `base`: all must be inside `work` for a refusal to be clean. */
async function everything(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    out.push(full);
    if (entry.isDirectory()) out.push(...(await everything(full)));
  }
  return out;
}

async function refusal(archive: Buffer, limits = LIMITS) {
  const work = await workDir();
  lastWork = work;
  const err = await unpackArchive(archive, work, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(err)) throw new Error(`expected a refusal, got ${String(err)}`);
  const outside = (await everything(base)).filter(
    (file) => !path.relative(base, file).startsWith('work-'),
  );
  expect(outside).toEqual([]);
  return err;
}

describe('hostile archives are refused with a code naming the entry', () => {
  it('zip slip (../) in a zip and in a tar.gz', async () => {
    const fromZip = await refusal(zip([{ name: '../evil.txt', body: 'x' }]));
    expect(fromZip.code).toBe('IMPORT_UNSAFE_ENTRY');
    expect(fromZip.message).toContain('../evil.txt');
    const fromTar = await refusal(tarGz([PKG, { name: 'app/../../evil.txt', body: 'x' }]));
    expect(fromTar.code).toBe('IMPORT_UNSAFE_ENTRY');
    expect(fromTar.message).toContain('app/../../evil.txt');
    await expect(stat(path.join(base, 'evil.txt'))).rejects.toThrow();
    await expect(stat(path.join(os.tmpdir(), 'evil.txt'))).rejects.toThrow();
  });

  it('a symlink to /etc, in a tar and in a zip', async () => {
    const fromTar = await refusal(
      tarGz([
        PKG,
        { name: 'app/etc', type: '2', linkName: '/etc' },
        { name: 'app/etc/x', body: 'x' },
      ]),
    );
    expect(fromTar.code).toBe('IMPORT_UNSAFE_ENTRY');
    expect(fromTar.message).toContain('"app/etc"');
    expect(fromTar.message).toContain('SymbolicLink');
    const fromZip = await refusal(zip([{ name: 'etc', body: '/etc', mode: 0o120777 }]));
    expect(fromZip.code).toBe('IMPORT_UNSAFE_ENTRY');
    expect(fromZip.message).toContain('symbolic link');
  });

  it('an absolute path', async () => {
    const target = path.join(base, 'absolute.txt');
    const err = await refusal(tarGz([PKG, { name: target, body: 'x' }]));
    expect(err.code).toBe('IMPORT_UNSAFE_ENTRY');
    expect(err.message).toContain(target);
    await expect(stat(target)).rejects.toThrow();
    const fromZip = await refusal(zip([{ name: target, body: 'x' }]));
    expect(fromZip.code).toBe('IMPORT_UNSAFE_ENTRY');
  });

  it('10,000 empty files', async () => {
    const entries = Array.from({ length: 10_000 }, (_, i) => ({ name: `app/f${i}.txt` }));
    const err = await refusal(tarGz(entries));
    expect(err.code).toBe('IMPORT_TOO_MANY_FILES');
    expect(err.message).toContain('app/f5000.txt');
  });

  it('an entry expanding to 1 GB is stopped without writing it', async () => {
    const archive = expandingTarGz('app/zeros.bin', 1024 * 1024 * 1024);
    expect(archive.length).toBeLessThan(4 * 1024 * 1024);
    const err = await refusal(archive);
    expect(err.code).toBe('IMPORT_TOO_LARGE');
    expect(err.message).toContain('app/zeros.bin');
    // The header's size was enough to refuse it: nothing of it reached the disk.
    await expect(stat(path.join(lastWork, 'files', 'app', 'zeros.bin'))).rejects.toThrow();
  });

  it('a zip entry expanding to 1 GB, refused by its size and, declared small, by its stream', async () => {
    const raw = expandingDeflate(1024);
    expect(raw.data.length).toBeLessThan(4 * 1024 * 1024);
    const declared = await refusal(zip([{ name: 'zeros.bin', raw }]));
    expect(declared.code).toBe('IMPORT_TOO_LARGE');
    expect(declared.message).toContain('zeros.bin');
    const lying = await refusal(
      zip([
        { name: 'package.json', body: '{}' },
        { name: 'zeros.bin', raw, declaredSize: 1000 },
      ]),
    );
    expect(lying.code).toBe('IMPORT_UNSUPPORTED_ARCHIVE');
    expect(lying.message).toContain('zeros.bin');
    const written = await stat(path.join(lastWork, 'files', 'zeros.bin'));
    expect(written.size).toBeLessThanOrEqual(1000);
  });

  it('a stream bigger than the ratio allows, counted as it is written', async () => {
    const archive = expandingTarGz('app/zeros.bin', 20 * 1024 * 1024);
    const err = await refusal(archive, { ...LIMITS, maxRatio: 10 });
    expect(err.code).toBe('IMPORT_COMPRESSION_RATIO');
    expect(err.message).toContain('app/zeros.bin');
  });

  it('a zip entry whose header lies about its size', async () => {
    const body = Buffer.alloc(5 * 1024 * 1024);
    const err = await refusal(
      zip([
        { name: 'package.json', body: '{}' },
        { name: 'small.txt', body, deflate: true, declaredSize: 100 },
      ]),
    );
    expect(err.code).toBe('IMPORT_UNSUPPORTED_ARCHIVE');
    expect(err.message).toContain('small.txt');
    const written = await stat(path.join(lastWork, 'files', 'small.txt')).catch(() => undefined);
    expect(written?.size ?? 0).toBeLessThanOrEqual(100);
  });

  it('a zip entry that expands far beyond the ratio', async () => {
    const body = Buffer.alloc(8 * 1024 * 1024);
    const err = await refusal(zip([{ name: 'bomb.txt', body, deflate: true }]));
    expect(err.code).toBe('IMPORT_COMPRESSION_RATIO');
    expect(err.message).toContain('bomb.txt');
  });

  it('a nested archive, by name and by content', async () => {
    const byName = await refusal(zip([{ name: 'inner.zip', body: 'PK' }]));
    expect(byName.code).toBe('IMPORT_NESTED_ARCHIVE');
    expect(byName.message).toContain('inner.zip');
    const inner = gzipSync(tar([{ name: 'x', body: 'x' }]));
    const byContent = await refusal(tarGz([PKG, { name: 'app/vendor/blob.bin', body: inner }]));
    expect(byContent.code).toBe('IMPORT_NESTED_ARCHIVE');
    expect(byContent.message).toContain('app/vendor/blob.bin');
  });

  it('a FIFO, a hard link and a device in a tar', async () => {
    for (const [type, word] of [
      ['6', 'FIFO'],
      ['1', 'Link'],
      ['3', 'CharacterDevice'],
    ] as const) {
      const link = type === '1' ? { linkName: 'app/package.json' } : {};
      const err = await refusal(tar([PKG, { name: 'app/special', type, ...link }]));
      expect(err.code).toBe('IMPORT_UNSAFE_ENTRY');
      expect(err.message).toContain('app/special');
      expect(err.message).toContain(word);
    }
  });

  it('control characters, .git internals and backslashes in names', async () => {
    const control = await refusal(tarGz([PKG, { name: 'app/bad\u0001name', body: 'x' }]));
    expect(control.code).toBe('IMPORT_UNSAFE_ENTRY');
    expect(control.message).toContain('app/bad\\u0001name');
    const nul = await refusal(zip([{ name: 'a\u0000b.txt', body: 'x' }]));
    expect(nul.code).toBe('IMPORT_UNSAFE_ENTRY');
    expect(nul.message).toContain('a\\u0000b.txt');
    const git = await refusal(tarGz([PKG, { name: 'app/.git/hooks/post-checkout', body: 'x' }]));
    expect(git.code).toBe('IMPORT_UNSAFE_ENTRY');
    expect(git.message).toContain('.git');
    const backslash = await refusal(zip([{ name: '..\\evil.txt', body: 'x' }]));
    expect(backslash.code).toBe('IMPORT_UNSAFE_ENTRY');
  });

  it('a file named twice, and something that is not an archive', async () => {
    const twice = await refusal(tarGz([PKG, { name: 'app/package.json', body: '{}' }]));
    expect(twice.code).toBe('IMPORT_UNSAFE_ENTRY');
    expect(twice.message).toContain('app/package.json');
    const junk = await refusal(Buffer.from('just some text, not an archive'));
    expect(junk.code).toBe('IMPORT_UNSUPPORTED_ARCHIVE');
  });
});

describe('a well-formed archive', () => {
  it('unpacks with its single top-level folder stripped', async () => {
    const archive = tarGz([
      { name: 'app/', type: '5' },
      PKG,
      { name: 'app/src/main.js', body: 'console.log(1)' },
    ]);
    const work = await workDir();
    const unpacked = await unpackArchive(archive, work, LIMITS);
    expect(unpacked.root).toBe(path.join(work, 'files', 'app'));
    expect(await readFile(path.join(unpacked.root, 'src/main.js'), 'utf8')).toBe('console.log(1)');
    expect(unpacked).toMatchObject({ kind: 'tar.gz', entries: 3 });
  });

  it('unpacks a zip at its top level, and refuses one with no project in it', async () => {
    const work = await workDir();
    const unpacked = await unpackArchive(
      zip([
        { name: 'index.html', body: '<h1>hi</h1>' },
        { name: 'css/', mode: 0o040755 },
      ]),
      work,
      LIMITS,
    );
    expect(unpacked.root).toBe(path.join(work, 'files'));
    const empty = await refusal(zip([{ name: 'notes.txt', body: 'x' }]));
    expect(empty.code).toBe('IMPORT_NOT_A_PROJECT');
  });
});
