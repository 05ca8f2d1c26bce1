import {
  appendFile,
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  rm,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DependencyCache, type TreeOrigin } from './dependency-cache.js';
import { digestTree } from './tree-digest.js';
import { TreeWalker } from './tree-walker.js';

const origin: TreeOrigin = {
  manager: 'pnpm',
  managerVersion: '10.0.0',
  registry: 'https://registry.npmjs.org/',
  allowScripts: [],
  manifest: '{"dependencies":{"left-pad":"1.3.0"}}',
};

/** A node_modules of nested packages, a link between them, and more entries than one slice. */
async function makeTree(root: string): Promise<void> {
  for (let p = 0; p < 12; p++) {
    const dir = path.join(root, `pkg-${p}`, 'lib');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(root, `pkg-${p}`, 'package.json'), `{"name":"pkg-${p}"}`);
    for (let f = 0; f < 30; f++)
      await writeFile(path.join(dir, `f${f}.js`), `export const n = ${f};`);
  }
  await mkdir(path.join(root, '.bin'));
  await symlink('../pkg-1/lib/f1.js', path.join(root, '.bin', 'tool'));
}

const walker = new TreeWalker();
afterAll(() => walker.close());

describe.each([
  ['walking on the event loop', undefined],
  ['walking on the walker thread', (root: string) => walker.walk(root)],
])('the dependency cache, %s', (_, walk) => {
  let dir: string;
  let cache: DependencyCache;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-deps-'));
    cache = new DependencyCache(path.join(dir, 'deps'), walk);
    await makeTree(path.join(dir, 'install', 'node_modules'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reuses a stored tree for exactly the same origin', async () => {
    const stored = await cache.store(origin, path.join(dir, 'install', 'node_modules'), undefined);
    expect(await cache.lookup(origin)).toEqual(stored);
    expect(await cache.lookup({ ...origin, manifest: '{}' })).toBeUndefined();
  });

  const changes: Array<[string, (nm: string) => Promise<void>]> = [
    ['a file grew', (nm) => appendFile(path.join(nm, 'pkg-3/lib/f7.js'), ' ')],
    ['a file was added', (nm) => writeFile(path.join(nm, 'pkg-11/lib/extra.js'), '')],
    ['a file was removed', (nm) => unlink(path.join(nm, 'pkg-0/package.json'))],
    ['a mode changed', (nm) => chmod(path.join(nm, 'pkg-5/lib/f2.js'), 0o755)],
    [
      'a link points elsewhere',
      async (nm) => {
        await unlink(path.join(nm, '.bin/tool'));
        await symlink('../pkg-2/lib/f1.js', path.join(nm, '.bin/tool'));
      },
    ],
  ];
  it.each(changes)('never links a tree changed after it was stored: %s', async (_, change) => {
    const stored = await cache.store(origin, path.join(dir, 'install', 'node_modules'), undefined);
    await chmod(stored.nodeModules, 0o755);
    await change(stored.nodeModules);
    expect(await cache.lookup(origin)).toBeUndefined();
    // Moved aside, so the next build installs afresh rather than walking it again.
    expect((await readdir(path.join(dir, 'deps'))).some((n) => n.includes('.rejected-'))).toBe(
      true,
    );
  });

  it('digests as trees already in caches were digested: sorted, depth first', async () => {
    const nm = path.join(dir, 'install', 'node_modules');
    const { entries, digest } = await digestTree(nm);
    expect(entries).toBe(12 * 33 + 2);
    expect(digest).toBe(referenceDigest(nm));
    await appendFile(path.join(nm, 'pkg-11/lib/f29.js'), ' ');
    expect((await digestTree(nm)).digest).not.toBe(digest);
  });
});

const originOf = (manifest: string): TreeOrigin => ({ ...origin, manifest });

describe('claiming the install of a tree', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sheen-deps-claim-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('makes a second install of the same tree wait until the first releases it', async () => {
    const cache = new DependencyCache(root);
    const order: string[] = [];
    const releaseFirst = await cache.claim(originOf('{"a":1}'));
    // Another instance over the same folder, as each build makes its own.
    const second = new DependencyCache(root).claim(originOf('{"a":1}')).then((release) => {
      order.push('second claimed');
      return release;
    });
    const other = await cache.claim(originOf('{"b":1}'));
    order.push('other tree claimed');
    await new Promise((r) => setImmediate(r));
    order.push('first released');
    releaseFirst();
    (await second)();
    other();
    expect(order).toEqual(['other tree claimed', 'first released', 'second claimed']);
  });

  it('stops waiting when the build is cancelled, and leaves the claim to its holder', async () => {
    const cache = new DependencyCache(root);
    const release = await cache.claim(originOf('{"a":1}'));
    const cancel = new AbortController();
    const waiting = cache.claim(originOf('{"a":1}'), cancel.signal);
    cancel.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    let third = false;
    const next = cache.claim(originOf('{"a":1}')).then((r) => ((third = true), r));
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    release();
    (await next)();
    expect(third).toBe(true);
  });
});

/** The digest's format, written out plainly: a stored manifest holds one made this way. */
function referenceDigest(root: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const info = lstatSync(p);
      const mode = (info.mode & 0o7777).toString(8);
      if (info.isSymbolicLink()) hash.update(`l ${r} ${readlinkSync(p)}\n`);
      else if (info.isDirectory()) {
        hash.update(`d ${r} ${mode}\n`);
        walk(p, r);
      } else hash.update(`f ${r} ${info.size} ${mode} ${info.uid}\n`);
    }
  };
  walk(root, '');
  return hash.digest('hex');
}

describe('the walker thread', () => {
  let dir: string;
  let nm: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-walk-'));
    nm = path.join(dir, 'node_modules');
    await makeTree(nm);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('digests on its own thread exactly as the event loop does; a missing tree fails alike', async () => {
    const own = new TreeWalker();
    try {
      expect(await own.walk(nm)).toEqual(await digestTree(nm));
      expect(own.onThread()).toBe(true);
      expect((await own.walk(nm)).digest).toBe(referenceDigest(nm));
      await expect(own.walk(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await own.close();
    }
  });

  it('walks early only the tree the last build linked, as it is when the walk starts', async () => {
    const own = new TreeWalker();
    try {
      expect(own.walkEarly()).toBeUndefined();
      own.linked(nm);
      const before = own.walkEarly();
      expect(before?.dir).toBe(nm);
      expect((await before?.done)?.digest).toBe(referenceDigest(nm));
      await appendFile(path.join(nm, 'pkg-4/lib/f4.js'), ' ');
      const after = await own.walkEarly()?.done;
      expect(after?.digest).toBe(referenceDigest(nm));
      expect(after?.digest).not.toBe((await before?.done)?.digest);
      await rm(nm, { recursive: true });
      // A failed early walk is no digest: the install then walks the tree itself.
      expect(await own.walkEarly()?.done).toBeUndefined();
    } finally {
      await own.close();
    }
  });

  it('walks on the event loop once the thread is gone, walks in flight included', async () => {
    const own = new TreeWalker();
    const inFlight = own.walk(nm);
    await own.close();
    expect(own.onThread()).toBe(false);
    expect((await inFlight).digest).toBe(referenceDigest(nm));
    expect((await own.walk(nm)).digest).toBe(referenceDigest(nm));
  });
});
