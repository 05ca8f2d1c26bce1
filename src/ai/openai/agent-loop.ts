/**
 * The tool-calling loop of generate and fix: ask the model, run the tool calls it makes against
 * the workspace, answer each with a `role: 'tool'` message, and repeat until it stops calling
 * tools or the turn limit is reached.
 *
 * Models that print code instead of calling tools (common with small local models) are handled
 * when a run ends without a single tool call: files named in fenced blocks are written through
 * the same tools; with nothing to extract the model is asked once more to use write_file, then
 * the run gives up with a clear summary.
 */
import type {
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import type { EngineContext, WorkspaceTools } from '../engine.js';
import { retryEvent, type RetryNotice } from '../agent/retry.js';
import { TextBuffer } from '../agent/text-buffer.js';
import { describeToolCall, executeTool, TOOL_DEFINITIONS } from '../agent/tools.js';
import type { UsageMeter } from '../agent/usage.js';
import type { Chat, ToolCall, TurnResult } from './chat.js';
import { extractFiles, hasCodeBlock } from './extract-code.js';

/** The agent tools in the Chat Completions `tools` format. */
export const OPENAI_TOOLS: ChatCompletionFunctionTool[] = TOOL_DEFINITIONS.map((tool) => ({
  type: 'function',
  function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
}));

export const NUDGE =
  'You have not changed any file: files exist only when you call the tools. Use the write_file ' +
  'tool now, once per file, with the path relative to the project root and the complete content ' +
  '(or edit_file for a small change). Do not print code in the chat.';

export type LoopEnd =
  /** The model called tools and then stopped. */
  | 'done'
  /** No tool calls; files were taken from fenced code blocks in its answer. */
  | 'extracted'
  /** No tool calls and nothing to extract, even after asking once more. */
  | 'no-tools'
  /** The turn limit was reached while the model was still calling tools. */
  | 'turn-limit';

export interface LoopResult {
  end: LoopEnd;
  /** Canonical paths written, edited or deleted, in order of first change. */
  changed: string[];
  /** Paths of write, edit or delete calls that failed (refused paths, edits that did not match). */
  failed: string[];
  /** The model's last text reply. */
  text: string;
  turns: number;
}

export interface LoopInput {
  chat: Chat;
  model: string;
  system: string;
  user: string;
  tools: WorkspaceTools;
  ctx: EngineContext;
  meter: UsageMeter;
  maxTurns: number;
  maxTokens: number;
}

const MUTATING = new Set(['write_file', 'edit_file', 'delete_file']);

/** `{}` for calls without arguments; undefined when the JSON does not parse. */
function parseArguments(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function assistantMessage(result: TurnResult): ChatCompletionMessageParam {
  const toolCalls: ChatCompletionMessageToolCall[] = result.toolCalls.map((call) => ({
    id: call.id,
    type: 'function',
    // Echoing invalid JSON back makes some servers refuse the whole conversation.
    function: {
      name: call.name,
      arguments: parseArguments(call.arguments) === undefined ? '{}' : call.arguments || '{}',
    },
  }));
  return {
    role: 'assistant',
    content: result.text || null,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
}

/** Counts model usage for one turn (prompt tokens include cached ones; pricing wants them apart). */
export function meterTurn(meter: UsageMeter, result: TurnResult): void {
  const cached = Math.min(result.usage.cachedTokens, result.usage.promptTokens);
  meter.add({
    inputTokens: result.usage.promptTokens - cached,
    outputTokens: result.usage.completionTokens,
    cacheReadTokens: cached,
  });
  meter.setModel(result.model);
}

export function retryNotice(ctx: Pick<EngineContext, 'emit'>) {
  return (notice: RetryNotice) => ctx.emit(retryEvent(notice));
}

class Runner {
  readonly changed = new Set<string>();
  readonly failed: string[] = [];

  constructor(private readonly input: LoopInput) {}

  /** Runs one tool call and returns the tool message for the model. */
  async run(
    call: ToolCall,
    cutAtLimit = false,
  ): Promise<{ ok: boolean; message: ChatCompletionMessageParam }> {
    const { ctx, tools } = this.input;
    ctx.signal.throwIfAborted();
    const args = parseArguments(call.arguments);
    const shown = describeToolCall(call.name, args);
    ctx.emit({
      type: 'tool',
      message: shown.path ? `${shown.tool} ${shown.path}` : shown.tool,
      data: { tool: shown.tool, path: shown.path ?? '' },
    });
    const result =
      args === undefined
        ? {
            ok: false,
            output:
              `Error: the arguments of ${call.name} are not valid JSON, so nothing was done. ` +
              (cutAtLimit
                ? 'Your answer was cut at the output token limit: split large files into smaller modules and write them one call at a time.'
                : 'Call the tool again with a JSON object (escape quotes and newlines in strings).'),
          }
        : await executeTool(call.name, args, tools);
    if (result.ok && 'changed' in result && typeof result.changed === 'string')
      this.changed.add(result.changed);
    if (!result.ok && MUTATING.has(call.name) && shown.path) this.failed.push(shown.path);
    return {
      ok: result.ok,
      message: { role: 'tool', tool_call_id: call.id, content: result.output },
    };
  }

  /** Writes files extracted from a text answer; returns how many were written. */
  async writeExtracted(text: string): Promise<number> {
    const files = extractFiles(text);
    let written = 0;
    for (const [i, file] of files.entries()) {
      const { ok } = await this.run({
        id: `extracted_${i}`,
        name: 'write_file',
        arguments: JSON.stringify(file),
      });
      if (ok) written += 1;
    }
    return written;
  }
}

export async function runToolLoop(input: LoopInput): Promise<LoopResult> {
  const { chat, ctx, meter } = input;
  const runner = new Runner(input);
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: input.system },
    { role: 'user', content: input.user },
  ];
  let usedTools = false;
  let nudged = false;
  let text = '';
  const result = (end: LoopEnd, turns: number): LoopResult => ({
    end,
    changed: [...runner.changed],
    failed: runner.failed,
    text,
    turns,
  });

  for (let turn = 1; turn <= input.maxTurns; turn++) {
    const buffer = new TextBuffer((chunk) => ctx.emit({ type: 'text', message: chunk }));
    const reply = await chat.turn({
      model: input.model,
      messages,
      tools: OPENAI_TOOLS,
      maxTokens: input.maxTokens,
      signal: ctx.signal,
      onText: (delta) => buffer.push(delta),
      onRetry: (notice) => {
        buffer.flush();
        retryNotice(ctx)(notice);
      },
    });
    buffer.flush();
    meterTurn(meter, reply);
    if (reply.text.trim()) text = reply.text.trim();

    if (reply.toolCalls.length > 0) {
      usedTools = true;
      messages.push(assistantMessage(reply));
      const cut = reply.finishReason === 'length';
      for (const call of reply.toolCalls) messages.push((await runner.run(call, cut)).message);
      continue;
    }
    if (usedTools) return result('done', turn);
    if ((await runner.writeExtracted(reply.text)) > 0 || runner.failed.length > 0)
      return result('extracted', turn);
    if (nudged || turn === input.maxTurns) return result('no-tools', turn);
    nudged = true;
    ctx.emit({
      type: 'progress',
      message: hasCodeBlock(reply.text)
        ? 'The model printed code without file paths instead of calling the tools; asking it to use write_file.'
        : 'The model answered without calling the file tools; asking it to use write_file.',
    });
    messages.push(assistantMessage(reply), { role: 'user', content: NUDGE });
  }
  return result('turn-limit', input.maxTurns);
}
