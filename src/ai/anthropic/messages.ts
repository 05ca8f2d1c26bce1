/**
 * One Messages API request, streamed, under the shared retry policy (`../agent/retry.ts`). The
 * SDK's retries are off (`maxRetries: 0`) so every retry is a `progress` event and also covers
 * what the SDK cannot retry: a stream that breaks after it started. A broken stream is retried
 * as a whole request; its tool calls never ran, because tools only execute once a message has
 * arrived complete.
 */
import Anthropic from '@anthropic-ai/sdk';
import type {
  MessageCreateParamsStreaming,
  MessageParam,
  RawMessageStreamEvent,
  TextBlockParam,
  Tool,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { EngineEvent } from '../engine.js';
import { Retrier, retryEvent, StreamCutError } from '../agent/retry.js';
import { TextBuffer } from '../agent/text-buffer.js';
import type { UsageMeter } from '../agent/usage.js';
import { classify } from './classify.js';

export const ENGINE = 'anthropic';
const EPHEMERAL = { type: 'ephemeral' } as const;

export interface ApiOptions {
  apiKey: string;
  baseUrl?: string;
  model: string;
  retries: number;
  /** First backoff ceiling; doubles per attempt (full jitter). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Longest `retry-after` honoured; a longer one makes the engine unavailable (default 60 s). */
  retryAfterMaxMs?: number;
  /** A stream with no event for this long is treated as cut. The API pings every few seconds. */
  idleTimeoutMs?: number;
}

export interface MessageRequest {
  /** The model for this request (a task's own); default the engine's. */
  model?: string;
  system?: string;
  tools?: Tool[];
  messages: MessageParam[];
  maxTokens: number;
}

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
  /** Set when the streamed input was not valid JSON (e.g. cut by max_tokens). */
  inputError?: string;
}

export interface StreamedMessage {
  /** The assistant turn as it must be sent back in the next request. */
  content: (TextBlockParam | ToolUseBlockParam)[];
  text: string;
  toolCalls: ToolCall[];
  stopReason: string | null;
}

export interface RequestHooks {
  signal: AbortSignal;
  emit(event: EngineEvent): void;
  usage: UsageMeter;
  /** Stream text deltas as `text` events. */
  emitText: boolean;
}

type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; json: string }
  | { type: 'other' };

export class AnthropicApi {
  private readonly client: Anthropic;
  private readonly retrier: Retrier;

  constructor(private readonly options: ApiOptions) {
    this.retrier = new Retrier({
      engine: ENGINE,
      subject: 'The Anthropic API',
      unreachableHint: 'Check ANTHROPIC_BASE_URL and the network.',
      retries: options.retries,
      baseMs: options.retryBaseMs ?? 1000,
      maxMs: options.retryMaxMs ?? 30_000,
      retryAfterMaxMs: options.retryAfterMaxMs ?? 60_000,
      secrets: [options.apiKey],
      classify,
    });
    this.client = new Anthropic({
      apiKey: options.apiKey,
      // Explicit, so the SDK never falls back to ANTHROPIC_BASE_URL from the environment: the
      // config module is the only reader of the environment.
      baseURL: options.baseUrl ?? 'https://api.anthropic.com',
      maxRetries: 0,
      // Time to response headers; the stream itself is watched by the idle timer.
      timeout: 120_000,
      logLevel: 'off',
      openTelemetry: false,
    });
  }

  /** Sends one request, retrying transient failures; returns the complete message. */
  send(request: MessageRequest, hooks: RequestHooks): Promise<StreamedMessage> {
    return this.retrier.run(() => this.once(request, hooks), {
      signal: hooks.signal,
      onRetry: (notice) => hooks.emit(retryEvent(notice)),
    });
  }

  private body(request: MessageRequest): MessageCreateParamsStreaming {
    return {
      model: request.model ?? this.options.model,
      max_tokens: request.maxTokens,
      stream: true,
      messages: request.messages,
      ...(request.system
        ? { system: [{ type: 'text', text: request.system, cache_control: EPHEMERAL }] }
        : {}),
      ...(request.tools && request.tools.length > 0 ? { tools: request.tools } : {}),
    };
  }

  private async once(request: MessageRequest, hooks: RequestHooks): Promise<StreamedMessage> {
    const idleMs = this.options.idleTimeoutMs ?? 120_000;
    // One controller per attempt: the caller's abort and our idle timer both end the request.
    const controller = new AbortController();
    const onAbort = () => controller.abort(hooks.signal.reason);
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    let idleFired = false;
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        idleFired = true;
        controller.abort();
      }, idleMs);
    };
    const text = new TextBuffer((chunk) => {
      if (hooks.emitText) hooks.emit({ type: 'text', message: chunk });
    });
    const state = new MessageState(
      hooks.usage,
      (delta) => text.push(delta),
      () => text.flush(),
    );
    try {
      arm();
      const stream = await this.client.messages.create(this.body(request), {
        signal: controller.signal,
      });
      for await (const event of stream) {
        arm();
        state.apply(event);
      }
      // The SDK ends iteration quietly when its signal aborts, so both causes are checked here.
      if (hooks.signal.aborted) throw hooks.signal.reason as Error;
      if (idleFired) throw new StreamCutError(`stream silent for ${idleMs / 1000} s`);
      if (!state.stopped) throw new StreamCutError('stream ended before message_stop');
      return state.result();
    } catch (err) {
      if (idleFired && !hooks.signal.aborted) {
        throw new StreamCutError(`stream silent for ${idleMs / 1000} s`, { cause: err });
      }
      throw err;
    } finally {
      clearTimeout(idle);
      hooks.signal.removeEventListener('abort', onAbort);
      text.flush();
      // Tokens of a cut stream were still consumed, so they count (budgets fail closed).
      state.recordUsage();
    }
  }
}

/** Accumulates one streamed message: blocks, tool inputs, stop reason and usage. */
class MessageState {
  stopped = false;
  private readonly blocks: Block[] = [];
  private stopReason: string | null = null;
  private usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  private recorded = false;

  constructor(
    private readonly meter: UsageMeter,
    private readonly onText: (delta: string) => void,
    private readonly onBlockEnd: () => void,
  ) {}

  apply(event: RawMessageStreamEvent): void {
    switch (event.type) {
      case 'message_start': {
        const u = event.message.usage;
        this.meter.setModel(event.message.model);
        this.usage = {
          input: u.input_tokens ?? 0,
          output: u.output_tokens ?? 0,
          cacheRead: u.cache_read_input_tokens ?? 0,
          cacheWrite: u.cache_creation_input_tokens ?? 0,
        };
        break;
      }
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') {
          this.blocks[event.index] = { type: 'text', text: block.text };
          if (block.text) this.onText(block.text);
        } else if (block.type === 'tool_use') {
          this.blocks[event.index] = { type: 'tool_use', id: block.id, name: block.name, json: '' };
        } else {
          this.blocks[event.index] = { type: 'other' };
        }
        break;
      }
      case 'content_block_delta': {
        const block = this.blocks[event.index];
        const delta = event.delta;
        if (delta.type === 'text_delta' && block?.type === 'text') {
          block.text += delta.text;
          this.onText(delta.text);
        } else if (delta.type === 'input_json_delta' && block?.type === 'tool_use') {
          block.json += delta.partial_json;
        }
        break;
      }
      case 'content_block_stop':
        if (this.blocks[event.index]?.type === 'text') this.onBlockEnd();
        break;
      case 'message_delta': {
        // message_delta usage is cumulative for the message: it replaces, never adds to, the
        // counts from message_start.
        const u = event.usage;
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        this.usage = {
          input: u.input_tokens ?? this.usage.input,
          output: u.output_tokens ?? this.usage.output,
          cacheRead: u.cache_read_input_tokens ?? this.usage.cacheRead,
          cacheWrite: u.cache_creation_input_tokens ?? this.usage.cacheWrite,
        };
        break;
      }
      case 'message_stop':
        this.stopped = true;
        break;
    }
  }

  recordUsage(): void {
    if (this.recorded) return;
    this.recorded = true;
    this.meter.add({
      inputTokens: this.usage.input,
      outputTokens: this.usage.output,
      cacheReadTokens: this.usage.cacheRead,
      cacheWriteTokens: this.usage.cacheWrite,
    });
  }

  result(): StreamedMessage {
    const content: (TextBlockParam | ToolUseBlockParam)[] = [];
    const toolCalls: ToolCall[] = [];
    let text = '';
    for (const block of this.blocks) {
      if (block?.type === 'text') {
        text += block.text;
        // The API rejects empty text blocks in a request.
        if (block.text !== '') content.push({ type: 'text', text: block.text });
      } else if (block?.type === 'tool_use') {
        const call = parseToolInput(block);
        toolCalls.push(call);
        const input = call.inputError ? {} : call.input;
        content.push({ type: 'tool_use', id: block.id, name: block.name, input });
      }
    }
    return { content, text, toolCalls, stopReason: this.stopReason };
  }
}

function parseToolInput(block: { id: string; name: string; json: string }): ToolCall {
  if (block.json.trim() === '') return { id: block.id, name: block.name, input: {} };
  try {
    return { id: block.id, name: block.name, input: JSON.parse(block.json) as unknown };
  } catch {
    return {
      id: block.id,
      name: block.name,
      input: {},
      inputError: 'the tool input was not complete JSON',
    };
  }
}
