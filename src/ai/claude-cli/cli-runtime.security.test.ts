/**
 * The Claude Code CLI as the sandbox user sees it: CLAUDE_BIN anywhere on disk (root's 0700
 * home, an npm wrapper whose postinstall never ran) still runs, the health check runs the very
 * path a build runs through the sandbox, and a CLI that cannot run is a setup error naming
 * CLAUDE_BIN, never "try again".
 */
import { readFileSync, statSync } from 'node:fs';
import {
  appendFile,
  chmod,
  chown,
  copyFile,
  mkdir,
  mkdtemp,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, SANDBOX_UID } from '../../sandbox/create-sandbox.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { EngineMisconfiguredError } from '../engine.js';
import { ClaudeCliEngine } from './claude-cli-engine.js';
import { ClaudeCliRuntime } from './cli-runtime.js';
import { locateCli, platformKey } from './locate.js';
import { failureOf } from './outcome.js';
import { runnableBy, sha256File } from './stage.js';
import { StreamParser } from './stream-parser.js';

const root = process.getuid?.() === 0;
const NOBODY = { uid: SANDBOX_UID, gid: SANDBOX_UID };
const FIXTURE = readFileSync(
  path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../../test/fixtures/claude-cli/success.jsonl',
  ),
  'utf8',
);

let sandbox: Sandbox;
let base: string;
let seq = 0;

beforeAll(async () => {
  sandbox = await createSandbox({
    mode: 'auto',
    limits: {
      memoryMb: 2048,
      maxProcesses: 256,
      maxOutputBytes: 4 * 1024 * 1024,
      maxFileBytes: 64 * 1024 * 1024,
    },
    scratchDir: path.join(tmpdir(), 'sheen-cli-runtime-scratch'),
    toolPaths: [],
    systemPath: process.env.PATH ?? '/usr/bin:/bin',
    requireBwrap: false,
  });
  base = await mkdtemp(path.join(tmpdir(), 'sheen-cli-runtime-'));
  await chmod(base, 0o755);
});

afterAll(() => rm(base, { recursive: true, force: true }));

/** A fresh data directory as the container makes it: 0711, so the sandbox user can pass. */
async function dataDir(): Promise<string> {
  const dir = path.join(base, `data-${++seq}`);
  await mkdir(dir, { mode: 0o711 });
  return dir;
}

/** Root's home as the issue found it: a 0700 directory with the CLI somewhere below it. */
async function privateCli(body: string, name = 'claude'): Promise<string> {
  const home = path.join(base, `home-${++seq}`);
  await mkdir(path.join(home, '.local', 'bin'), { recursive: true });
  await chmod(home, 0o700);
  const file = path.join(home, '.local', 'bin', name);
  await writeFile(file, body, { mode: 0o755 });
  return file;
}

function runtime(bin: string, data: string, user = root ? NOBODY : undefined) {
  return new ClaudeCliRuntime({
    bin,
    searchPath: '/usr/bin:/bin',
    sandbox,
    toolsDir: path.join(data, 'tools', 'claude'),
    scratchRoot: path.join(data, 'claude-homes'),
    sandboxUser: user,
  });
}

const VERSION_SCRIPT = '#!/bin/sh\necho "9.9.9 (Claude Code)"\n';

describe('where the sandbox user can run the CLI from', () => {
  it('needs search permission on every directory above it and no write access to it', async () => {
    const file = await privateCli(VERSION_SCRIPT);
    const home = path.dirname(path.dirname(path.dirname(file)));
    expect(await runnableBy(file, NOBODY)).toBe(false);
    await chmod(home, 0o755);
    expect(await runnableBy(file, NOBODY)).toBe(true);
    await chmod(file, 0o757);
    expect(await runnableBy(file, NOBODY)).toBe(false);
    await chmod(file, 0o750);
    expect(await runnableBy(file, NOBODY)).toBe(false);
  });
});

describe('CLAUDE_BIN that is an npm wrapper whose postinstall did not run', () => {
  const key = platformKey();

  /** node_modules/<dir> holding Claude Code's wrapper with its text stub at bin/claude.exe. */
  async function wrapper(modules: string, dir: string, version: string): Promise<string> {
    const pkg = path.join(modules, dir);
    await mkdir(path.join(pkg, 'bin'), { recursive: true });
    const optional = { [`@anthropic-ai/claude-code-${key}`]: version };
    const manifest = { name: '@anthropic-ai/claude-code', version, optionalDependencies: optional };
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify(manifest));
    await writeFile(path.join(pkg, 'bin', 'claude.exe'), 'echo "not installed" >&2\nexit 1\n', {
      mode: 0o755,
    });
    return path.join(pkg, 'bin', 'claude.exe');
  }

  async function platformPackage(modules: string, version: string): Promise<string> {
    const pkg = path.join(modules, '@anthropic-ai', `claude-code-${key}`);
    await mkdir(pkg, { recursive: true });
    const name = `@anthropic-ai/claude-code-${key}`;
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name, version }));
    // Any native executable stands in for the CLI: only the lookup is under test.
    await copyFile('/usr/bin/true', path.join(pkg, 'claude'));
    await chmod(path.join(pkg, 'claude'), 0o755);
    return path.join(pkg, 'claude');
  }

  it('runs the platform package at the version the wrapper pins, nested or beside it', async () => {
    const modules = path.join(base, `nm-${++seq}`, 'node_modules');
    const stub = await wrapper(modules, '@anthropic-ai/claude-code', '9.9.9');
    const beside = await platformPackage(modules, '9.9.9');
    expect(await locateCli(stub, '')).toEqual({ file: beside, native: true, packageDirs: [] });

    // An npm alias (claude-code-current) with its own copy nested, and a stale one beside it.
    const alias = await wrapper(modules, 'claude-code-current', '9.10.0');
    const nested = await platformPackage(
      path.join(modules, 'claude-code-current', 'node_modules'),
      '9.10.0',
    );
    expect((await locateCli(alias, '')).file).toBe(nested);
  });

  it('is a setup error naming CLAUDE_BIN when the native package is missing', async () => {
    const modules = path.join(base, `nm-${++seq}`, 'node_modules');
    const stub = await wrapper(modules, '@anthropic-ai/claude-code', '9.9.9');
    await platformPackage(modules, '9.9.8');
    const error = await locateCli(stub, '').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineMisconfiguredError);
    expect(error).toMatchObject({ setting: 'CLAUDE_BIN' });
    expect((error as Error).message).toMatch(/CLAUDE_BIN=.*native binary .*is not installed/);
  });
});

describe.skipIf(!root)('a CLI under a 0700 directory, worker running as root', () => {
  it('is copied once for the sandbox user, verified by hash, and health runs that copy', async () => {
    const source = await privateCli(VERSION_SCRIPT);
    const data = await dataDir();
    const cli = await runtime(source, data).resolve();
    expect(cli).toMatchObject({ source, staged: true, readOnlyPaths: [cli.command] });
    const sha = await sha256File(source);
    expect(cli.command).toBe(path.join(data, 'tools', 'claude', sha, 'claude'));
    const info = statSync(cli.command);
    expect([info.uid, info.mode & 0o777]).toEqual([0, 0o755]);
    expect(await runnableBy(cli.command, NOBODY)).toBe(true);

    const check = await runtime(source, data).check();
    expect(check).toMatchObject({
      status: 'ok',
      detail: { version: '9.9.9 (Claude Code)', path: cli.command, staged: true },
    });
  });

  it('replaces a staged copy whose hash no longer matches', async () => {
    const source = await privateCli(VERSION_SCRIPT);
    const data = await dataDir();
    const first = await runtime(source, data).resolve();
    await appendFile(first.command, 'echo tampered\n');
    const again = await runtime(source, data).resolve();
    expect(again.command).toBe(first.command);
    expect(readFileSync(again.command, 'utf8')).toBe(VERSION_SCRIPT);
  });

  it('runs a CLI the sandbox user can already reach from where it is', async () => {
    const source = await privateCli(VERSION_SCRIPT);
    await chmod(path.dirname(path.dirname(path.dirname(source))), 0o755);
    const cli = await runtime(source, await dataDir()).resolve();
    expect(cli).toMatchObject({ command: source, staged: false });
  });

  it('lets a build run the staged CLI in the sandbox', async () => {
    const source = await privateCli(
      `#!/usr/bin/env node\nrequire('node:fs').readFileSync(0);\nprocess.stdout.write(${JSON.stringify(FIXTURE)});\n`,
    );
    const data = await dataDir();
    const workspace = path.join(data, 'workspace');
    await mkdir(workspace);
    await chown(workspace, SANDBOX_UID, SANDBOX_UID);
    const engine = new ClaudeCliEngine({
      bin: source,
      sandbox,
      homeRoot: path.join(data, 'claude-homes'),
      allowBash: false,
      idleTimeoutMs: 10_000,
      totalTimeoutMs: 20_000,
      maxTurns: 5,
    });
    const plan = { framework: 'static', name: 'X', summary: '', files: [], tasks: [], meta: {} };
    const { summary } = await engine.generate(
      { prompt: 'a page', plan: plan as never, kind: 'create' },
      {
        writeFile: never,
        writeFiles: never,
        readFile: never,
        listFiles: () => Promise.resolve([]),
        deleteFile: never,
      },
      {
        signal: new AbortController().signal,
        emit: () => undefined,
        workspaceRoot: workspace,
        projectId: '01JPROJECTSTAGED00000000000',
      },
    );
    expect(summary).toContain('Sunrise Bakery');
  });
});

const never = () => Promise.reject(new Error('the CLI writes through its own tools'));

describe('health of a CLI that cannot run', () => {
  it('names CLAUDE_BIN when it is missing', async () => {
    for (const bin of ['/nonexistent/claude', 'claude-not-installed-anywhere']) {
      const check = await runtime(bin, await dataDir()).check();
      expect(check.status).toBe('down');
      expect(check.message).toContain(`CLAUDE_BIN=${bin}`);
    }
  });

  it('is down, naming CLAUDE_BIN and the sandbox, when the binary is broken', async () => {
    const truncated = await privateCli('');
    await writeFile(truncated, readFileSync('/usr/bin/true').subarray(0, 200));
    const failing = await privateCli('#!/bin/sh\necho "no licence" >&2\nexit 1\n');
    for (const bin of [truncated, failing]) {
      const check = await runtime(bin, await dataDir()).check();
      expect(check.status, bin).toBe('down');
      expect(check.message, bin).toMatch(
        new RegExp(`CLAUDE_BIN=${bin} \\(.*\\) did not answer --version in the \\w+ sandbox`),
      );
    }
  });
});

describe('a run the sandbox could not start', () => {
  it('is a setup error naming CLAUDE_BIN, not an outage', () => {
    const parser = new StreamParser();
    for (const stderr of [
      "bwrap: Can't find source path /root/.local/bin/claude: Permission denied",
      'bwrap: execvp /data/tools/claude/ab/claude: No such file or directory',
    ]) {
      const error = failureOf(
        {
          summary: parser.summary(),
          run: { exitCode: 1, signal: null, timedOut: false, stdout: '', stderr, durationMs: 5 },
          authRetries: 0,
        },
        {
          bin: '/root/.local/bin/claude',
          idleTimeoutMs: 1,
          totalTimeoutMs: 1,
          allowMaxTurns: true,
        },
      );
      expect(error).toBeInstanceOf(EngineMisconfiguredError);
      expect(error?.message).toContain('CLAUDE_BIN=/root/.local/bin/claude');
      expect(error?.message).not.toMatch(/try again/i);
    }
  });
});
