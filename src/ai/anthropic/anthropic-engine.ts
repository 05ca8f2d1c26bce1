/**
 * The Anthropic engine (`AI_PROVIDER=anthropic`): Claude through the official SDK, over the
 * Messages API with streaming and tool use. `plan` is one JSON request; `generate` and `fix` run
 * the tool loop in `agent-loop.ts` over the workspace tools; `complete` is one text request.
 * Transport, retries and usage live in `messages.ts`.
 */
import {
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
import { planFromReply } from '../agent/plan.js';
import {
  fixContext,
  fixInstruction,
  fixSystemPrompt,
  generateContext,
  generateInstruction,
  generateSystemPrompt,
  planRequest,
  planSystemPrompt,
} from '../agent/prompts.js';
import { UsageMeter } from '../agent/usage.js';
import { runAgentLoop, type AgentOutcome } from './agent-loop.js';
import { AnthropicApi, ENGINE, type ApiOptions } from './messages.js';
import { recommendWithCompletion } from '../agent/recommend.js';

export interface AnthropicEngineOptions {
  apiKey: string;
  baseUrl?: string;
  model: string;
  /** AI_MODEL_<TASK>: a model per task; a task without one uses `model`. */
  models?: TaskModels;
  /** Model requests one generate or fix call may make (AI_MAX_TURNS). */
  maxTurns: number;
  /** Output tokens per request (AI_MAX_TOKENS). */
  maxTokens: number;
  /** Retries per request after the first attempt (AI_RETRIES). */
  retries: number;
  /** Backoff and stream-watch tuning; the defaults suit production, tests shorten them. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  retryAfterMaxMs?: number;
  idleTimeoutMs?: number;
}

/** Plans are short JSON; a small limit keeps a rambling reply cheap. */
const PLAN_MAX_TOKENS = 4096;
/** File contents given to a fix up front; the model can read more with read_file. */
const FIX_CONTEXT_CHARS = 40_000;

export class AnthropicEngine implements AiEngine {
  readonly name = ENGINE;
  readonly frameworks = ['react', 'nextjs', 'vue', 'svelte', 'static'] as const;
  private readonly api: AnthropicApi;

  constructor(private readonly options: AnthropicEngineOptions) {
    if (!options.apiKey) throw new Error('The anthropic engine needs an API key.');
    const api: ApiOptions = {
      apiKey: options.apiKey,
      model: options.model,
      retries: options.retries,
      ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
      ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
      ...(options.retryMaxMs !== undefined ? { retryMaxMs: options.retryMaxMs } : {}),
      ...(options.retryAfterMaxMs !== undefined
        ? { retryAfterMaxMs: options.retryAfterMaxMs }
        : {}),
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    };
    this.api = new AnthropicApi(api);
  }

  async plan(
    input: PlanInput,
    ctx: EngineContext,
  ): Promise<{ plan: BuildPlan; usage: EngineUsage }> {
    const model = this.modelFor('plan');
    const usage = new UsageMeter(model);
    const reply = await this.api.send(
      {
        model,
        system: planSystemPrompt(),
        messages: [{ role: 'user', content: planRequest(input) }],
        maxTokens: Math.min(this.options.maxTokens, PLAN_MAX_TOKENS),
      },
      // The plan reply is JSON, not prose worth streaming to a person.
      { signal: ctx.signal, emit: (e) => ctx.emit(e), usage, emitText: false },
    );
    const { plan, parsed } = planFromReply(reply.text, input, ENGINE);
    ctx.emit({
      type: 'progress',
      message: parsed
        ? plan.summary
        : 'The plan reply was not valid JSON; planning from the request.',
      data: { framework: plan.framework, files: plan.files.length, parsed },
    });
    return { plan, usage: usage.result() };
  }

  async generate(
    input: { prompt: string; plan: BuildPlan; kind: 'create' | 'update' },
    tools: WorkspaceTools,
    ctx: EngineContext,
  ): Promise<{ summary: string; usage: EngineUsage }> {
    const model = this.modelFor('generate');
    const usage = new UsageMeter(model);
    // For updates the model gets the file list only and reads what it needs: sending every file
    // would cost more than the few reads a typical change makes.
    const existing = input.kind === 'update' ? await tools.listFiles() : undefined;
    const outcome = await runAgentLoop(
      this.api,
      {
        model,
        system: generateSystemPrompt(input.plan.framework),
        context: generateContext(input.plan, existing),
        instruction: generateInstruction(input.prompt, input.kind),
        maxTurns: this.options.maxTurns,
        maxTokens: this.options.maxTokens,
      },
      tools,
      ctx,
      usage,
    );
    return { summary: this.summarise(outcome), usage: usage.result() };
  }

  async fix(
    failure: FailureForFix,
    tools: WorkspaceTools,
    ctx: EngineContext,
  ): Promise<{ changed: string[]; usage: EngineUsage }> {
    const model = this.modelFor('fix');
    const usage = new UsageMeter(model);
    const files = await readForFix(failure.files, tools);
    const outcome = await runAgentLoop(
      this.api,
      {
        model,
        system: fixSystemPrompt(),
        context: fixContext(files),
        instruction: fixInstruction(failure),
        maxTurns: this.options.maxTurns,
        maxTokens: this.options.maxTokens,
      },
      tools,
      ctx,
      usage,
    );
    ctx.emit({ type: 'progress', message: this.summarise(outcome) });
    return { changed: outcome.changed, usage: usage.result() };
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
    model: string,
    input: { system?: string; prompt: string; maxTokens?: number },
    ctx: Pick<EngineContext, 'signal' | 'emit'>,
  ): Promise<{ text: string; usage: EngineUsage }> {
    const usage = new UsageMeter(model);
    const reply = await this.api.send(
      {
        model,
        ...(input.system ? { system: input.system } : {}),
        messages: [{ role: 'user', content: input.prompt }],
        maxTokens: input.maxTokens ?? this.options.maxTokens,
      },
      { signal: ctx.signal, emit: (e) => ctx.emit(e), usage, emitText: true },
    );
    return { text: reply.text.trim(), usage: usage.result() };
  }

  private modelFor(task: AiTask): string {
    return this.options.models?.[task] ?? this.options.model;
  }

  private summarise(outcome: AgentOutcome): string {
    const files = `${outcome.changed.length} file${outcome.changed.length === 1 ? '' : 's'} changed`;
    switch (outcome.stop) {
      case 'turn_limit':
        return (
          `Stopped after ${outcome.turns} turns (the AI_MAX_TURNS limit) before the model said it ` +
          `was done; ${files}.`
        );
      case 'refusal':
        return `The model declined the request; ${files}.${outcome.finalText ? ' ' + outcome.finalText : ''}`;
      case 'context_full':
        return `Stopped: the conversation filled the model's context window; ${files}.`;
      case 'done':
        return outcome.finalText || `Done; ${files}.`;
    }
  }
}

/**
 * The contents of the files a failure names, read through the workspace tools (so the same
 * containment applies) and capped in total; unreadable names are skipped.
 */
async function readForFix(
  names: readonly string[],
  tools: WorkspaceTools,
): Promise<{ path: string; content: string }[]> {
  const out: { path: string; content: string }[] = [];
  let budget = FIX_CONTEXT_CHARS;
  for (const name of new Set(names.map((n) => n.replace(/^\.\//, '')))) {
    if (budget <= 0) break;
    let content: string;
    try {
      content = await tools.readFile(name);
    } catch {
      continue;
    }
    if (content.length > budget) {
      content = content.slice(0, budget) + '\n[truncated: read_file shows the rest]';
    }
    budget -= content.length;
    out.push({ path: name, content });
  }
  return out;
}
