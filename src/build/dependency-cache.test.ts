import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DependencyCache, type TreeOrigin } from './dependency-cache.js';

const origin = (manifest: string): TreeOrigin => ({
  manager: 'pnpm',
  managerVersion: '10.0.0',
  registry: 'https://registry.npmjs.org/',
  allowScripts: [],
  manifest,
});

describe('claiming the install of a tree', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sheen-deps-claim-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('makes a second install of the same tree wait until the first releases it', async () => {
    const cache = new DependencyCache(root);
    const order: string[] = [];
    const releaseFirst = await cache.claim(origin('{"a":1}'));
    // Another instance over the same folder, as each build makes its own.
    const second = new DependencyCache(root).claim(origin('{"a":1}')).then((release) => {
      order.push('second claimed');
      return release;
    });
    const other = await cache.claim(origin('{"b":1}'));
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
    const release = await cache.claim(origin('{"a":1}'));
    const cancel = new AbortController();
    const waiting = cache.claim(origin('{"a":1}'), cancel.signal);
    cancel.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    let third = false;
    const next = cache.claim(origin('{"a":1}')).then((r) => ((third = true), r));
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    release();
    (await next)();
    expect(third).toBe(true);
  });
});
