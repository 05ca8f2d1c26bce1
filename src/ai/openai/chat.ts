/**
 * One model turn over Chat Completions with `stream: true`: sends the conversation, assembles
 * the streamed text and `tool_calls` deltas (by index; id and name arrive first, the arguments
 * JSON split across many chunks), and reads the usage chunk `stream_options.include_usage`
 * asks for. A stream that ends without a `finish_reason` counts as cut and the whole turn is
 * requested again under the shared retry policy (`../agent/retry.ts`).
 */
import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { StreamCutError, type Retrier, type RetryNotice } from '../agent/retry.js';
import { OpenAiRequestError } from './classify.js';

export interface ToolCall {
  id: string;
  name: string;
  /** The raw arguments JSON as the model wrote it (may be invalid). */
  arguments: string;
}

export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
}

export interface TurnResult {
  text: string;
  toolCalls: ToolCall[];
  finishReason: string;
  usage: TokenCounts;
  /** The model the server says answered (may be more precise than the one requested). */
  model: string | undefined;
}

export interface TurnRequest {
  /** The model for this turn (a task's own); default the engine's. */
  model?: string;
  messages: ChatCompletionMessageParam[];
  tools?: ChatCompletionFunctionTool[];
  maxTokens: number;
  signal: AbortSignal;
  /** Streamed text as it arrives (a cut stream that is retried sends its text again). */
  onText?: (delta: string) => void;
  onRetry?: (notice: RetryNotice) => void;
}

export const NO_TOKENS: TokenCounts = Object.freeze({
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
});

/** Assembles streamed chunks into one assistant message. */
export class TurnAssembler {
  text = '';
  model: string | undefined;
  finishReason: string | null = null;
  usage: TokenCounts = { ...NO_TOKENS };
  readonly #calls: { id: string; name: string; arguments: string }[] = [];
  /** Position in #calls of each wire index. */
  readonly #byIndex = new Map<number, number>();

  /** Adds a chunk; returns the text it carried. */
  add(chunk: ChatCompletionChunk): string {
    if (typeof chunk.model === 'string' && chunk.model) this.model = chunk.model;
    // Servers that report usage on every chunk report running totals: the last one wins.
    if (chunk.usage) {
      this.usage = {
        promptTokens: chunk.usage.prompt_tokens ?? 0,
        completionTokens: chunk.usage.completion_tokens ?? 0,
        cachedTokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
      };
    }
    const choice = chunk.choices?.[0];
    if (!choice) return '';
    const delta = choice.delta;
    const text = typeof delta?.content === 'string' ? delta.content : '';
    this.text += text;
    for (const part of delta?.tool_calls ?? []) this.#addToolCall(part);
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return text;
  }

  #addToolCall(part: ChatCompletionChunk.Choice.Delta.ToolCall): void {
    const index = typeof part.index === 'number' ? part.index : undefined;
    let position = index === undefined ? this.#calls.length - 1 : this.#byIndex.get(index);
    let call = position === undefined ? undefined : this.#calls[position];
    // A new id on a known index (some servers number every call 0) starts a new call; without
    // an index, so does a named part after a named call.
    const startsNew =
      !call ||
      (part.id && call.id && part.id !== call.id) ||
      (index === undefined && !part.id && part.function?.name && call.name);
    if (startsNew) {
      call = { id: part.id ?? '', name: '', arguments: '' };
      this.#calls.push(call);
      position = this.#calls.length - 1;
      if (index !== undefined) this.#byIndex.set(index, position);
    }
    if (!call) return;
    if (part.id && !call.id) call.id = part.id;
    if (part.function?.name && !call.name) call.name = part.function.name;
    if (part.function?.arguments) call.arguments += part.function.arguments;
  }

  toolCalls(turn: number): ToolCall[] {
    return this.#calls
      .filter((call) => call.name !== '')
      .map((call, i) => ({
        id: call.id || `call_${turn}_${i}`,
        name: call.name,
        arguments: call.arguments,
      }));
  }
}

export interface ChatOptions {
  client: OpenAI;
  model: string;
  retrier: Retrier;
  /** A stream silent for this long is treated as cut (default 5 minutes: local models are slow). */
  idleTimeoutMs?: number;
}

const silent = (idleMs: number) => `stream silent for ${idleMs / 1000} s`;

/** Sends turns to one model, adapting to what the server accepts. */
export class Chat {
  #turn = 0;
  /** Newer OpenAI models refuse `max_tokens`; most local servers only know it. */
  #useMaxCompletionTokens = false;
  /** A few servers refuse `stream_options`. */
  #sendStreamOptions = true;

  constructor(private readonly options: ChatOptions) {}

  get model(): string {
    return this.options.model;
  }

  async turn(request: TurnRequest): Promise<TurnResult> {
    this.#turn += 1;
    const turn = this.#turn;
    for (let adapted = 0; ; adapted++) {
      try {
        return await this.options.retrier.run(() => this.#once(request, turn), {
          signal: request.signal,
          ...(request.onRetry ? { onRetry: request.onRetry } : {}),
        });
      } catch (err) {
        if (adapted < 2 && err instanceof OpenAiRequestError && this.#adapt(err)) continue;
        throw err;
      }
    }
  }

  /** Changes a request parameter the server refused; false when there is nothing to change. */
  #adapt(err: OpenAiRequestError): boolean {
    if (err.status !== 400) return false;
    if (!this.#useMaxCompletionTokens && /max_completion_tokens/.test(err.message)) {
      this.#useMaxCompletionTokens = true;
      return true;
    }
    if (this.#sendStreamOptions && /stream_options/.test(err.message)) {
      this.#sendStreamOptions = false;
      return true;
    }
    return false;
  }

  async #once(request: TurnRequest, turn: number): Promise<TurnResult> {
    const params: ChatCompletionCreateParamsStreaming = {
      model: request.model ?? this.options.model,
      messages: request.messages,
      stream: true,
      ...(this.#sendStreamOptions ? { stream_options: { include_usage: true } } : {}),
      ...(this.#useMaxCompletionTokens
        ? { max_completion_tokens: request.maxTokens }
        : { max_tokens: request.maxTokens }),
      ...(request.tools && request.tools.length > 0 ? { tools: request.tools } : {}),
    };
    // Aborted by the caller, or by the idle timer when the server stops sending.
    const idle = new AbortController();
    const idleMs = this.options.idleTimeoutMs ?? 300_000;
    let timer = setTimeout(() => idle.abort(), idleMs);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), idleMs);
    };
    const assembler = new TurnAssembler();
    try {
      const stream = await this.options.client.chat.completions.create(params, {
        signal: AbortSignal.any([request.signal, idle.signal]),
      });
      for await (const chunk of stream) {
        touch();
        const text = assembler.add(chunk);
        if (text) request.onText?.(text);
      }
    } catch (err) {
      request.signal.throwIfAborted();
      if (idle.signal.aborted) throw new StreamCutError(silent(idleMs), { cause: err });
      throw err;
    } finally {
      clearTimeout(timer);
    }
    // The SDK ends iteration quietly when the request is aborted.
    request.signal.throwIfAborted();
    if (assembler.finishReason === null)
      throw new StreamCutError(
        idle.signal.aborted ? silent(idleMs) : 'stream ended before a finish_reason',
      );
    return {
      text: assembler.text,
      toolCalls: assembler.toolCalls(turn),
      finishReason: assembler.finishReason,
      usage: assembler.usage,
      model: assembler.model,
    };
  }
}
