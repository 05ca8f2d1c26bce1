import path from 'node:path';
import { SANDBOX_UID } from '../../sandbox/create-sandbox.js';
import type { Sandbox, SandboxIdentity } from '../../sandbox/sandbox.js';
import {
  EngineMisconfiguredError,
  zeroUsage,
  type AiEngine,
  type AiTask,
  type BuildPlan,
  type EngineContext,
  type EngineUsage,
  type FailureForFix,
  type PlanInput,
  type TaskModels,
  type WorkspaceTools,
} from '../engine.js';
import { cliArgs, cliEnv, isSessionId, toolList } from './args.js';
import { ClaudeCliRuntime, toolsDirFor, type ResolvedCli } from './cli-runtime.js';
import { prepareHome, relocateSession, withScratch, type Owner } from './home.js';
import { failureOf, sessionNotFound, usageOf } from './outcome.js';
import {
  completePrompt,
  derivePlan,
  detectFramework,
  fixPrompt,
  generatePrompt,
} from './prompts.js';
import { runCli, type CliOutcome } from './run-cli.js';
import type { StreamEvent } from './stream-parser.js';
import { recommendWithCompletion } from '../agent/recommend.js';

export interface ClaudeCliEngineOptions {
  /** CLAUDE_BIN: a path, or a name looked up on `searchPath`. */
  bin: string;
  sandbox: Sandbox;
  /** DATA_DIR/claude-homes: one HOME (sessions, settings) per project below it. */
  homeRoot: string;
  apiKey?: string;
  baseUrl?: string;
  model?: string;
  /** AI_MODEL_<TASK>: a `--model` per task; a task without one uses `model`. */
  models?: TaskModels;
  allowBash: boolean;
  idleTimeoutMs: number;
  totalTimeoutMs: number;
  maxTurns: number;
  /** Where a bare `bin` is looked up (the worker's PATH); default node's own dir and the system dirs. */
  searchPath?: string;
  /** Owner of the per-project HOMEs when the worker runs as root: the sandbox user. */
  sandboxUid?: number;
  /** How long the CLI may linger after its result line before it is killed (default 3 s). */
  postResultGraceMs?: number;
  /**
   * Finds (and if need be stages) the executable; shared with the health check so both run
   * the same path. Default: one built from `bin`, `searchPath` and `toolsDir`.
   */
  runtime?: ClaudeCliRuntime;
  /** Where a CLI the sandbox user cannot reach is copied (default DATA_DIR/tools/claude). */
  toolsDir?: string;
}

/** Usage rows of runs where the CLI chose the model itself. */
const DEFAULT_MODEL_NAME = 'claude-cli';
const EDIT_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
const MAX_TEXT_EVENT = 4000;

type Emit = EngineContext['emit'];

/**
 * `AI_PROVIDER=claude-cli`: drives the Claude Code CLI, which edits the workspace with its own
 * tools. Every run goes through the sandbox (the workspace and the project's HOME writable,
 * network for the API), the prompt goes on stdin, project settings, hooks and MCP servers of
 * the workspace are never loaded, and watchdogs stop a CLI that goes silent or hangs after
 * its result.
 */
export class ClaudeCliEngine implements AiEngine {
  readonly name = 'claude-cli';
  readonly frameworks = ['react', 'nextjs', 'vue', 'svelte', 'static'] as const;
  private readonly runtime: ClaudeCliRuntime;

  constructor(private readonly options: ClaudeCliEngineOptions) {
    this.runtime =
      options.runtime ??
      new ClaudeCliRuntime({
        bin: options.bin,
        searchPath:
          options.searchPath ??
          [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
        sandbox: options.sandbox,
        toolsDir: options.toolsDir ?? toolsDirFor(options.homeRoot),
        scratchRoot: options.homeRoot,
        sandboxUser: this.owner(),
      });
  }

  /** Derived from the prompt, no CLI run: see `derivePlan`. */
  plan(input: PlanInput, _ctx: EngineContext): Promise<{ plan: BuildPlan; usage: EngineUsage }> {
    return Promise.resolve({
      plan: derivePlan(input),
      usage: zeroUsage(this.modelFor('plan') ?? DEFAULT_MODEL_NAME),
    });
  }

  async generate(
    input: { prompt: string; plan: BuildPlan; kind: 'create' | 'update' },
    _tools: WorkspaceTools,
    ctx: EngineContext,
  ): Promise<{ summary: string; usage: EngineUsage }> {
    const model = this.modelFor('generate');
    const { outcomes, changed } = await this.session(
      generatePrompt(input, this.options.allowBash),
      ctx,
      model,
    );
    const text = outcomes.at(-1)?.summary.text ?? '';
    return {
      summary:
        text || `Claude Code wrote ${changed.length} file${changed.length === 1 ? '' : 's'}.`,
      usage: usageOf(outcomes, model ?? DEFAULT_MODEL_NAME),
    };
  }

  async fix(
    failure: FailureForFix,
    tools: WorkspaceTools,
    ctx: EngineContext,
  ): Promise<{ changed: string[]; usage: EngineUsage }> {
    const files = await tools.listFiles().catch(() => []);
    const framework = files.length > 0 ? detectFramework('', files) : undefined;
    const model = this.modelFor('fix');
    const { outcomes, changed } = await this.session(
      fixPrompt(failure, framework, this.options.allowBash),
      ctx,
      model,
    );
    return { changed, usage: usageOf(outcomes, model ?? DEFAULT_MODEL_NAME) };
  }

  /** Ranks and words measured recommendations with one completion, on the recommend model. */
  recommend: NonNullable<AiEngine['recommend']> = (input, ctx) =>
    recommendWithCompletion(
      (i, c) => this.completeWith(this.modelFor('recommend'), i, c),
      input,
      ctx,
    );

  complete: AiEngine['complete'] = (input, ctx) =>
    this.completeWith(this.options.model, input, ctx);

  private async completeWith(
    model: string | undefined,
    input: { system?: string; prompt: string; maxTokens?: number },
    ctx: Pick<EngineContext, 'signal' | 'emit'>,
  ): Promise<{ text: string; usage: EngineUsage }> {
    const cli = await this.runtime.resolve();
    const owner = this.owner();
    // No project, no workspace: an empty scratch HOME and cwd, removed afterwards.
    return withScratch(this.options.homeRoot, owner, async ({ home, work }) => {
      const outcome = await this.runOnce({
        cli,
        args: cliArgs({
          tools: [],
          maxTurns: 1,
          noPersistence: true,
          ...(model ? { model } : {}),
        }),
        env: cliEnv({
          ...this.envBase,
          home,
          ...(input.maxTokens ? { maxOutputTokens: input.maxTokens } : {}),
        }),
        prompt: completePrompt(input),
        cwd: work,
        home,
        owner,
        signal: ctx.signal,
        onEvent: () => undefined,
      });
      this.check(outcome, ctx.signal, false);
      return {
        text: outcome.summary.text,
        usage: usageOf([outcome], model ?? DEFAULT_MODEL_NAME),
      };
    });
  }

  /**
   * One CLI conversation turn in the project's workspace: resumes the stored session when
   * there is one (falling back to a new conversation if the CLI no longer has it).
   */
  private async session(
    prompt: string,
    ctx: EngineContext,
    model: string | undefined,
  ): Promise<{ outcomes: CliOutcome[]; changed: string[] }> {
    const cli = await this.runtime.resolve();
    const owner = this.owner(ctx.identity);
    const home = await prepareHome(this.options.homeRoot, ctx.projectId, owner);
    const tracker = new ToolTracker(ctx.workspaceRoot, (event) => ctx.emit(event));
    const run = (resume: string | undefined) =>
      this.runOnce({
        cli,
        args: cliArgs({
          tools: toolList(this.options.allowBash),
          maxTurns: this.options.maxTurns,
          ...(model ? { model } : {}),
          ...(resume ? { resume } : {}),
        }),
        env: cliEnv({ ...this.envBase, home }),
        prompt,
        cwd: ctx.workspaceRoot,
        home,
        owner,
        signal: ctx.signal,
        onEvent: (event) => tracker.on(event),
      });

    // Only the id the worker stored is ever resumed, and only if it looks like a session id.
    let resume: string | undefined;
    if (isSessionId(ctx.sessionId)) {
      if (await relocateSession(home, ctx.sessionId, ctx.workspaceRoot, owner)) {
        resume = ctx.sessionId;
      } else {
        ctx.emit({
          type: 'progress',
          message: 'The stored Claude session is gone: starting a new one.',
        });
      }
    }
    const outcomes = [await run(resume)];
    if (resume && sessionNotFound(outcomes[0]!) && !ctx.signal.aborted) {
      ctx.emit({
        type: 'progress',
        message: 'The Claude CLI could not resume the session: starting a new one.',
      });
      resume = undefined;
      outcomes.push(await run(undefined));
    }
    const last = outcomes.at(-1)!;
    this.check(last, ctx.signal, true);
    // A new conversation worth continuing: its id from the init line, reported once. A resumed
    // run keeps the stored id whatever its init line says.
    if (!resume && last.summary.sessionId) ctx.onSession?.(last.summary.sessionId);
    if (last.summary.subtype === 'error_max_turns') {
      ctx.emit({
        type: 'progress',
        message: `Claude Code stopped at the turn limit (${this.options.maxTurns}); continuing with what it wrote.`,
      });
    }
    return { outcomes, changed: tracker.changed() };
  }

  private runOnce(run: {
    cli: ResolvedCli;
    args: string[];
    env: Record<string, string>;
    prompt: string;
    cwd: string;
    home: string;
    owner: Owner;
    signal: AbortSignal;
    onEvent: (event: StreamEvent) => void;
  }): Promise<CliOutcome> {
    return runCli({
      sandbox: this.options.sandbox,
      command: run.cli.command,
      args: run.args,
      env: run.env,
      stdin: run.prompt,
      cwd: run.cwd,
      workspace: run.cwd,
      writablePaths: [run.home],
      readOnlyPaths: run.cli.readOnlyPaths,
      apiOrigin: new URL(this.options.baseUrl ?? 'https://api.anthropic.com').origin,
      totalTimeoutMs: this.options.totalTimeoutMs,
      idleTimeoutMs: this.options.idleTimeoutMs,
      postResultGraceMs: this.options.postResultGraceMs ?? 3000,
      ...(run.owner ? { identity: run.owner } : {}),
      signal: run.signal,
      onEvent: run.onEvent,
    });
  }

  private check(outcome: CliOutcome, signal: AbortSignal, allowMaxTurns: boolean): void {
    if (signal.aborted)
      throw new Error('The Claude CLI run was cancelled', { cause: signal.reason });
    const error = failureOf(outcome, {
      bin: this.options.bin,
      idleTimeoutMs: this.options.idleTimeoutMs,
      totalTimeoutMs: this.options.totalTimeoutMs,
      allowMaxTurns,
    });
    // A CLI that could not even start: look for it afresh next time (it may have moved).
    if (error instanceof EngineMisconfiguredError) this.runtime.forget();
    if (error) throw error;
  }

  /** The build's identity when there is one; runs outside a build use the sandbox user. */
  private owner(identity?: SandboxIdentity): Owner {
    const uid = this.options.sandboxUid ?? SANDBOX_UID;
    return identity ?? (process.getuid?.() === 0 ? { uid, gid: uid } : undefined);
  }

  private get envBase() {
    return {
      ...(this.options.apiKey ? { apiKey: this.options.apiKey } : {}),
      ...(this.options.baseUrl ? { baseUrl: this.options.baseUrl } : {}),
    };
  }

  /** The `--model` of a task; undefined lets the CLI choose. */
  private modelFor(task: AiTask): string | undefined {
    return this.options.models?.[task] ?? this.options.model;
  }
}

/** Streams the CLI's text and tool calls as engine events and collects the files it changed. */
class ToolTracker {
  private readonly pending = new Map<string, string>();
  private readonly written = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly emit: Emit,
  ) {}

  on(event: StreamEvent): void {
    switch (event.type) {
      case 'init':
        this.emit({
          type: 'progress',
          message: 'Claude Code started',
          data: { model: event.model ?? null, tools: event.tools },
        });
        break;
      case 'text':
        this.emit({ type: 'text', message: event.text.slice(0, MAX_TEXT_EVENT) });
        break;
      case 'tool_use': {
        const rel = this.relative(event.path);
        const shown = rel ?? event.path;
        this.emit({
          type: 'tool',
          message: shown ? `${event.name} ${shown}` : event.name,
          data: { tool: event.name, ...(shown ? { path: shown } : {}) },
        });
        if (EDIT_TOOLS.has(event.name) && rel) {
          if (event.id) this.pending.set(event.id, rel);
          else this.written.add(rel);
        }
        break;
      }
      case 'tool_result': {
        const rel = event.id ? this.pending.get(event.id) : undefined;
        if (rel && !event.isError) this.written.add(rel);
        break;
      }
      case 'retry':
        this.emit({
          type: 'progress',
          message: `The API request failed${event.status ? ` (${event.status})` : ''}; the Claude CLI is retrying (attempt ${event.attempt}).`,
        });
        break;
      case 'result':
        break;
    }
  }

  changed(): string[] {
    return [...this.written].sort();
  }

  /** A path inside the workspace, relative to it; undefined for paths outside it. */
  private relative(p: string | undefined): string | undefined {
    if (!p) return undefined;
    const rel = path.relative(this.root, path.resolve(this.root, p));
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }
}
