import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../sandbox/create-sandbox.js';
import { UidPool } from '../../sandbox/identity-pool.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import {
  EngineMisconfiguredError,
  EngineUnavailableError,
  type EngineContext,
  type EngineEvent,
  type WorkspaceTools,
} from '../engine.js';
import { ClaudeCliEngine, type ClaudeCliEngineOptions } from './claude-cli-engine.js';
import { projectDirName } from './home.js';

// The flag the worker must never pass, assembled so the literal appears nowhere in src/.
const SKIP_PERMISSIONS = ['--dangerously', 'skip', 'permissions'].join('-');

const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/fixtures/claude-cli',
);
const FIXTURE_ROOT = '/srv/sheen/workspaces/01jbuild';
const SESSION = '5b0c2f0e-8d8a-4c57-9a53-2f6d1c3b7e41';
const STORED_SESSION = '0f3c9a2e-1b4d-4e8f-9a7b-6c5d4e3f2a10';
const FINAL = 'Created a static landing page for Sunrise Bakery: index.html and styles.css.';
const SECRET = 'hmac-secret-that-must-not-leak-0123456789abcdef';
const API_KEY = 'sk-' + 'ant-test-key-for-the-fake-cli';
const LIMITS = {
  memoryMb: 2048,
  maxProcesses: 256,
  maxOutputBytes: 4 * 1024 * 1024,
  maxFileBytes: 64 * 1024 * 1024,
};
const root = process.getuid?.() === 0;

let sandbox: Sandbox;
let base: string;
let bins: string;
let seq = 0;

const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** A fake `claude`: a node script that gets the fixture with the workspace path filled in. */
async function fake(name: string, body: string, transcript = ''): Promise<string> {
  const file = path.join(bins, name);
  await writeFile(
    file,
    `#!/usr/bin/env node
const fs = require('node:fs');
const cwd = process.cwd();
const transcript = ${JSON.stringify(transcript)}.split(${JSON.stringify(FIXTURE_ROOT)}).join(cwd);
const stdin = fs.readFileSync(0, 'utf8');
${body}
`,
  );
  await chmod(file, 0o755);
  return file;
}

interface Harness {
  engine: ClaudeCliEngine;
  ctx: EngineContext;
  events: EngineEvent[];
  sessions: string[];
  workspace: string;
  homeRoot: string;
  home: string;
  controller: AbortController;
}

async function harness(
  bin: string,
  options: Partial<ClaudeCliEngineOptions> = {},
  sessionId?: string,
): Promise<Harness> {
  const dir = path.join(base, `case-${++seq}`);
  const workspace = path.join(dir, 'workspace');
  const homeRoot = path.join(dir, 'claude-homes');
  await mkdir(workspace, { recursive: true });
  await chmod(dir, 0o755);
  if (root) await chown(workspace, 65534, 65534);
  const engine = new ClaudeCliEngine({
    bin,
    sandbox,
    homeRoot,
    apiKey: API_KEY,
    allowBash: false,
    idleTimeoutMs: 10_000,
    totalTimeoutMs: 25_000,
    maxTurns: 30,
    ...options,
  });
  const events: EngineEvent[] = [];
  const sessions: string[] = [];
  const controller = new AbortController();
  const projectId = '01JPROJECT0000000000000000';
  const ctx: EngineContext = {
    signal: controller.signal,
    emit: (e) => events.push(e),
    workspaceRoot: workspace,
    projectId,
    ...(sessionId ? { sessionId } : {}),
    onSession: (id) => sessions.push(id),
  };
  return {
    engine,
    ctx,
    events,
    sessions,
    workspace,
    homeRoot,
    home: path.join(homeRoot, projectId),
    controller,
  };
}

const noTools: WorkspaceTools = {
  writeFile: () => Promise.reject(new Error('the CLI engine writes through its own tools')),
  writeFiles: () => Promise.reject(new Error('the CLI engine writes through its own tools')),
  readFile: () => Promise.reject(new Error('unused')),
  listFiles: () => Promise.resolve(['index.html', 'styles.css']),
  deleteFile: () => Promise.reject(new Error('unused')),
};

const plan = {
  framework: 'static' as const,
  name: 'Sunrise Bakery',
  summary: 'A landing page.',
  files: [],
  tasks: ['write it'],
  meta: {},
};

/** Live processes whose command line mentions `marker` (a fake's unique directory). */
function survivors(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (state !== 'Z' && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) {
        pids.push(Number(entry));
      }
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

beforeAll(async () => {
  process.env.HMAC_SECRETS = SECRET;
  sandbox = await createSandbox({
    mode: 'auto',
    limits: LIMITS,
    scratchDir: path.join(tmpdir(), 'sheen-claude-cli-scratch'),
    toolPaths: [],
    systemPath: process.env.PATH ?? '/usr/bin:/bin',
    requireBwrap: false,
  });
  base = await mkdtemp(path.join(tmpdir(), 'sheen-claude-cli-'));
  await chmod(base, 0o755);
  bins = path.join(base, 'bin');
  await mkdir(bins, { mode: 0o755 });
});

afterAll(async () => {
  delete process.env.HMAC_SECRETS;
  await rm(base, { recursive: true, force: true });
});

async function chownTree(dir: string): Promise<void> {
  await chown(dir, 65534, 65534);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(p);
    else await chown(p, 65534, 65534);
  }
}

afterEach(async () => {
  // Every process of a run (and its children) is gone once the engine returns.
  for (let i = 0; i < 20 && survivors(bins).length > 0; i++)
    await new Promise((r) => setTimeout(r, 100));
  expect(survivors(bins)).toEqual([]);
});

describe(`ClaudeCliEngine with fake CLIs`, () => {
  it('streams a transcript into events, usage and a new session', async () => {
    const bin = await fake(
      'claude-ok',
      `fs.writeFileSync('index.html', '<h1>Sunrise</h1>');
process.stdout.write(transcript);`,
      fixture('success.jsonl'),
    );
    const h = await harness(bin);
    const { summary, usage } = await h.engine.generate(
      { prompt: 'A bakery landing page', plan, kind: 'create' },
      noTools,
      h.ctx,
    );
    expect(summary).toBe(FINAL);
    expect(usage).toMatchObject({
      inputTokens: 38,
      outputTokens: 1873,
      cacheReadTokens: 24480,
      cacheWriteTokens: 6120,
      costUsd: 0.0421,
      model: 'claude-sonnet-4-5-20250929',
    });
    expect(h.sessions).toEqual([SESSION]);
    expect(h.events.filter((e) => e.type === 'tool')).toEqual([
      { type: 'tool', message: 'Write index.html', data: { tool: 'Write', path: 'index.html' } },
      { type: 'tool', message: 'Write styles.css', data: { tool: 'Write', path: 'styles.css' } },
      { type: 'tool', message: 'Edit index.html', data: { tool: 'Edit', path: 'index.html' } },
    ]);
    expect(h.events.filter((e) => e.type === 'text').map((e) => e.message)).toContain(FINAL);
    // The process ran in the workspace, as the sandbox user, and could write there.
    expect(readFileSync(path.join(h.workspace, 'index.html'), 'utf8')).toBe('<h1>Sunrise</h1>');
  });

  it('reports the files a fix changed', async () => {
    const bin = await fake(
      'claude-fix',
      'process.stdout.write(transcript);',
      fixture('noise.jsonl'),
    );
    const h = await harness(bin);
    const { changed, usage } = await h.engine.fix(
      {
        category: 'BUILD_TYPESCRIPT_ERROR',
        message: 'bad',
        output: 'error TS2322',
        files: ['index.html'],
      },
      noTools,
      h.ctx,
    );
    expect(changed).toEqual(['index.html', 'styles.css']);
    expect(usage.costUsd).toBe(0.0421);
  });

  it('kills a CLI that hangs after its result, within the post-result grace', async () => {
    const bin = await fake(
      'claude-hang',
      `process.stdout.write(transcript);
require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', __filename], { stdio: 'ignore' });
setInterval(() => {}, 1000);`,
      fixture('success.jsonl'),
    );
    const h = await harness(bin, { idleTimeoutMs: 60_000 });
    const started = Date.now();
    const { summary } = await h.engine.generate(
      { prompt: 'x', plan, kind: 'create' },
      noTools,
      h.ctx,
    );
    const elapsed = Date.now() - started;
    expect(summary).toBe(FINAL);
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    expect(elapsed).toBeLessThan(8000);
  });

  it('kills a CLI that goes silent (idle watchdog)', async () => {
    const bin = await fake(
      'claude-silent',
      `process.stdout.write(transcript.split('\\n')[0] + '\\n');
setInterval(() => {}, 1000);`,
      fixture('success.jsonl'),
    );
    const h = await harness(bin, { idleTimeoutMs: 1000 });
    const started = Date.now();
    const error = await h.engine
      .generate({ prompt: 'x', plan, kind: 'create' }, noTools, h.ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).message).toMatch(/no output for 1 s/);
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('passes the prompt on stdin only, with safe flags and no worker secret', async () => {
    const bin = await fake(
      'claude-record',
      `fs.writeFileSync(process.env.HOME + '/record.json', JSON.stringify({ argv: process.argv.slice(2), stdin, env: process.env }));
process.stdout.write(transcript);`,
      fixture('success.jsonl'),
    );
    const marker = path.join(tmpdir(), `pwned-${process.pid}-${Date.now()}`);
    const prompt = [
      `A page $(touch ${marker}) and \`touch ${marker}\`; touch ${marker}`,
      SKIP_PERMISSIONS,
      `"quoted" 'single' && echo hi | cat > ${marker}`,
    ].join('\n');
    for (const allowBash of [false, true]) {
      const h = await harness(bin, {
        allowBash,
        model: 'claude-sonnet-4-5',
        baseUrl: 'http://127.0.0.1:9',
      });
      await h.engine.generate({ prompt, plan, kind: 'create' }, noTools, h.ctx);
      const record = JSON.parse(await readFile(path.join(h.home, 'record.json'), 'utf8')) as {
        argv: string[];
        stdin: string;
        env: Record<string, string>;
      };
      expect(record.stdin).toContain(prompt);
      for (const arg of record.argv) {
        expect(arg).not.toContain('touch');
        expect(arg).not.toContain('A page');
      }
      expect(record.argv).not.toContain(SKIP_PERMISSIONS);
      expect(record.argv).not.toContain('--allow-dangerously-skip-permissions');
      expect(record.argv.slice(0, 6)).toEqual([
        '-p',
        '--output-format',
        'stream-json',
        '--verbose',
        '--permission-mode',
        'acceptEdits',
      ]);
      const allowed = record.argv[record.argv.indexOf('--allowedTools') + 1]!.split(',');
      const tools = record.argv[record.argv.indexOf('--tools') + 1]!.split(',');
      expect(allowed.includes('Bash')).toBe(allowBash);
      expect(tools).toEqual(allowed);
      expect(allowed).toEqual(expect.arrayContaining(['Read', 'Write', 'Edit', 'Glob', 'Grep']));
      expect(record.argv).toEqual(
        expect.arrayContaining([
          '--setting-sources',
          'user',
          '--strict-mcp-config',
          '--disable-slash-commands',
        ]),
      );
      expect(record.argv[record.argv.indexOf('--mcp-config') + 1]).toBe('{"mcpServers":{}}');
      expect(record.argv[record.argv.indexOf('--max-turns') + 1]).toBe('30');
      expect(record.argv[record.argv.indexOf('--model') + 1]).toBe('claude-sonnet-4-5');
      expect(record.argv).not.toContain('--resume');
      expect(record.env).toMatchObject({
        ANTHROPIC_API_KEY: API_KEY,
        ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
        HOME: h.home,
        DISABLE_AUTOUPDATER: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_ERROR_REPORTING: '1',
      });
      expect(record.env.HMAC_SECRETS).toBeUndefined();
      expect(JSON.stringify(record.env)).not.toContain(SECRET);
      expect(existsSync(marker)).toBe(false);
    }
  });

  it('passes each task its own --model, the engine model where none is set', async () => {
    const bin = await fake(
      'claude-models',
      `fs.appendFileSync(process.env.HOME + '/models.txt', process.argv[process.argv.indexOf('--model') + 1] + '\\n');
process.stdout.write(transcript);`,
      fixture('success.jsonl'),
    );
    const h = await harness(bin, {
      model: 'claude-sonnet-4-5',
      models: { fix: 'claude-haiku-4-5' },
    });
    await h.engine.generate({ prompt: 'x', plan, kind: 'create' }, noTools, h.ctx);
    await h.engine.fix(
      { category: 'build', message: 'broke', output: 'Error', files: [] },
      noTools,
      h.ctx,
    );
    const models = await readFile(path.join(h.home, 'models.txt'), 'utf8');
    expect(models.trim().split('\n')).toEqual(['claude-sonnet-4-5', 'claude-haiku-4-5']);
  });

  it('resumes the stored session from an earlier workspace, never a later init id', async () => {
    const bin = await fake(
      'claude-resume',
      `fs.writeFileSync(process.env.HOME + '/argv.json', JSON.stringify(process.argv.slice(2)));
process.stdout.write(transcript);`,
      fixture('success.jsonl'),
    );
    const h = await harness(bin, {}, STORED_SESSION);
    // An earlier build ran in another workspace directory.
    const earlier = path.join(h.home, '.claude', 'projects', projectDirName('/old/workspace'));
    await mkdir(earlier, { recursive: true });
    await writeFile(path.join(earlier, `${STORED_SESSION}.jsonl`), '{"type":"user"}\n');
    if (root) await chownTree(path.join(h.home, '.claude'));
    await h.engine.generate({ prompt: 'make it blue', plan, kind: 'update' }, noTools, h.ctx);
    const argv = JSON.parse(await readFile(path.join(h.home, 'argv.json'), 'utf8')) as string[];
    expect(argv[argv.indexOf('--resume') + 1]).toBe(STORED_SESSION);
    const moved = path.join(
      h.home,
      '.claude',
      'projects',
      projectDirName(h.workspace),
      `${STORED_SESSION}.jsonl`,
    );
    expect(existsSync(moved)).toBe(true);
    // The init line says SESSION; the stored id stays.
    expect(h.sessions).toEqual([]);
  });

  it('starts a new conversation when the stored one cannot be resumed', async () => {
    const bin = await fake(
      'claude-no-session',
      `if (process.argv.includes('--resume')) {
  process.stderr.write('No conversation found with session ID: ' + process.argv[process.argv.indexOf('--resume') + 1] + '\\n');
  process.stdout.write(JSON.stringify({ type: 'result', subtype: 'error_during_execution', is_error: true, num_turns: 0, total_cost_usd: 0, session_id: 'x' }) + '\\n');
} else process.stdout.write(transcript);`,
      fixture('success.jsonl'),
    );
    const h = await harness(bin, {}, STORED_SESSION);
    const elsewhere = path.join(h.home, '.claude', 'projects', '-elsewhere');
    await mkdir(elsewhere, { recursive: true });
    await writeFile(path.join(elsewhere, `${STORED_SESSION}.jsonl`), '');
    if (root) await chownTree(path.join(h.home, '.claude'));
    const { summary } = await h.engine.generate(
      { prompt: 'x', plan, kind: 'update' },
      noTools,
      h.ctx,
    );
    expect(summary).toBe(FINAL);
    expect(h.sessions).toEqual([SESSION]);
    expect(h.events.some((e) => /starting a new one/.test(e.message))).toBe(true);
  });

  it('does not put an invalid stored session id in argv', async () => {
    const bin = await fake(
      'claude-bad-session',
      `fs.writeFileSync(process.env.HOME + '/argv.json', JSON.stringify(process.argv.slice(2)));
process.stdout.write(transcript);`,
      fixture('success.jsonl'),
    );
    const h = await harness(bin, {}, SKIP_PERMISSIONS);
    await h.engine.generate({ prompt: 'x', plan, kind: 'update' }, noTools, h.ctx);
    const argv = JSON.parse(await readFile(path.join(h.home, 'argv.json'), 'utf8')) as string[];
    expect(argv).not.toContain('--resume');
    expect(argv).not.toContain(SKIP_PERMISSIONS);
    expect(h.sessions).toEqual([SESSION]);
  });

  it('answers a text-only completion with no tools', async () => {
    // This fake answers with what it received, as the result text.
    const bin = await fake(
      'claude-complete',
      `const lines = transcript.trim().split('\\n');
const result = JSON.parse(lines.pop());
result.result = JSON.stringify({ argv: process.argv.slice(2), stdin, home: process.env.HOME, cwd });
process.stdout.write(lines.join('\\n') + '\\n' + JSON.stringify(result) + '\\n');`,
      fixture('success.jsonl'),
    );
    const h = await harness(bin);
    const { text, usage } = await h.engine.complete(
      { system: 'Be brief.', prompt: 'Suggest a colour; $(id)', maxTokens: 200 },
      h.ctx,
    );
    expect(usage.costUsd).toBe(0.0421);
    const { argv, stdin, home, cwd } = JSON.parse(text) as {
      argv: string[];
      stdin: string;
      home: string;
      cwd: string;
    };
    expect(argv[argv.indexOf('--tools') + 1]).toBe('');
    expect(argv[argv.indexOf('--allowedTools') + 1]).toBe('');
    expect(argv).toContain('--no-session-persistence');
    expect(argv.join(' ')).not.toContain('colour');
    expect(stdin).toContain('Suggest a colour; $(id)');
    expect(stdin).toContain('Be brief.');
    expect(home.startsWith(h.homeRoot)).toBe(true);
    expect(cwd.startsWith(h.homeRoot)).toBe(true);
    // The scratch HOME and cwd are gone.
    expect(readdirSync(h.homeRoot).filter((f) => f.startsWith('.scratch-'))).toEqual([]);
  });

  it('turns failures into EngineUnavailableError with a readable message', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [
        'claude-auth',
        `process.stdout.write(${JSON.stringify(fixture('error-result.jsonl'))});`,
        /refused.*ANTHROPIC_API_KEY/,
      ],
      [
        'claude-not-logged-in',
        `process.stdout.write(${JSON.stringify(fixture('real-2.1.197-not-logged-in.jsonl'))}); process.exit(1);`,
        /refused.*ANTHROPIC_API_KEY/,
      ],
      [
        'claude-crash',
        `process.stdout.write(transcript.split('\\n').slice(0, 3).join('\\n') + '\\n'); process.stderr.write('TypeError: boom\\n'); process.exit(3);`,
        /exited with code 3 without a result: TypeError: boom/,
      ],
      [
        'claude-failed',
        `process.stdout.write(${JSON.stringify(fixture('error-during-execution.jsonl'))});`,
        /reported an error/,
      ],
      [
        'claude-retry-401',
        `process.stdout.write(transcript.split('\\n')[0] + '\\n' + JSON.stringify({ type: 'system', subtype: 'api_retry', attempt: 1, max_retries: 10, retry_delay_ms: 500, error_status: 401, error: 'authentication_failed' }) + '\\n');
setInterval(() => {}, 1000);`,
        /refused.*ANTHROPIC_API_KEY/,
      ],
    ];
    for (const [name, body, message] of cases) {
      const bin = await fake(name, body, fixture('success.jsonl'));
      const h = await harness(bin);
      const started = Date.now();
      const error = await h.engine
        .generate({ prompt: 'x', plan, kind: 'create' }, noTools, h.ctx)
        .catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(EngineUnavailableError);
      expect((error as Error).message, name).toMatch(message);
      expect(Date.now() - started, name).toBeLessThan(8000);
    }
  });

  it('accepts an exit without a result line, rebuilding the text', async () => {
    const bin = await fake(
      'claude-no-result',
      'process.stdout.write(transcript);',
      fixture('truncated.jsonl'),
    );
    const h = await harness(bin);
    const { summary } = await h.engine.generate(
      { prompt: 'x', plan, kind: 'create' },
      noTools,
      h.ctx,
    );
    expect(summary).toBe(FINAL);
  });

  it('continues after the turn limit in generate', async () => {
    const bin = await fake(
      'claude-max-turns',
      'process.stdout.write(transcript); process.exit(1);',
      fixture('max-turns.jsonl'),
    );
    const h = await harness(bin);
    const { usage } = await h.engine.generate(
      { prompt: 'x', plan, kind: 'create' },
      noTools,
      h.ctx,
    );
    expect(usage.costUsd).toBe(0.0188);
    expect(h.events.some((e) => /turn limit/.test(e.message))).toBe(true);
  });

  it('names CLAUDE_BIN when the CLI is missing', async () => {
    for (const bin of ['/nonexistent/claude', 'claude-not-installed-anywhere']) {
      const h = await harness(bin);
      const error = await h.engine
        .generate({ prompt: 'x', plan, kind: 'create' }, noTools, h.ctx)
        .catch((e: unknown) => e);
      // A setup error: permanent, and it says which setting to fix.
      expect(error).toBeInstanceOf(EngineMisconfiguredError);
      expect(error).toMatchObject({ setting: 'CLAUDE_BIN' });
      expect((error as Error).message).toContain(`CLAUDE_BIN=${bin}`);
    }
  });

  it('stops the CLI when the build is cancelled', async () => {
    const bin = await fake(
      'claude-cancel',
      `process.stdout.write(transcript.split('\\n')[0] + '\\n'); setInterval(() => process.stdout.write(''), 100);`,
      fixture('success.jsonl'),
    );
    const h = await harness(bin, { idleTimeoutMs: 60_000 });
    setTimeout(() => h.controller.abort('cancel'), 500);
    const started = Date.now();
    await expect(
      h.engine.generate({ prompt: 'x', plan, kind: 'create' }, noTools, h.ctx),
    ).rejects.toThrow(/cancelled/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('plans from the prompt without running the CLI', async () => {
    const h = await harness('/nonexistent/claude');
    const result = await h.engine.plan(
      { kind: 'create', prompt: 'A Vue dashboard called "Ops Board"' },
      h.ctx,
    );
    expect(result.plan).toMatchObject({ framework: 'vue', name: 'Ops Board' });
    expect(result.usage.costUsd).toBe(0);
  });

  it('keeps one HOME per project, private to the sandbox user', async () => {
    const bin = await fake(
      'claude-home',
      'process.stdout.write(transcript);',
      fixture('success.jsonl'),
    );
    const h = await harness(bin);
    await h.engine.generate({ prompt: 'x', plan, kind: 'create' }, noTools, h.ctx);
    const { statSync } = await import('node:fs');
    const info = statSync(h.home);
    expect(info.mode & 0o777).toBe(0o700);
    if (root) expect(info.uid).toBe(65534);
  });
});

describe.runIf(root)('ClaudeCliEngine in a build with a uid of its own', () => {
  it("runs as the build's uid and hands it the project HOME an earlier build wrote", async () => {
    const bin = await fake(
      'claude-identity',
      `fs.writeFileSync('index.html', '<h1>mine</h1>');
fs.readFileSync(process.env.HOME + '/.claude/earlier.json', 'utf8');
process.stdout.write(transcript);`,
      fixture('success.jsonl'),
    );
    const h = await harness(bin);
    const pool = new UidPool({ base: 426_000, count: 2 });
    const lease = await pool.acquire();
    const identity = lease.identity as { uid: number; gid: number };
    try {
      await chown(h.workspace, identity.uid, identity.gid);
      // What an earlier build of the project (another uid) left in its HOME, private to it.
      await mkdir(h.homeRoot, { mode: 0o711 });
      await mkdir(path.join(h.home, '.claude'), { recursive: true, mode: 0o700 });
      await writeFile(path.join(h.home, '.claude', 'earlier.json'), '{}', { mode: 0o600 });
      await chownTree(h.home);
      await h.engine.generate({ prompt: 'x', plan, kind: 'create' }, noTools, {
        ...h.ctx,
        identity,
      });
      expect(statSync(path.join(h.workspace, 'index.html')).uid).toBe(identity.uid);
      expect(statSync(path.join(h.home, '.claude', 'earlier.json')).uid).toBe(identity.uid);
    } finally {
      await lease.release();
    }
  });
});
