/**
 * Parser for `claude -p --output-format stream-json --verbose`: newline-delimited JSON, one
 * message a line (`system`/`init`, `assistant`, `user`, and a final `result`).
 *
 * It tolerates the CLI's known defects: a missing or empty `result` (the text is rebuilt from
 * the assistant's text blocks), a second `result` line (the first wins, its cost counts once),
 * a truncated last line (ignored), non-JSON noise (ignored) and lines split across chunks at
 * any byte. Feed it with `push(chunk)` and finish with `end()`; both return the events the new
 * input completed, and `summary()` describes the whole run. Event types: `init`, `text`,
 * `tool_use` (name and the file it touches), `tool_result`, `retry` (an API request the CLI is
 * retrying, with its HTTP status) and `result`.
 */

export interface StreamUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export type StreamEvent =
  | { type: 'init'; sessionId: string; model?: string; tools: string[] }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; name: string; path?: string; id?: string }
  | { type: 'tool_result'; id?: string; isError: boolean }
  /** The CLI is retrying a failed API request (`system`/`api_retry`). */
  | { type: 'retry'; attempt: number; status?: number; error?: string }
  | {
      type: 'result';
      subtype: string;
      isError: boolean;
      text: string;
      sessionId?: string;
      costUsd: number;
      usage: StreamUsage;
      numTurns: number;
      durationMs: number;
      /** What went wrong, for error subtypes that carry no `result` text. */
      errors: string[];
    };

export interface StreamSummary {
  /** From the init line, else from the result line. */
  sessionId?: string;
  model?: string;
  /** The result's text, or (when it is missing or empty) the assistant's final text. */
  text: string;
  isError: boolean;
  /** The result's subtype (`success`, `error_max_turns`, `error_during_execution`, …). */
  subtype?: string;
  costUsd: number;
  /** From the result line; without one, the last usage reported for each assistant message. */
  usage: StreamUsage;
  numTurns: number;
  durationMs: number;
  sawResult: boolean;
  /** The result's `errors` (error subtypes). */
  errors: string[];
  /** Lines that were not JSON messages (noise, or a truncated last line). */
  skippedLines: number;
  /** Extra `result` lines after the first (ignored). */
  duplicateResults: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function usageOf(raw: unknown): StreamUsage {
  const u = isObject(raw) ? raw : {};
  return {
    inputTokens: num(u.input_tokens),
    outputTokens: num(u.output_tokens),
    cacheReadTokens: num(u.cache_read_input_tokens),
    cacheWriteTokens: num(u.cache_creation_input_tokens),
  };
}

/** The file a tool call touches: Write/Edit/Read use `file_path`, Glob/Grep/LS `path`. */
function toolPath(input: unknown): string | undefined {
  if (!isObject(input)) return undefined;
  return str(input.file_path) ?? str(input.notebook_path) ?? str(input.path);
}

export class StreamParser {
  private buffer = '';
  private readonly decoder = new TextDecoder('utf-8');
  private ended = false;
  private sessionId: string | undefined;
  private model: string | undefined;
  private result: Extract<StreamEvent, { type: 'result' }> | undefined;
  private duplicateResults = 0;
  private skippedLines = 0;
  /** All assistant text blocks, and those since the last tool call (the final answer). */
  private allText: string[] = [];
  private finalText: string[] = [];
  /** Usage per assistant message id (the CLI repeats a message's usage on each of its blocks). */
  private readonly messageUsage = new Map<string, StreamUsage>();
  private anonymousMessages = 0;

  /** Adds output; returns the events of every line the chunk completed. */
  push(chunk: string | Uint8Array): StreamEvent[] {
    if (this.ended) return [];
    // Only the new text can complete a line: search from where the buffer ended.
    const from = this.buffer.length;
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const events: StreamEvent[] = [];
    let cursor = 0;
    let newline = this.buffer.indexOf('\n', from);
    while (newline !== -1) {
      this.line(this.buffer.slice(cursor, newline), events);
      cursor = newline + 1;
      newline = this.buffer.indexOf('\n', cursor);
    }
    if (cursor > 0) this.buffer = this.buffer.slice(cursor);
    return events;
  }

  /** The output is over: a complete last line without a newline counts, a truncated one not. */
  end(): StreamEvent[] {
    if (this.ended) return [];
    this.buffer += this.decoder.decode();
    this.ended = true;
    const events: StreamEvent[] = [];
    const rest = this.buffer;
    this.buffer = '';
    this.line(rest, events);
    return events;
  }

  summary(): StreamSummary {
    const rebuilt = (this.finalText.length > 0 ? this.finalText : this.allText).join('\n\n');
    const r = this.result;
    const usage = r ? r.usage : this.summedUsage();
    return {
      ...(this.sessionId
        ? { sessionId: this.sessionId }
        : r?.sessionId
          ? { sessionId: r.sessionId }
          : {}),
      ...(this.model ? { model: this.model } : {}),
      text: r && r.text.trim() !== '' ? r.text : rebuilt.trim(),
      isError: r?.isError ?? false,
      ...(r ? { subtype: r.subtype } : {}),
      costUsd: r?.costUsd ?? 0,
      usage,
      numTurns: r?.numTurns ?? 0,
      durationMs: r?.durationMs ?? 0,
      sawResult: r !== undefined,
      errors: r?.errors ?? [],
      skippedLines: this.skippedLines,
      duplicateResults: this.duplicateResults,
    };
  }

  private summedUsage(): StreamUsage {
    const total: StreamUsage = {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    };
    for (const u of this.messageUsage.values()) {
      total.inputTokens += u.inputTokens;
      total.outputTokens += u.outputTokens;
      total.cacheReadTokens += u.cacheReadTokens;
      total.cacheWriteTokens += u.cacheWriteTokens;
    }
    return total;
  }

  private line(raw: string, events: StreamEvent[]): void {
    const line = raw.trim();
    if (line === '') return;
    let message: unknown;
    try {
      message = line.startsWith('{') ? JSON.parse(line) : undefined;
    } catch {
      message = undefined;
    }
    if (!isObject(message) || typeof message.type !== 'string') {
      // Noise (a warning the CLI printed to stdout) or, at the end, a line cut off mid-write.
      this.skippedLines++;
      return;
    }
    switch (message.type) {
      case 'system':
        this.system(message, events);
        break;
      case 'assistant':
        this.assistant(message, events);
        break;
      case 'user':
        this.user(message, events);
        break;
      case 'result':
        this.resultLine(message, events);
        break;
      default:
        // stream_event, rate-limit notices and future types carry nothing we need.
        break;
    }
  }

  private system(message: Json, events: StreamEvent[]): void {
    if (message.subtype === 'api_retry') {
      const status = typeof message.error_status === 'number' ? message.error_status : undefined;
      const error = str(message.error);
      events.push({
        type: 'retry',
        attempt: num(message.attempt),
        ...(status !== undefined ? { status } : {}),
        ...(error !== undefined ? { error } : {}),
      });
      return;
    }
    if (message.subtype !== 'init' || this.sessionId !== undefined) return;
    const sessionId = str(message.session_id);
    if (!sessionId) return;
    this.sessionId = sessionId;
    this.model = str(message.model);
    const tools = Array.isArray(message.tools)
      ? message.tools.filter((t): t is string => typeof t === 'string')
      : [];
    events.push({ type: 'init', sessionId, ...(this.model ? { model: this.model } : {}), tools });
  }

  private assistant(message: Json, events: StreamEvent[]): void {
    const body = isObject(message.message) ? message.message : {};
    if (body.usage !== undefined) {
      const id = str(body.id) ?? `anonymous-${this.anonymousMessages++}`;
      this.messageUsage.set(id, usageOf(body.usage));
    }
    const content = Array.isArray(body.content) ? body.content : [];
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === 'text') {
        const text = str(block.text);
        if (!text) continue;
        this.allText.push(text);
        this.finalText.push(text);
        events.push({ type: 'text', text });
      } else if (block.type === 'tool_use') {
        const name = str(block.name) ?? 'tool';
        const path = toolPath(block.input);
        const id = str(block.id);
        this.finalText = [];
        events.push({
          type: 'tool_use',
          name,
          ...(path !== undefined ? { path } : {}),
          ...(id !== undefined ? { id } : {}),
        });
      }
    }
  }

  private user(message: Json, events: StreamEvent[]): void {
    const body = isObject(message.message) ? message.message : {};
    const content = Array.isArray(body.content) ? body.content : [];
    for (const block of content) {
      if (!isObject(block) || block.type !== 'tool_result') continue;
      const id = str(block.tool_use_id);
      events.push({
        type: 'tool_result',
        ...(id !== undefined ? { id } : {}),
        isError: block.is_error === true,
      });
    }
  }

  private resultLine(message: Json, events: StreamEvent[]): void {
    if (this.result) {
      // The CLI sometimes repeats its result: the first one stands, its cost counts once.
      this.duplicateResults++;
      return;
    }
    const subtype = str(message.subtype) ?? 'success';
    const sessionId = str(message.session_id);
    const result: Extract<StreamEvent, { type: 'result' }> = {
      type: 'result',
      subtype,
      isError: message.is_error === true || subtype === 'error_during_execution',
      text: str(message.result) ?? '',
      ...(sessionId ? { sessionId } : {}),
      costUsd: num(message.total_cost_usd ?? message.cost_usd),
      usage: usageOf(message.usage),
      numTurns: num(message.num_turns),
      durationMs: num(message.duration_ms),
      errors: Array.isArray(message.errors)
        ? message.errors.filter((e): e is string => typeof e === 'string')
        : [],
    };
    this.result = result;
    if (result.text.trim() === '') {
      const rebuilt = (this.finalText.length > 0 ? this.finalText : this.allText).join('\n\n');
      events.push({ ...result, text: rebuilt.trim() });
    } else {
      events.push(result);
    }
  }
}

/** Parses a whole transcript at once (tests, tools). */
export function parseTranscript(text: string): { events: StreamEvent[]; summary: StreamSummary } {
  const parser = new StreamParser();
  const events = [...parser.push(text), ...parser.end()];
  return { events, summary: parser.summary() };
}
