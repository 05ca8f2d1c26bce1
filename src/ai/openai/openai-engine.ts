/**
 * The `openai` engine: any server that speaks the OpenAI Chat Completions API (OpenAI, Ollama,
 * vLLM, LM Studio, OpenRouter…). Every call streams; generate and fix drive the shared workspace
 * tools through function calling (see agent-loop.ts), and the shared retry policy
 * (`../agent/retry.ts`, with this server's errors read by classify.ts) turns an unreachable or
 * refusing server into `EngineUnavailableError`.
 *
 * The SDK is given every setting explicitly (key, base URL, organisation, project, logging), so
 * it never reads `OPENAI_*` from the environment: configuration comes from config.ts alone.
 */
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import {
  FRAMEWORKS,
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
import { extractJsonObject, planFromReply } from '../agent/plan.js';
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
import { Retrier } from '../agent/retry.js';
import { UsageMeter } from '../agent/usage.js';
import { meterTurn, retryNotice, runToolLoop, type LoopResult } from './agent-loop.js';
import { Chat } from './chat.js';
import { classifier, ENGINE_NAME, hostOf, serverAt } from './classify.js';
import { recommendWithCompletion } from '../agent/recommend.js';

export interface OpenAiEngineOptions {
  /** Absent for local servers that need none (a placeholder is sent). */
  apiKey?: string;
  /** Default https://api.openai.com/v1; a bare origin (http://localhost:11434) gets `/v1`. */
  baseUrl?: string;
  model: string;
  /** AI_MODEL_<TASK>: a model per task; a task without one uses `model`. */
  models?: TaskModels;
  /** Model requests per generate or fix call. */
  maxTurns: number;
  /** Output tokens per model request. */
  maxTokens: number;
  /** Retries after a failed request (429, 5xx, dropped connection, cut stream). */
  retries: number;
  /** First backoff delay, doubled per retry (default 1000 ms). */
  retryBaseMs?: number;
  /** Largest backoff delay (default 30 s). */
  retryMaxMs?: number;
  /** Longest `retry-after` honoured; a longer one makes the engine unavailable (default 60 s). */
  retryAfterMaxMs?: number;
  /** A stream silent this long is retried (default 5 minutes). */
  idleTimeoutMs?: number;
  /** Time to wait for a response to start (default 10 minutes). */
  timeoutMs?: number;
}

/** Sent when no key is configured: the SDK requires one and local servers ignore it. */
export const PLACEHOLDER_API_KEY = 'sk-no-key-required';
export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Files attached to a fix request, and how much of each. */
const FIX_FILES = 4;
const FIX_FILE_CHARS = 20_000;

/** The base URL the SDK is given: no trailing slash, `/v1` added to a bare origin. */
export function normaliseBaseUrl(baseUrl: string | undefined): string {
  if (!baseUrl) return DEFAULT_BASE_URL;
  const url = new URL(baseUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1';
  return url.toString().replace(/\/+$/, '');
}

/** Smart quotes and trailing commas: the JSON slips models make most. */
function repairJson(text: string): string {
  return text
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/,(\s*[}\]])/g, '$1')
    .replace(/```(?:json)?/gi, '');
}

/** The plan in a reply (repaired if need be), else a plan from the request. */
function readPlan(text: string, input: PlanInput): { plan: BuildPlan; parsed: boolean } {
  const json = extractJsonObject(text) ?? extractJsonObject(repairJson(text));
  if (!json) return planFromReply('', input, ENGINE_NAME);
  // Every key present (null when the model left it out): the shared schema wants them all.
  const complete = {
    framework: null,
    name: null,
    summary: null,
    files: null,
    tasks: null,
    ...json,
  };
  return planFromReply(JSON.stringify(complete), input, ENGINE_NAME);
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export class OpenAiEngine implements AiEngine {
  readonly name = ENGINE_NAME;
  readonly frameworks = FRAMEWORKS;
  readonly #chat: Chat;
  readonly #options: OpenAiEngineOptions;

  constructor(options: OpenAiEngineOptions) {
    this.#options = options;
    const baseURL = normaliseBaseUrl(options.baseUrl);
    const apiKey = options.apiKey || PLACEHOLDER_API_KEY;
    const client = new OpenAI({
      apiKey,
      baseURL,
      organization: null,
      project: null,
      webhookSecret: null,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 600_000,
      logLevel: 'off',
    });
    this.#chat = new Chat({
      client,
      model: options.model,
      retrier: new Retrier({
        engine: ENGINE_NAME,
        subject: serverAt(hostOf(baseURL)),
        unreachableHint: 'Is it running, and is OPENAI_BASE_URL right?',
        retries: options.retries,
        baseMs: options.retryBaseMs ?? 1000,
        maxMs: options.retryMaxMs ?? 30_000,
        retryAfterMaxMs: options.retryAfterMaxMs ?? 60_000,
        secrets: options.apiKey ? [options.apiKey] : [],
        classify: classifier(hostOf(baseURL)),
      }),
      ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    });
  }

  /** One streamed answer without tools, usage counted. */
  async #ask(
    messages: ChatCompletionMessageParam[],
    maxTokens: number,
    ctx: Pick<EngineContext, 'signal' | 'emit'>,
    meter: UsageMeter,
    model: string,
  ): Promise<string> {
    const reply = await this.#chat.turn({
      model,
      messages,
      maxTokens,
      signal: ctx.signal,
      onRetry: retryNotice(ctx),
    });
    meterTurn(meter, reply);
    return reply.text;
  }

  async plan(
    input: PlanInput,
    ctx: EngineContext,
  ): Promise<{ plan: BuildPlan; usage: EngineUsage }> {
    ctx.signal.throwIfAborted();
    const model = this.#modelFor('plan');
    const meter = new UsageMeter(model);
    const text = await this.#ask(
      [
        { role: 'system', content: planSystemPrompt() },
        { role: 'user', content: planRequest(input) },
      ],
      this.#options.maxTokens,
      ctx,
      meter,
      model,
    );
    const read = readPlan(text, input);
    if (!read.parsed) {
      ctx.emit({
        type: 'progress',
        message: "The model's plan was not readable JSON; planning from the request instead.",
      });
    }
    const plan: BuildPlan = {
      ...read.plan,
      meta: { ...read.plan.meta, model, mode: input.kind },
    };
    ctx.emit({ type: 'progress', message: plan.summary });
    return { plan, usage: meter.result() };
  }

  async generate(
    input: { prompt: string; plan: BuildPlan; kind: 'create' | 'update' },
    tools: WorkspaceTools,
    ctx: EngineContext,
  ): Promise<{ summary: string; usage: EngineUsage }> {
    ctx.signal.throwIfAborted();
    const model = this.#modelFor('generate');
    const meter = new UsageMeter(model);
    const existing = input.kind === 'update' ? await tools.listFiles() : undefined;
    const loop = await runToolLoop({
      chat: this.#chat,
      model,
      system: generateSystemPrompt(input.plan.framework),
      user:
        generateContext(input.plan, existing) +
        '\n\n' +
        generateInstruction(input.prompt, input.kind),
      tools,
      ctx,
      meter,
      maxTurns: this.#options.maxTurns,
      maxTokens: this.#options.maxTokens,
    });
    const summary = this.#summarise(loop, model);
    if (loop.end !== 'done') ctx.emit({ type: 'progress', message: summary });
    return { summary, usage: meter.result() };
  }

  async fix(
    failure: FailureForFix,
    tools: WorkspaceTools,
    ctx: EngineContext,
  ): Promise<{ changed: string[]; usage: EngineUsage }> {
    ctx.signal.throwIfAborted();
    const model = this.#modelFor('fix');
    const meter = new UsageMeter(model);
    const attached: { path: string; content: string }[] = [];
    for (const path of failure.files.slice(0, FIX_FILES)) {
      try {
        const content = await tools.readFile(path);
        attached.push({
          path,
          content:
            content.length > FIX_FILE_CHARS
              ? content.slice(0, FIX_FILE_CHARS) + '\n[truncated: read_file for the rest]'
              : content,
        });
      } catch {
        // A file the error names may not exist (that can be the failure); the model can look.
      }
    }
    const loop = await runToolLoop({
      chat: this.#chat,
      model,
      system: fixSystemPrompt(),
      user: fixInstruction(failure) + '\n\n' + fixContext(attached),
      tools,
      ctx,
      meter,
      maxTurns: this.#options.maxTurns,
      maxTokens: this.#options.maxTokens,
    });
    if (loop.end !== 'done') ctx.emit({ type: 'progress', message: this.#summarise(loop, model) });
    return { changed: loop.changed, usage: meter.result() };
  }

  /** Ranks and words measured recommendations with one completion, on the recommend model. */
  recommend: NonNullable<AiEngine['recommend']> = (input, ctx) =>
    recommendWithCompletion(
      (i, c) => this.#complete(this.#modelFor('recommend'), i, c),
      input,
      ctx,
    );

  complete: AiEngine['complete'] = (input, ctx) => this.#complete(this.#options.model, input, ctx);

  async #complete(
    model: string,
    input: { system?: string; prompt: string; maxTokens?: number },
    ctx: Pick<EngineContext, 'signal' | 'emit'>,
  ): Promise<{ text: string; usage: EngineUsage }> {
    ctx.signal.throwIfAborted();
    const meter = new UsageMeter(model);
    const messages: ChatCompletionMessageParam[] = [
      ...(input.system ? [{ role: 'system' as const, content: input.system }] : []),
      { role: 'user', content: input.prompt },
    ];
    const maxTokens = input.maxTokens ?? this.#options.maxTokens;
    const text = await this.#ask(messages, maxTokens, ctx, meter, model);
    return { text: text.trim(), usage: meter.result() };
  }

  #modelFor(task: AiTask): string {
    return this.#options.models?.[task] ?? this.#options.model;
  }

  #summarise(loop: LoopResult, model: string): string {
    const wrote = plural(loop.changed.length, 'file');
    const failed =
      loop.failed.length > 0
        ? ` Could not write ${plural(loop.failed.length, 'file')}: ${loop.failed.slice(0, 5).join(', ')}.`
        : '';
    switch (loop.end) {
      case 'done':
        return (loop.text ? clip(loop.text, 600) : `Changed ${wrote}.`) + failed;
      case 'extracted':
        return (
          `The model printed its files instead of calling the tools; wrote ${wrote} from its answer` +
          (loop.changed.length > 0 ? `: ${loop.changed.slice(0, 10).join(', ')}.` : '.') +
          failed
        );
      case 'no-tools':
        return (
          `The model ${model} answered without calling the file tools, even when asked again, ` +
          'so no files were written. ' +
          (loop.text ? `Its answer began: "${clip(loop.text, 200)}"` : 'It sent no text either.')
        );
      case 'turn-limit':
        return (
          `Stopped after ${plural(loop.turns, 'model turn')} (the AI_MAX_TURNS limit) with the ` +
          `model still working; changed ${wrote}.` +
          failed
        );
    }
  }
}
