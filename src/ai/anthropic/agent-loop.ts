/**
 * The tool-use loop: send the conversation, receive a complete assistant message, run its tool
 * calls against the workspace, send the results back, and repeat until the model ends its turn
 * or the turn limit is reached.
 *
 * Prompt caching: the system prompt (with the tools before it) and the stable context block are
 * marked once; a moving marker on the newest message lets each turn read the whole previous
 * conversation from the cache instead of paying for it again (4 markers at most are allowed;
 * this uses 3).
 */
import type {
  AssistantMessageParam,
  ContentBlockParam,
  Tool,
  ToolResultBlockParam,
  UserMessageParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { EngineContext, WorkspaceTools } from '../engine.js';
import { describeToolCall, executeTool, TOOL_DEFINITIONS } from '../agent/tools.js';
import type { UsageMeter } from '../agent/usage.js';
import type { AnthropicApi, StreamedMessage, ToolCall } from './messages.js';

const EPHEMERAL = { type: 'ephemeral' } as const;

/** The conversation holds user and assistant turns only (the system prompt is separate). */
type Turn = UserMessageParam | AssistantMessageParam;

/** The shared tool definitions in the Messages API's shape. */
export const ANTHROPIC_TOOLS: Tool[] = TOOL_DEFINITIONS.map((tool) => ({
  name: tool.name,
  description: tool.description,
  input_schema: tool.inputSchema as Tool['input_schema'],
}));

export interface AgentTask {
  model: string;
  system: string;
  /** Stable context (plan, file list, file contents), cached across turns. */
  context?: string;
  instruction: string;
  maxTurns: number;
  maxTokens: number;
}

export type AgentStop = 'done' | 'turn_limit' | 'refusal' | 'context_full';

export interface AgentOutcome {
  stop: AgentStop;
  /** The model's closing text (its last message). */
  finalText: string;
  /** Paths written, edited or deleted, in the order first changed. */
  changed: string[];
  turns: number;
}

const CUT_BY_MAX_TOKENS =
  'Your reply hit the output token limit before this tool call was complete, so it did not run. ' +
  'Write large files in smaller steps: write_file a first part, then add the rest with edit_file.';

export async function runAgentLoop(
  api: AnthropicApi,
  task: AgentTask,
  tools: WorkspaceTools,
  ctx: Pick<EngineContext, 'signal' | 'emit'>,
  usage: UsageMeter,
): Promise<AgentOutcome> {
  const first: ContentBlockParam[] = [];
  if (task.context) first.push({ type: 'text', text: task.context, cache_control: EPHEMERAL });
  first.push({ type: 'text', text: task.instruction });
  const messages: Turn[] = [{ role: 'user', content: first }];
  const changed = new Set<string>();

  for (let turn = 1; turn <= task.maxTurns; turn += 1) {
    ctx.signal.throwIfAborted();
    const reply = await api.send(
      {
        model: task.model,
        system: task.system,
        tools: ANTHROPIC_TOOLS,
        messages: withMovingCacheMarker(messages),
        maxTokens: task.maxTokens,
      },
      { signal: ctx.signal, emit: (e) => ctx.emit(e), usage, emitText: true },
    );
    if (reply.content.length > 0) messages.push({ role: 'assistant', content: reply.content });

    if (reply.toolCalls.length > 0) {
      const results: ToolResultBlockParam[] = [];
      for (const call of reply.toolCalls) {
        results.push(await runCall(call, reply, tools, ctx, changed));
      }
      messages.push({ role: 'user', content: results });
      continue;
    }
    const stop = stopOf(reply.stopReason);
    if (stop === 'continue') {
      // Cut by max_tokens in plain text (or paused): ask it to go on from where it stopped.
      messages.push({ role: 'user', content: 'Continue from where you stopped.' });
      continue;
    }
    return { stop, finalText: reply.text.trim(), changed: [...changed], turns: turn };
  }
  return { stop: 'turn_limit', finalText: '', changed: [...changed], turns: task.maxTurns };
}

function stopOf(reason: string | null): AgentStop | 'continue' {
  switch (reason) {
    case 'max_tokens':
    case 'pause_turn':
      return 'continue';
    case 'refusal':
      return 'refusal';
    case 'model_context_window_exceeded':
      return 'context_full';
    default:
      return 'done';
  }
}

async function runCall(
  call: ToolCall,
  reply: StreamedMessage,
  tools: WorkspaceTools,
  ctx: Pick<EngineContext, 'signal' | 'emit'>,
  changed: Set<string>,
): Promise<ToolResultBlockParam> {
  ctx.signal.throwIfAborted();
  const shown = describeToolCall(call.name, call.input);
  const result = call.inputError
    ? {
        ok: false,
        output:
          'Error: ' +
          (reply.stopReason === 'max_tokens'
            ? CUT_BY_MAX_TOKENS
            : `${call.inputError}; send the call again.`),
      }
    : await executeTool(call.name, call.input, tools);
  if ('changed' in result && typeof result.changed === 'string') changed.add(result.changed);
  // Emitted when the call runs, not when it streams in: a stream that is cut and retried
  // must not report calls that never happened. Never the file content.
  ctx.emit({
    type: 'tool',
    message: [call.name, shown.path, result.ok ? '' : '(failed)'].filter(Boolean).join(' '),
    data: { ...shown, ok: result.ok },
  });
  return {
    type: 'tool_result',
    tool_use_id: call.id,
    content: result.output,
    ...(result.ok ? {} : { is_error: true }),
  };
}

/**
 * A copy of the conversation whose newest block carries a cache marker. The stored history stays
 * unmarked so markers do not pile up past the API's limit of four.
 */
function withMovingCacheMarker(messages: Turn[]): Turn[] {
  const last = messages.at(-1);
  if (!last || typeof last.content === 'string' || last.content.length === 0) return messages;
  const blocks = [...last.content];
  const tail = blocks.at(-1);
  if (!tail || !('type' in tail) || !['text', 'tool_result'].includes(tail.type)) return messages;
  blocks[blocks.length - 1] = { ...tail, cache_control: EPHEMERAL } as ContentBlockParam;
  return [...messages.slice(0, -1), { ...last, content: blocks }];
}
