import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTranscript, StreamParser, type StreamEvent } from './stream-parser.js';

const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/fixtures/claude-cli',
);
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

const SESSION = '5b0c2f0e-8d8a-4c57-9a53-2f6d1c3b7e41';
const FINAL = 'Created a static landing page for Sunrise Bakery: index.html and styles.css.';
const RESULT_USAGE = {
  inputTokens: 38,
  outputTokens: 1873,
  cacheReadTokens: 24480,
  cacheWriteTokens: 6120,
};

const toolUses = (events: StreamEvent[]) =>
  events.filter((e) => e.type === 'tool_use').map((e) => `${e.name} ${e.path ?? ''}`);

describe('stream-json parser over the transcript corpus', () => {
  it('parses a normal successful run', () => {
    const { events, summary } = parseTranscript(fixture('success.jsonl'));
    expect(events[0]).toMatchObject({
      type: 'init',
      sessionId: SESSION,
      model: 'claude-sonnet-4-5-20250929',
    });
    expect(toolUses(events)).toEqual([
      'Write /srv/sheen/workspaces/01jbuild/index.html',
      'Write /srv/sheen/workspaces/01jbuild/styles.css',
      'Edit /srv/sheen/workspaces/01jbuild/index.html',
    ]);
    expect(events.filter((e) => e.type === 'text').map((e) => e.text)).toEqual([
      "I'll build the landing page as a static site.",
      FINAL,
    ]);
    expect(events.filter((e) => e.type === 'tool_result')).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ type: 'result', subtype: 'success', text: FINAL });
    expect(summary).toEqual({
      sessionId: SESSION,
      model: 'claude-sonnet-4-5-20250929',
      text: FINAL,
      isError: false,
      subtype: 'success',
      costUsd: 0.0421,
      usage: RESULT_USAGE,
      numTurns: 4,
      durationMs: 18342,
      sawResult: true,
      errors: [],
      skippedLines: 0,
      duplicateResults: 0,
    });
  });

  it('rebuilds the text when the result line is missing', () => {
    const { events, summary } = parseTranscript(fixture('missing-result.jsonl'));
    expect(events.some((e) => e.type === 'result')).toBe(false);
    expect(summary.sawResult).toBe(false);
    expect(summary.text).toBe(FINAL);
    expect(summary.isError).toBe(false);
    expect(summary.costUsd).toBe(0);
    expect(summary.sessionId).toBe(SESSION);
    // Without a result, usage is the last report of each assistant message, counted once.
    expect(summary.usage).toEqual({
      inputTokens: 4 + 6 + 8 + 20,
      outputTokens: 310 + 90 + 120 + 40,
      cacheReadTokens: 0 + 6120 + 6520 + 6820,
      cacheWriteTokens: 6120 + 400 + 300 + 0,
    });
  });

  it('rebuilds the text when the result is empty, keeping its cost and usage', () => {
    const { events, summary } = parseTranscript(fixture('empty-result.jsonl'));
    expect(events.at(-1)).toMatchObject({ type: 'result', text: FINAL });
    expect(summary).toMatchObject({
      text: FINAL,
      sawResult: true,
      costUsd: 0.0421,
      usage: RESULT_USAGE,
    });
  });

  it('keeps the first of two result lines and records its cost once', () => {
    const { events, summary } = parseTranscript(fixture('double-result.jsonl'));
    expect(events.filter((e) => e.type === 'result')).toHaveLength(1);
    expect(summary).toMatchObject({ text: FINAL, costUsd: 0.0421, duplicateResults: 1 });
  });

  it('ignores a truncated last line', () => {
    const { summary } = parseTranscript(fixture('truncated.jsonl'));
    expect(summary).toMatchObject({ sawResult: false, text: FINAL, skippedLines: 1 });
  });

  it('skips noise lines between messages', () => {
    const { events, summary } = parseTranscript(fixture('noise.jsonl'));
    expect(toolUses(events)).toHaveLength(3);
    expect(summary).toMatchObject({
      sawResult: true,
      text: FINAL,
      costUsd: 0.0421,
      // The warning, debug line, broken JSON, stray bracket, ANSI notice and shutdown line.
      skippedLines: 6,
    });
  });

  it('reports an error result (an authentication failure)', () => {
    const { summary } = parseTranscript(fixture('error-result.jsonl'));
    expect(summary.isError).toBe(true);
    expect(summary.sawResult).toBe(true);
    expect(summary.text).toContain('authentication_error');
  });

  it('reports an error during execution', () => {
    const { summary } = parseTranscript(fixture('error-during-execution.jsonl'));
    expect(summary).toMatchObject({
      isError: true,
      subtype: 'error_during_execution',
      errors: ['Request was aborted.'],
      costUsd: 0.0032,
      text: 'Let me look at the project.',
    });
  });

  it('reports a run that stopped at the turn limit', () => {
    const { events, summary } = parseTranscript(fixture('max-turns.jsonl'));
    expect(toolUses(events)).toEqual([
      'Write /srv/sheen/workspaces/01jbuild/index.html',
      'Read /srv/sheen/workspaces/01jbuild/index.html',
    ]);
    expect(summary).toMatchObject({ subtype: 'error_max_turns', costUsd: 0.0188, text: '' });
  });

  // Captured from the real CLI (2.1.197) talking to a fake API.
  it('parses a real CLI transcript', () => {
    const { events, summary } = parseTranscript(fixture('real-2.1.197-write.jsonl'));
    expect(events[0]).toMatchObject({ type: 'init', model: 'claude-opus-4-8[1m]' });
    expect(toolUses(events)).toEqual(['Write /tmp/cc-exp/ws/index.html']);
    expect(events.filter((e) => e.type === 'tool_result')).toEqual([
      { type: 'tool_result', id: 'toolu_2', isError: false },
    ]);
    expect(summary).toMatchObject({
      sessionId: '63aad533-f0b4-4ef7-a67d-84066e2ca5c0',
      text: 'Done: wrote index.html.',
      isError: false,
      costUsd: 0.00135,
      usage: { inputTokens: 20, outputTokens: 50 },
      numTurns: 2,
      sawResult: true,
      skippedLines: 0,
    });
  });

  it('parses a real tool error', () => {
    const { events } = parseTranscript(fixture('real-2.1.197-tool-error.jsonl'));
    expect(events.find((e) => e.type === 'tool_result')).toMatchObject({ isError: true });
  });

  it('reports the real CLI retrying a refused key (it never writes a result)', () => {
    const { events, summary } = parseTranscript(fixture('real-2.1.197-auth-retry.jsonl'));
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]).toEqual({
      type: 'retry',
      attempt: 1,
      status: 401,
      error: 'authentication_failed',
    });
    expect(summary.sawResult).toBe(false);
  });

  it('reports the real CLI without credentials', () => {
    const { summary } = parseTranscript(fixture('real-2.1.197-not-logged-in.jsonl'));
    expect(summary).toMatchObject({
      isError: true,
      subtype: 'success',
      text: 'Not logged in · Please run /login',
      costUsd: 0,
    });
  });

  it('parses every fixture without throwing, chunked at every byte boundary', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl'));
    expect(files.length).toBeGreaterThanOrEqual(13);
    for (const file of files) {
      const whole = parseTranscript(fixture(file));
      const parser = new StreamParser();
      const bytes = Buffer.from(fixture(file), 'utf8');
      const events: StreamEvent[] = [];
      for (let i = 0; i < bytes.length; i += 97)
        events.push(...parser.push(bytes.subarray(i, i + 97)));
      events.push(...parser.end());
      expect(events, file).toEqual(whole.events);
      expect(parser.summary(), file).toEqual(whole.summary);
    }
  });

  it('survives a transcript split at every byte boundary (multi-byte text intact)', () => {
    const bytes = Buffer.from(fixture('double-result.jsonl'), 'utf8');
    const reference = parseTranscript(fixture('double-result.jsonl'));
    const html = reference.events.find((e) => e.type === 'tool_use');
    expect(html).toBeDefined();
    for (let cut = 1; cut < bytes.length; cut++) {
      const parser = new StreamParser();
      const events = [
        ...parser.push(bytes.subarray(0, cut)),
        ...parser.push(bytes.subarray(cut)),
        ...parser.end(),
      ];
      const summary = parser.summary();
      if (
        summary.costUsd !== 0.0421 ||
        summary.text !== FINAL ||
        events.filter((e) => e.type === 'result').length !== 1
      ) {
        throw new Error(`split at byte ${cut}: ${JSON.stringify(summary)}`);
      }
    }
    // And one byte at a time.
    const parser = new StreamParser();
    const events: StreamEvent[] = [];
    for (let i = 0; i < bytes.length; i++) events.push(...parser.push(bytes.subarray(i, i + 1)));
    events.push(...parser.end());
    expect(events).toEqual(reference.events);
    expect(parser.summary()).toEqual(reference.summary);
  });

  it('also accepts string chunks split anywhere', () => {
    const text = fixture('success.jsonl');
    const reference = parseTranscript(text);
    for (let cut = 1; cut < text.length; cut += 7) {
      const parser = new StreamParser();
      const events = [
        ...parser.push(text.slice(0, cut)),
        ...parser.push(text.slice(cut)),
        ...parser.end(),
      ];
      expect(events.length).toBe(reference.events.length);
      expect(parser.summary().costUsd).toBe(0.0421);
    }
  });

  it('counts a complete last line without a trailing newline', () => {
    const text = fixture('success.jsonl').trimEnd();
    expect(parseTranscript(text).summary).toMatchObject({ sawResult: true, skippedLines: 0 });
  });

  it('ignores input after end()', () => {
    const parser = new StreamParser();
    parser.push(fixture('success.jsonl'));
    parser.end();
    expect(parser.push('{"type":"result","total_cost_usd":9}\n')).toEqual([]);
    expect(parser.end()).toEqual([]);
    expect(parser.summary().costUsd).toBe(0.0421);
  });
});
