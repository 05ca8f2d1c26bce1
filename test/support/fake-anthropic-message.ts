/**
 * The fake Anthropic API's messages (fake-anthropic.ts): a scripted reply as the JSON message
 * and as the stream events the real API sends for it, in their order and shapes.
 */
import type { FakeMessage, FakeUsage } from './fake-anthropic.js';

type StreamEvent = { event: string; data: Record<string, unknown> };

export interface Built {
  message: Record<string, unknown>;
  events: StreamEvent[];
}

const DEFAULT_USAGE: FakeUsage = {
  input_tokens: 100,
  output_tokens: 50,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
};

let sequence = 0;
export const nextId = (prefix: string) =>
  `${prefix}_fake${(sequence += 1).toString().padStart(6, '0')}${Math.random().toString(36).slice(2, 8)}`;

/** Splits by code points into at least three chunks (when long enough), at most `size` each. */
function chunks(text: string, size?: number): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [];
  const step = Math.max(1, Math.min(size ?? 24, Math.ceil(chars.length / 3)));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += step) out.push(chars.slice(i, i + step).join(''));
  return out;
}

/** The message and its stream events, as the API would send them. */
export function buildMessage(response: FakeMessage, requestedModel: string): Built {
  const usage = { ...DEFAULT_USAGE, ...response.usage };
  const toolUses = (response.toolUses ?? []).map((t) => ({ ...t, id: t.id ?? nextId('toolu') }));
  const stopReason = response.stopReason ?? (toolUses.length > 0 ? 'tool_use' : 'end_turn');
  const fullUsage = {
    ...usage,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.cache_creation_input_tokens,
      ephemeral_1h_input_tokens: 0,
    },
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    speed: null,
  };
  const base = {
    id: nextId('msg'),
    type: 'message',
    role: 'assistant',
    model: response.model ?? requestedModel,
    container: null,
    diagnostics: null,
    stop_details: null,
    stop_sequence: null,
  };
  const content: Record<string, unknown>[] = [];
  const events: StreamEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          ...base,
          content: [],
          stop_reason: null,
          usage: { ...fullUsage, output_tokens: 1 },
        },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  if (response.text !== undefined) {
    content.push({ type: 'text', text: response.text, citations: null });
    events.push(...textBlock(content.length - 1, response.text, response.chunkSize));
  }
  for (const tool of toolUses) {
    const block = { type: 'tool_use', id: tool.id, name: tool.name, caller: { type: 'direct' } };
    content.push({ ...block, input: tool.input });
    const json = tool.rawJson ?? JSON.stringify(tool.input);
    events.push(...toolBlock(content.length - 1, block, json, response.chunkSize));
  }
  events.push(...messageEnd(stopReason, usage));
  return { message: { ...base, content, stop_reason: stopReason, usage: fullUsage }, events };
}

function textBlock(index: number, text: string, chunkSize: number | undefined): StreamEvent[] {
  return [
    {
      event: 'content_block_start',
      data: {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '', citations: null },
      },
    },
    ...chunks(text, chunkSize).map((piece) => ({
      event: 'content_block_delta',
      data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } },
    })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
  ];
}

function toolBlock(
  index: number,
  block: Record<string, unknown>,
  json: string,
  chunkSize: number | undefined,
): StreamEvent[] {
  return [
    {
      event: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: { ...block, input: {} } },
    },
    // The API opens every tool input with an empty partial_json, then streams the JSON text.
    ...['', ...chunks(json, chunkSize)].map((piece) => ({
      event: 'content_block_delta',
      data: {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: piece },
      },
    })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
  ];
}

function messageEnd(stopReason: string, usage: FakeUsage): StreamEvent[] {
  return [
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: {
          stop_reason: stopReason,
          stop_sequence: null,
          stop_details: null,
          container: null,
        },
        // Cumulative for the whole message, as the API reports it.
        usage: {
          input_tokens: usage.input_tokens,
          output_tokens: usage.output_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          output_tokens_details: null,
          server_tool_use: null,
        },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];
}
