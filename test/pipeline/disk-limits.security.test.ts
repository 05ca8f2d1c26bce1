import { afterEach, describe, expect, it } from 'vitest';
import { jobId } from '../../src/queue/catalog.js';
import { findExecutable } from '../../src/sandbox/create-sandbox.js';
import { buildToEnd, startTestApp, type EndedBuild, type TestApp } from '../support/harness.js';
import { leftovers } from '../support/leftovers.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

const MB = 1024 * 1024;
const hasBwrap = findExecutable('bwrap', process.env.PATH ?? '') !== undefined;
const kinds: Array<'bwrap' | 'process'> = hasBwrap ? ['bwrap', 'process'] : ['process'];

const pkg = JSON.stringify({
  name: 'hostile',
  private: true,
  version: '1.0.0',
  scripts: { build: 'node build.mjs' },
});

/** A build script: `body` runs after dist/index.html exists, so only a limit can fail it. */
const script = (body: string) => `
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/index.html', '<h1>hostile</h1>');
${body}
`;

/** 100 MB in 1 MB files: each far below the per-file limit, together twice the build's. */
const MANY_FILES = script(`
const chunk = Buffer.alloc(${MB}, 'x');
for (let i = 0; i < 100; i++) fs.writeFileSync(path.join('dist', 'asset-' + i + '.bin'), chunk);
`);

/** Fills the sandbox's temporary directory until the system refuses, then reports. */
const FILL_TMP = script(`
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fill-'));
let written = 0;
const total = () => { const s = fs.statfsSync(os.tmpdir()); return s.blocks * s.bsize; };
const report = (error) =>
  console.log('TMPREPORT ' + JSON.stringify({ written, tmpBytes: total(), error }));
try {
  // Capped at 4× the configured size, so a regression does not fill the host's RAM.
  while (written < ${64 * MB}) {
    fs.appendFileSync(path.join(dir, 'fill'), Buffer.alloc(${MB}, 'y'));
    written += ${MB};
  }
  report('none');
} catch (e) {
  report(e.code);
  throw e;
}
`);

/** 64 MB of zeros: compresses past tar's 1000:1 guard, so no preview could unpack it. */
const ZEROS = script(`fs.writeFileSync('dist/filler.bin', Buffer.alloc(${64 * MB}));`);

/** Three sparse 40 MB files: almost no disk, but 120 MB for tar to read and store. */
const SPARSE = script(`
for (let i = 0; i < 3; i++) {
  const fd = fs.openSync(path.join('dist', 'hole-' + i + '.bin'), 'w');
  fs.ftruncateSync(fd, ${40 * MB});
  fs.closeSync(fd);
}
`);

describe.each(kinds)('a build that exhausts its space (%s sandbox)', (kind) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function build(buildScript: string, env: Record<string, string>) {
    t = await startTestApp({
      engine: new ScriptedEngine({ 'package.json': pkg, 'build.mjs': buildScript }),
      workers: true,
      env: { SANDBOX: kind, BUILD_TIMEOUT_MS: '60000', QUEUE_ATTEMPTS: '3', ...env },
    });
    return buildToEnd(t, { userId: 'hostile', prompt: 'anything' });
  }

  /** Failed with `code` on its first and only run, and left nothing on disk. */
  async function expectFailedOnce(result: EndedBuild, code: string) {
    const app = t as TestApp;
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe(code);
    expect(JSON.stringify(result.events)).not.toContain('INTERNAL');
    expect(result.events.filter((e) => e.type === 'build.started')).toHaveLength(1);
    const job = await app.container.db.query<{ attempts: number }>(
      'SELECT attempts FROM jobs WHERE id = $1',
      [jobId({ name: 'build.run', payload: { buildId: result.buildId } })],
    );
    expect(job.rows[0]?.attempts).toBe(1);
    expect(await leftovers(app.container.config.dataDir)).toEqual([]);
  }

  it('fails with BUILD_DISK_LIMIT when many small files add up past the limit', async () => {
    const result = await build(MANY_FILES, { BUILD_DISK_LIMIT_MB: '50' });
    await expectFailedOnce(result, 'BUILD_DISK_LIMIT');
    expect(result.error?.message).toContain('more than 50 MB');
  }, 120_000);

  it('fails with BUILD_DISK_LIMIT when it fills its temporary directory', async () => {
    const result = await build(FILL_TMP, { BUILD_DISK_LIMIT_MB: '50', SANDBOX_TMP_MB: '16' });
    await expectFailedOnce(result, 'BUILD_DISK_LIMIT');
    if (kind === 'bwrap') {
      // A RAM-backed /tmp of 16 MB: the build could not put more than that into memory.
      const line = result.events
        .map((e) => e.message)
        .join('\n')
        .match(/TMPREPORT (\{.*\})/);
      const report = JSON.parse(line?.[1] ?? '{}') as Record<string, unknown>;
      expect(report).toMatchObject({ error: 'ENOSPC', tmpBytes: 16 * MB });
      expect(report.written).toBeLessThanOrEqual(16 * MB);
    }
  }, 120_000);

  it('fails with BUILD_OUTPUT_TOO_LARGE for output that compresses like a zip bomb', async () => {
    const result = await build(ZEROS, { BUILD_DISK_LIMIT_MB: '128' });
    await expectFailedOnce(result, 'BUILD_OUTPUT_TOO_LARGE');
    expect(result.error?.message).toContain('compresses more than 1000 to 1');
  }, 120_000);

  it('fails with BUILD_OUTPUT_TOO_LARGE for sparse files larger than the limit', async () => {
    const result = await build(SPARSE, { BUILD_DISK_LIMIT_MB: '50' });
    await expectFailedOnce(result, 'BUILD_OUTPUT_TOO_LARGE');
    expect(result.error?.message).toContain('more than the 50 MB one build may publish');
  }, 120_000);
});
