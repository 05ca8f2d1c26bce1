import path from 'node:path';
import type { RunResult, Sandbox } from '../../sandbox/sandbox.js';
import type { ProbeResult } from '../../services/health.service.js';
import { withScratch } from './home.js';
import { locateCli, misconfigured, type LocatedCli } from './locate.js';
import { excerpt } from './outcome.js';
import { runnableBy, stageExecutable, type User } from './stage.js';

export interface ClaudeCliRuntimeOptions {
  /** CLAUDE_BIN: a path, or a name looked up on `searchPath`. */
  bin: string;
  searchPath: string;
  sandbox: Sandbox;
  /** DATA_DIR/tools/claude: where a binary the sandbox user cannot reach is copied. */
  toolsDir: string;
  /** Where the health check's empty HOME and cwd are made (DATA_DIR/claude-homes). */
  scratchRoot: string;
  /** Who runs inside the sandbox when the worker is root; undefined otherwise. */
  sandboxUser: User | undefined;
  /** Limit of the health check's `--version` run (default 15 s: a cold native start is slow). */
  checkTimeoutMs?: number;
}

export interface ResolvedCli {
  /** Absolute path of the executable the sandbox runs. */
  command: string;
  /** What must be visible (read-only) inside the sandbox for it to run. */
  readOnlyPaths: string[];
  /** The installed executable CLAUDE_BIN led to (the same as `command` unless staged). */
  source: string;
  staged: boolean;
}

const CHECK_CACHE_MS = 30_000;
const SYSTEM_DIRS = ['/usr/', '/bin/', '/sbin/', '/lib/', '/lib64/'];

/**
 * The one place that decides which Claude Code executable runs and how: builds and the health
 * check both go through `resolve()`, so health reports on exactly what a build would run.
 *
 * When the worker is root the CLI runs as the sandbox user, who cannot reach a CLI installed
 * under root's 0700 home (nvm, ~/.local/bin, a $HOME npm prefix). A native binary there is
 * copied once into `toolsDir` (root-owned, 0755, named by its SHA-256) and run from that copy,
 * mounted read-only.
 */
export class ClaudeCliRuntime {
  private resolved: Promise<ResolvedCli> | undefined;
  private checked: { at: number; result: ProbeResult } | undefined;

  constructor(private readonly options: ClaudeCliRuntimeOptions) {}

  get bin(): string {
    return this.options.bin;
  }

  resolve(): Promise<ResolvedCli> {
    // A failure is not kept: the operator may install the CLI while the worker runs.
    this.resolved ??= this.find().catch((err: unknown) => {
      this.resolved = undefined;
      throw err;
    });
    return this.resolved;
  }

  /** Drops what `resolve()` found (after a run showed it does not start). */
  forget(): void {
    this.resolved = undefined;
    this.checked = undefined;
  }

  /** `--version` through the sandbox, as the sandbox user, on the path a build uses. */
  async check(): Promise<ProbeResult> {
    if (this.checked && Date.now() - this.checked.at < CHECK_CACHE_MS) return this.checked.result;
    const result = await this.runVersion();
    this.checked = { at: Date.now(), result };
    return result;
  }

  private async find(): Promise<ResolvedCli> {
    const { bin, sandboxUser: user, toolsDir } = this.options;
    const located = await locateCli(bin, this.options.searchPath);
    const plain = { command: located.file, source: located.file, staged: false };
    if (!user || (await runnableBy(located.file, user))) {
      return { ...plain, readOnlyPaths: mountsOf(located) };
    }
    if (!located.native && located.packageDirs.length > 0) {
      throw misconfigured(
        `CLAUDE_BIN=${bin} is ${located.file}, a JavaScript CLI the sandbox user (uid ${user.uid})` +
          ' cannot safely run from where it is. Install Claude Code 2.1.150 or later (a native' +
          ' binary, which the worker copies where that user can run it), or install the CLI' +
          ' under a directory everyone can read (npm install -g with the /usr/local prefix).',
      );
    }
    const staged = await stageExecutable(located.file, toolsDir, 'claude').catch((err: Error) => {
      throw misconfigured(
        `CLAUDE_BIN=${bin} (${located.file}) could not be copied to ${toolsDir} for the sandbox user: ${err.message}`,
        err,
      );
    });
    if (!(await runnableBy(staged.path, user))) {
      throw misconfigured(
        `CLAUDE_BIN=${bin} was copied to ${staged.path}, which the sandbox user (uid ${user.uid})` +
          ' cannot reach: DATA_DIR and every directory above it must be searchable by others (o+x).',
      );
    }
    return { ...plain, command: staged.path, readOnlyPaths: [staged.path], staged: true };
  }

  private async runVersion(): Promise<ProbeResult> {
    const { bin, sandbox } = this.options;
    let cli: ResolvedCli;
    try {
      cli = await this.resolve();
    } catch (err) {
      return { status: 'down', message: (err as Error).message };
    }
    const detail = { path: cli.command, source: cli.source, staged: cli.staged };
    let run: RunResult;
    try {
      run = await this.runInSandbox(cli, ['--version']);
    } catch (err) {
      return {
        status: 'down',
        message: `CLAUDE_BIN=${bin} (${cli.command}) could not be run in the ${sandbox.kind} sandbox: ${(err as Error).message}`,
        detail,
      };
    }
    const version = run.stdout.trim().split('\n')[0]?.trim() ?? '';
    if (run.exitCode === 0 && /\d+\.\d+\.\d+/.test(version)) {
      return { status: 'ok', detail: { ...detail, version } };
    }
    // The cached path may be what broke (a staged copy removed by hand): look again next time.
    this.resolved = undefined;
    const why = run.timedOut
      ? 'timed out'
      : excerpt(run.stderr || run.stdout || `exit code ${run.exitCode}`, 200);
    return {
      status: 'down',
      message: `CLAUDE_BIN=${bin} (${cli.command}) did not answer --version in the ${sandbox.kind} sandbox: ${why}`,
      detail,
    };
  }

  /** A run with no project: an empty HOME and cwd, no network, as the sandbox user. */
  private runInSandbox(cli: ResolvedCli, args: string[]): Promise<RunResult> {
    return withScratch(this.options.scratchRoot, this.options.sandboxUser, (dirs) =>
      this.options.sandbox.run({
        command: cli.command,
        args,
        cwd: dirs.work,
        workspace: dirs.work,
        env: {
          HOME: dirs.home,
          DISABLE_AUTOUPDATER: '1',
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        },
        network: false,
        timeoutMs: this.options.checkTimeoutMs ?? 15_000,
        readOnlyPaths: cli.readOnlyPaths,
        writablePaths: [dirs.home],
        // The user the scratch directories were made for (a build runs as its own slot uid).
        ...(this.options.sandboxUser ? { identity: this.options.sandboxUser } : {}),
      }),
    );
  }
}

/** What a CLI run from where it is installed needs mounted read-only. */
function mountsOf(located: LocatedCli): string[] {
  if (located.packageDirs.length > 0) return located.packageDirs;
  if (SYSTEM_DIRS.some((dir) => located.file.startsWith(dir))) return [];
  return [located.file];
}

/** DATA_DIR/tools/claude for a HOME root of DATA_DIR/claude-homes. */
export function toolsDirFor(homeRoot: string): string {
  return path.join(path.dirname(homeRoot), 'tools', 'claude');
}
