import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepLeftovers } from './sweep.js';

const RUNNING = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const FINISHED = '01ARZ3NDEKTSV4RRFFQ69G5FAW';
const HOUR = 3_600_000;

describe('the start-up sweep', () => {
  let data: string;
  const at = (...parts: string[]) => path.join(data, ...parts);
  async function make(rel: string, { dir = false, ageMs = 0 } = {}) {
    const p = at(rel);
    await mkdir(dir ? p : path.dirname(p), { recursive: true });
    if (!dir) await writeFile(p, 'x');
    const when = new Date(Date.now() - ageMs);
    await utimes(p, when, when);
    return p;
  }
  beforeEach(async () => {
    data = await mkdtemp(path.join(tmpdir(), 'sheen-sweep-'));
    await make(`workspaces/${RUNNING.toLowerCase()}/package.json`);
    await make(`workspaces/${FINISHED.toLowerCase()}/dist/index.html`);
    await make(`previews/${FINISHED.toLowerCase()}/index.html`);
  });
  afterEach(async () => {
    await rm(data, { recursive: true, force: true });
  });

  const sweep = (staleMs: number) =>
    sweepLeftovers({
      dataDir: data,
      unfinishedBuilds: async () => new Set([RUNNING]),
      staleMs,
      keepWorkspaces: false,
    });

  it('removes workspaces of finished builds and keeps those that will resume', async () => {
    const report = await sweep(HOUR);
    expect(existsSync(at('workspaces', RUNNING.toLowerCase()))).toBe(true);
    expect(existsSync(at('workspaces', FINISHED.toLowerCase()))).toBe(false);
    expect(report.removed).toEqual([at('workspaces', FINISHED.toLowerCase())]);
    // A finished build's preview is not a leftover.
    expect(existsSync(at('previews', FINISHED.toLowerCase(), 'index.html'))).toBe(true);
  });

  it('removes stale staging files everywhere a step writes them, and keeps fresh ones', async () => {
    const stale = [
      await make(`previews/.${FINISHED.toLowerCase()}.123.456`, { dir: true, ageMs: 2 * HOUR }),
      await make(`previews/.${FINISHED.toLowerCase()}.123.456.tar.gz`, { ageMs: 2 * HOUR }),
      await make('cache/deps/0123abcd.tmp-a1b2c3', { dir: true, ageMs: 2 * HOUR }),
      await make('artifacts/sha256/ab/abc.tar.gz.77.1700000000000.tmp', { ageMs: 2 * HOUR }),
      await make('tmp/run-xyz', { dir: true, ageMs: 2 * HOUR }),
      await make('tmp/pkg-abc', { dir: true, ageMs: 2 * HOUR }),
      await make('generate/01arz3ndektsv4rrffq69g5fax', { dir: true, ageMs: 2 * HOUR }),
    ];
    const fresh = [
      await make(`previews/.${RUNNING.toLowerCase()}.9.9`, { dir: true }),
      await make('cache/deps/4567cdef.tmp-d4e5f6', { dir: true }),
      await make('tmp/run-live', { dir: true }),
    ];
    const kept = [
      await make('cache/deps/0123abcd/.complete', { ageMs: 2 * HOUR }),
      await make('artifacts/sha256/ab/abc.tar.gz', { ageMs: 2 * HOUR }),
    ];
    await sweep(HOUR);
    for (const p of stale) expect(existsSync(p), p).toBe(false);
    for (const p of [...fresh, ...kept]) expect(existsSync(p), p).toBe(true);
    // With nobody else able to use DATA_DIR (PGlite), fresh staging is a leftover too.
    await sweep(0);
    for (const p of fresh) expect(existsSync(p), p).toBe(false);
    for (const p of kept) expect(existsSync(p), p).toBe(true);
  });
});
