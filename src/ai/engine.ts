/**
 * The AI engine port. An engine turns a prompt into a plan, writes the app through workspace
 * tools (never the filesystem directly), and repairs classified build failures. Engines:
 * offline (deterministic, no network), and later anthropic, claude-cli and openai.
 */
import type { SandboxIdentity } from '../sandbox/sandbox.js';

// New frameworks go last: clients read this order in validation messages.
export const FRAMEWORKS = ['react', 'nextjs', 'vue', 'svelte', 'static', 'astro'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** The kinds of engine call a build makes; each may have a model of its own (AI_MODEL_<TASK>). */
export const AI_TASKS = ['plan', 'generate', 'fix', 'recommend'] as const;
export type AiTask = (typeof AI_TASKS)[number];
/** A model per task; a task without one uses the engine's model. */
export type TaskModels = Partial<Record<AiTask, string>>;

export interface EngineUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  durationMs: number;
  model: string;
  /** The engine that did the work, when a chain chose among several. */
  engine?: string;
}

export interface EngineEvent {
  type: 'text' | 'tool' | 'progress';
  message: string;
  data?: Record<string, unknown>;
}

export interface EngineContext {
  signal: AbortSignal;
  emit(event: EngineEvent): void;
  /** Absolute path of the build's workspace (engines that run their own tools, like the CLI, use it as cwd). */
  workspaceRoot: string;
  projectId: string;
  /** A conversation to continue (the Claude CLI's session id stored for this project). */
  sessionId?: string;
  /** Called when the engine starts a new conversation worth resuming later. */
  onSession?(sessionId: string): void;
  /** The uid/gid the build's sandboxed processes run as (engines that run tools use it). */
  identity?: SandboxIdentity;
}

/** File operations an engine may use; every path is relative and contained in the workspace. */
export interface WorkspaceTools {
  writeFile(path: string, content: string): Promise<void>;
  /** Several files as one write: all are checked before any is written. */
  writeFiles(files: ReadonlyArray<readonly [string, string]>): Promise<void>;
  readFile(path: string): Promise<string>;
  listFiles(dir?: string): Promise<string[]>;
  deleteFile(path: string): Promise<void>;
}

export interface PlanInput {
  kind: 'create' | 'update';
  prompt: string;
  /** The app's name to keep: the client's choice for a create, the current name for an update. */
  name?: string;
  framework?: Framework;
  /** For updates: the current files of the latest version. */
  existingFiles?: string[];
}

export interface BuildPlan {
  framework: Framework;
  name: string;
  summary: string;
  files: string[];
  tasks: string[];
  /** Engine-specific detail carried from plan to generate (e.g. the offline app kind). */
  meta: Record<string, unknown>;
}

export interface FailureForFix {
  category: string;
  message: string;
  output: string;
  files: string[];
}

/** A measured recommendation as an engine sees it: `ref` names it in the engine's answer. */
export interface RecommendationSignal {
  ref: string;
  kind: string;
  severity: string;
  title: string;
  detail: string;
  action: string;
  evidence: Record<string, unknown>;
}

/**
 * An engine's view of measured recommendations: an order (refs, most useful first), better
 * wording, and ideas of its own. Untrusted like any engine output: the worker validates it,
 * keeps every measured fact, and answers without it if it is wrong in any way.
 */
export interface EngineAdvice {
  order?: unknown;
  rewrites?: unknown;
  ideas?: unknown;
}

export interface AiEngine {
  readonly name: string;
  /** Frameworks this engine can generate. */
  readonly frameworks: readonly Framework[];
  plan(input: PlanInput, ctx: EngineContext): Promise<{ plan: BuildPlan; usage: EngineUsage }>;
  generate(
    input: { prompt: string; plan: BuildPlan; kind: 'create' | 'update' },
    tools: WorkspaceTools,
    ctx: EngineContext,
  ): Promise<{ summary: string; usage: EngineUsage }>;
  fix(
    failure: FailureForFix,
    tools: WorkspaceTools,
    ctx: EngineContext,
  ): Promise<{ changed: string[]; usage: EngineUsage }>;
  /**
   * Optional: rank and word measured recommendations for the app the prompt asked for, and add
   * ideas. Engines without it (offline) leave the worker's deterministic answer as it is.
   */
  recommend?(
    input: { prompt: string; items: RecommendationSignal[] },
    ctx: Pick<EngineContext, 'signal' | 'emit'>,
  ): Promise<{ advice: EngineAdvice; usage: EngineUsage }>;
  /** A plain text answer (recommendations, summaries); no workspace access. */
  complete(
    input: { system?: string; prompt: string; maxTokens?: number },
    ctx: Pick<EngineContext, 'signal' | 'emit'>,
  ): Promise<{ text: string; usage: EngineUsage }>;
}

/**
 * An engine that cannot be reached (network down, auth refused, overloaded past retries):
 * the build fails with AI_UNAVAILABLE, or the next engine in AI_FALLBACK takes over.
 */
export class EngineUnavailableError extends Error {
  constructor(
    readonly engine: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EngineUnavailableError';
  }
}

/**
 * An engine that cannot work on this worker until the operator changes its set-up (a missing
 * or unrunnable CLI): retrying does not help, so the build fails with AI_ENGINE_MISCONFIGURED
 * and a message naming `setting`. It is still "unavailable" to an engine chain, which moves on
 * to the next engine in AI_FALLBACK.
 */
export class EngineMisconfiguredError extends EngineUnavailableError {
  constructor(
    engine: string,
    /** The environment variable to fix, e.g. CLAUDE_BIN. */
    readonly setting: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(engine, message, options);
    this.name = 'EngineMisconfiguredError';
  }
}

/**
 * An engine that cannot do what this request asks (the offline engine asked to update an app
 * it did not write, or to build a framework it does not know): retrying does not help, so the
 * build fails with AI_REQUEST_UNSUPPORTED and the engine's own words. An engine chain moves on
 * to the next engine in AI_FALLBACK, which may be able to.
 */
export class EngineUnsupportedError extends EngineUnavailableError {
  constructor(engine: string, message: string) {
    super(engine, message);
    this.name = 'EngineUnsupportedError';
  }
}

/**
 * An update of which the engine can apply nothing (it asks only for things the engine cannot
 * do, or for what the app already has): rather than build an identical version, the build
 * ends with UPDATE_NOTHING_TO_CHANGE. A chain still offers it to the next engine.
 */
export class EngineNothingToChangeError extends EngineUnsupportedError {
  constructor(
    engine: string,
    message: string,
    /** The asks the engine could not apply, for the client to read. */
    readonly unmet: readonly string[] = [],
  ) {
    super(engine, message);
    this.name = 'EngineNothingToChangeError';
  }
}

export function zeroUsage(model: string, durationMs = 0): EngineUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    durationMs,
    model,
  };
}
