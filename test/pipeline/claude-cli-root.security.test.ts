/**
 * Hole 8: with the worker running as root and the Claude Code CLI installed under a 0700
 * directory (root's home: ~/.local/bin, nvm, a $HOME npm prefix), every claude-cli build failed
 * with AI_UNAVAILABLE and "try again", while /claude-executor/health said ok (it ran --version
 * as root, outside the sandbox). Here the real CLI, pinned and current release, sits in such a
 * directory: health runs it in the sandbox on the path builds use, and a build succeeds against
 * the fake Anthropic API. A CLAUDE_BIN that does not exist fails the build once, permanently,
 * naming CLAUDE_BIN.
 */
import { chmod, copyFile, link, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeReleases } from '../support/claude-releases.js';
import {
  startFakeAnthropic,
  textResponse,
  toolResultsOf,
  writeFileResponse,
  type FakeAnthropic,
  type RecordedRequest,
} from '../support/fake-anthropic.js';
import { buildToEnd, signedInject, startTestApp, type TestApp } from '../support/harness.js';

const root = process.getuid?.() === 0;
const API_KEY = 'sk-' + 'ant-root-cli-dummy-key-000000';
const HTML = '<!doctype html>\n<title>Harbor Lights</title>\n<h1>Harbor Lights</h1>\n';
const RELEASES = claudeReleases();
for (const r of RELEASES) {
  if (r.problem) console.warn(`Skipping the ${r.label} Claude CLI as root: ${r.problem}`);
}

let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'sheen-root-cli-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

/** The CLI as `npm install -g` with a $HOME prefix leaves it: below a 0700 home directory. */
async function installUnderPrivateHome(native: string, label: string): Promise<string> {
  const home = path.join(base, `home-${label}`);
  const bin = path.join(home, '.npm-global', 'bin');
  await mkdir(bin, { recursive: true });
  await chmod(home, 0o700);
  const target = path.join(bin, 'claude');
  // A hard link is the same 400 MB binary at no cost; the 0700 directory is what matters.
  await link(native, target).catch(() => copyFile(native, target));
  return target;
}

/** Writes index.html into the build's workspace (named in the CLI's system prompt), then stops. */
function script(request: RecordedRequest) {
  const tools = (request.body?.tools ?? []) as { name: string }[];
  if (!tools.some((t) => t.name === 'Write')) return textResponse('A calm navy palette.');
  if (toolResultsOf(request).length > 0) return textResponse('Built index.html.');
  const workspace = /\/[^"\s\\]*\/workspaces\/[0-9a-z]{26}/.exec(request.rawBody)?.[0];
  if (!workspace) return textResponse('I could not tell where the workspace is.');
  return writeFileResponse(path.join(workspace, 'index.html'), HTML, {
    toolName: 'Write',
    pathKey: 'file_path',
  });
}

describe.each(RELEASES.filter((r) => !r.problem))(
  'Claude Code $label ($version) installed under a 0700 home',
  (release) => {
    let api: FakeAnthropic;
    let t: TestApp;
    let bin: string;

    beforeAll(async () => {
      api = await startFakeAnthropic({ apiKey: API_KEY, fallback: script });
      bin = await installUnderPrivateHome(release.native, release.label);
      t = await startTestApp({
        workers: true,
        env: {
          AI_PROVIDER: 'claude-cli',
          CLAUDE_BIN: bin,
          ANTHROPIC_API_KEY: API_KEY,
          ANTHROPIC_BASE_URL: api.url,
          ANTHROPIC_MODEL: 'claude-sonnet-4-5',
        },
      });
    }, 120_000);

    afterAll(async () => {
      await t?.close();
      await api?.close();
    });

    it('reports health from a sandboxed run of the path builds use', async () => {
      const res = await signedInject(t.app, { method: 'GET', url: '/claude-executor/health' });
      const body = res.json();
      expect(body, JSON.stringify(body)).toMatchObject({
        status: 'ok',
        bin,
        version: expect.stringContaining(release.version),
      });
      if (root) {
        // Staged for the sandbox user under DATA_DIR, not run from root's home.
        expect(body.path).toMatch(
          new RegExp(`^${t.container.config.dataDir}/tools/claude/[0-9a-f]{64}/claude$`),
        );
      }
    });

    it('builds an app with the CLI', async () => {
      const build = await buildToEnd(t, {
        userId: 'root-cli',
        prompt: 'A static landing page for the "Harbor Lights" guesthouse',
      });
      expect(build.error, JSON.stringify(build.error)).toBeNull();
      expect(build.status).toBe('succeeded');
      expect(build.events.some((e) => e.message === 'Write index.html')).toBe(true);
      const wrote = api.messageRequests.find((r) => toolResultsOf(r).length > 0);
      expect(wrote?.headers['user-agent']).toContain(release.version);
      expect(toolResultsOf(wrote!).every((r) => !r.is_error)).toBe(true);
    }, 180_000);
  },
);

describe('a CLAUDE_BIN that is not there', () => {
  let t: TestApp;
  const bin = '/nonexistent/sheen/claude';

  beforeAll(async () => {
    t = await startTestApp({
      workers: true,
      env: { AI_PROVIDER: 'claude-cli', CLAUDE_BIN: bin, ANTHROPIC_API_KEY: API_KEY },
    });
  });
  afterAll(() => t?.close());

  it('fails the build once with a permanent error naming CLAUDE_BIN', async () => {
    const build = await buildToEnd(t, { userId: 'root-cli', prompt: 'A page for a bakery' });
    expect(build.status).toBe('failed');
    expect(build.error).toMatchObject({
      code: 'AI_ENGINE_MISCONFIGURED',
      message: expect.stringContaining(`CLAUDE_BIN=${bin}`),
      hint: expect.stringContaining('CLAUDE_BIN'),
    });
    expect(`${build.error.message} ${build.error.hint}`).not.toMatch(/try again|few minutes/i);
    expect(build.attempts).toBe(1);
  });

  it('ends POST /generate with the same permanent error', async () => {
    const res = await signedInject(t.app, {
      method: 'POST',
      url: '/generate',
      body: { userId: 'root-cli', prompt: 'A page for a bakery' },
    });
    const events = res.body
      .split('\n\n')
      .map((block) => /^data: (.*)$/m.exec(block)?.[1])
      .filter((d): d is string => Boolean(d))
      .map((d) => JSON.parse(d) as { type: string; error?: Record<string, string> });
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { code: 'AI_ENGINE_MISCONFIGURED', message: expect.stringContaining('CLAUDE_BIN=') },
    });
    expect(events.at(-1)?.error?.hint).not.toMatch(/try again in/i);
  });

  it('is down in health, with the same reason', async () => {
    const res = await signedInject(t.app, { method: 'GET', url: '/claude-executor/health' });
    expect(res.json()).toMatchObject({
      status: 'down',
      bin,
      path: null,
      message: expect.stringContaining(`CLAUDE_BIN=${bin}`),
    });
  });
});
