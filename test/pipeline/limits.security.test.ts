import { afterEach, describe, expect, it } from 'vitest';
import type { WorkspaceTools } from '../../src/ai/engine.js';
import { findExecutable } from '../../src/sandbox/create-sandbox.js';
import { signedInject, startTestApp, waitForBuild, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

/**
 * Hole 4 through the real pipeline: while one user's build holds every process its limit
 * allows, four builds of another user run at the same time and all succeed.
 */
const root = process.getuid?.() === 0;
const hasBwrap = findExecutable('bwrap', process.env.PATH ?? '') !== undefined;
const skip = !root
  ? 'the worker is not root here, so builds cannot get uids of their own'
  : !hasBwrap
    ? 'bubblewrap is not installed'
    : undefined;
if (skip) console.warn(`Skipping the pipeline fork-bomb test: ${skip}`);

const pkg = JSON.stringify({
  name: 'p',
  private: true,
  version: '1.0.0',
  scripts: { build: 'node build.cjs' },
});

/** Forks until the kernel refuses, says so, holds its processes for a while, then fails. */
const BOMB = `
  const { spawn } = require('child_process');
  const held = [];
  (async () => {
    for (let n = 0; n < 5000; n++) {
      const child = spawn('/bin/sleep', ['60'], { stdio: 'ignore' });
      const outcome = await new Promise((r) => { child.once('spawn', () => r('ok')); child.once('error', (e) => r(e.code)); });
      if (outcome !== 'ok') { console.log('limit reached after ' + n + ': ' + outcome); break; }
      held.push(child);
    }
    setTimeout(() => process.exit(1), 10000);
  })();
`;
const NORMAL = `
  const fs = require('fs');
  require('child_process').execFileSync('/bin/true');
  fs.mkdirSync('dist', { recursive: true });
  fs.writeFileSync('dist/index.html', '<h1>ok</h1>');
`;

/** Writes the bomb for the prompt "bomb", an ordinary project for anything else. */
class TwoProjects extends ScriptedEngine {
  constructor() {
    super({});
  }
  override async generate(input: unknown, tools: WorkspaceTools) {
    const bomb = (input as { prompt: string }).prompt === 'bomb';
    await tools.writeFile('package.json', pkg);
    await tools.writeFile('build.cjs', bomb ? BOMB : NORMAL);
    return super.generate(input, tools);
  }
}

describe.skipIf(skip !== undefined)('a fork bomb in one build', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const create = async (userId: string, prompt: string): Promise<string> => {
    const res = await signedInject((t as TestApp).app, {
      method: 'POST',
      url: '/v1/create-preview-for-new-project',
      body: { userId, prompt },
    });
    expect(res.statusCode).toBe(202);
    return res.json<{ buildId: string }>().buildId;
  };

  it("fails no other user's build", async () => {
    t = await startTestApp({
      engine: new TwoProjects(),
      workers: true,
      env: {
        BUILD_CONCURRENCY: '5',
        SANDBOX_MAX_PROCESSES: '64',
        SANDBOX_UID_BASE: '425000',
        SANDBOX_UID_COUNT: '8',
        BUILD_TIMEOUT_MS: '60000',
        FIX_MAX_ATTEMPTS: '0',
      },
    });
    const app = t;
    const bomb = await create('attacker', 'bomb');
    // Wait until the bomb holds every process its limit allows.
    for (let i = 0; i < 300; i++) {
      const { rows } = await app.container.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM build_events WHERE build_id = $1 AND message LIKE '%limit reached%'",
        [bomb],
      );
      if ((rows[0]?.n ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const others = await Promise.all([1, 2, 3, 4].map((i) => create('victim', `site ${i}`)));
    const ended = await Promise.all(others.map((id) => waitForBuild(app, id)));
    for (const b of ended)
      expect({ status: b.status, error: b.error }).toEqual({ status: 'succeeded', error: null });
    // They ran while the bomb still held its processes.
    const during = await signedInject(app.app, { method: 'GET', url: `/v1/builds/${bomb}` });
    expect(during.json<{ status: string }>().status).toBe('running');
    const attacker = await waitForBuild(app, bomb);
    expect(attacker.status).toBe('failed');
    expect(JSON.stringify(attacker.events)).toMatch(/limit reached after \d+: EAGAIN/);
  }, 120_000);
});
