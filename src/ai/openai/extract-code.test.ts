import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { TurnAssembler } from './chat.js';
import { extractFiles, hasCodeBlock } from './extract-code.js';

const block = (info: string, ...lines: string[]) => ['```' + info, ...lines, '```'].join('\n');

describe('extractFiles', () => {
  it('reads paths from info strings', () => {
    const text = [
      block('tsx src/App.tsx', 'a'),
      block('src/main.ts', 'b'),
      block('tsx:src/x.tsx', 'c'),
      block('ts title="vite.config.ts"', 'd'),
      block('json package.json', '{}'),
      block('tsx app/[slug]/page.tsx', 'e'),
    ].join('\n\n');
    expect(extractFiles(text)).toEqual([
      { path: 'src/App.tsx', content: 'a\n' },
      { path: 'src/main.ts', content: 'b\n' },
      { path: 'src/x.tsx', content: 'c\n' },
      { path: 'vite.config.ts', content: 'd\n' },
      { path: 'package.json', content: '{}\n' },
      { path: 'app/[slug]/page.tsx', content: 'e\n' },
    ]);
  });

  it('reads first-line markers and drops them', () => {
    const text = [
      block('tsx', '// file: src/App.tsx', 'x'),
      block('html', '<!-- index.html -->', '<!doctype html>'),
      block('css', '/* src/styles.css */', 'body{}'),
      block('python', '# app.py', 'print(1)'),
    ].join('\n');
    expect(extractFiles(text)).toEqual([
      { path: 'src/App.tsx', content: 'x\n' },
      { path: 'index.html', content: '<!doctype html>\n' },
      { path: 'src/styles.css', content: 'body{}\n' },
      { path: 'app.py', content: 'print(1)\n' },
    ]);
  });

  it('reads the heading or label line just before a fence', () => {
    const text = [
      '### src/App.tsx',
      block('tsx', 'a'),
      '**src/styles.css**',
      '',
      block('css', 'b'),
      '`index.html`:',
      block('html', 'c'),
      'File: ./src/main.tsx',
      block('', 'd'),
      '## 2. Update `src/data.ts`',
      block('ts', 'e'),
    ].join('\n');
    expect(extractFiles(text).map((f) => [f.path, f.content])).toEqual([
      ['src/App.tsx', 'a\n'],
      ['src/styles.css', 'b\n'],
      ['index.html', 'c\n'],
      ['src/main.tsx', 'd\n'],
      ['src/data.ts', 'e\n'],
    ]);
  });

  it('skips blocks without a path, prose labels and an unterminated last block', () => {
    const text = [
      'Run this:',
      block('bash', 'npm run dev'),
      'Then open the page.',
      block('ts', 'const x = 1;'),
      '```tsx src/Cut.tsx',
      'export const cut =',
    ].join('\n');
    expect(extractFiles(text)).toEqual([]);
    expect(hasCodeBlock(text)).toBe(true);
    expect(hasCodeBlock('no code here')).toBe(false);
  });

  it('keeps longer fences whole, keeps the last copy of a path, and returns traversal as written', () => {
    const text = [
      '````md README.md',
      '```sh',
      'npm i',
      '```',
      '````',
      block('txt a.txt', 'first'),
      block('txt a.txt', 'second'),
      block('sh ../../etc/x.sh', 'bad'),
    ].join('\n');
    expect(extractFiles(text)).toEqual([
      { path: 'README.md', content: '```sh\nnpm i\n```\n' },
      { path: 'a.txt', content: 'second\n' },
      { path: '../../etc/x.sh', content: 'bad\n' },
    ]);
  });
});

function chunk(delta: Record<string, unknown>, finish: string | null = null): ChatCompletionChunk {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  } as ChatCompletionChunk;
}

describe('TurnAssembler', () => {
  it('joins arguments by index, ignoring repeated names', () => {
    const a = new TurnAssembler();
    a.add(
      chunk({
        tool_calls: [{ index: 0, id: 'x', function: { name: 'write_file', arguments: '{"pa' } }],
      }),
    );
    a.add(
      chunk({
        tool_calls: [{ index: 0, function: { name: 'write_file', arguments: 'th":"a"}' } }],
      }),
    );
    a.add(chunk({}, 'tool_calls'));
    expect(a.toolCalls(1)).toEqual([{ id: 'x', name: 'write_file', arguments: '{"path":"a"}' }]);
    expect(a.finishReason).toBe('tool_calls');
  });

  it('separates calls that reuse index 0 with new ids, and names calls without ids', () => {
    const a = new TurnAssembler();
    a.add(
      chunk({
        tool_calls: [{ index: 0, id: 'one', function: { name: 'read_file', arguments: '{}' } }],
      }),
    );
    a.add(
      chunk({
        tool_calls: [{ index: 0, id: 'two', function: { name: 'list_files', arguments: '{}' } }],
      }),
    );
    a.add(chunk({ tool_calls: [{ function: { name: 'delete_file', arguments: '{}' } }] }));
    expect(a.toolCalls(3).map((c) => [c.id, c.name])).toEqual([
      ['one', 'read_file'],
      ['two', 'list_files'],
      ['call_3_2', 'delete_file'],
    ]);
  });

  it('keeps the last usage report', () => {
    const a = new TurnAssembler();
    a.add({
      ...chunk({ content: 'hi' }),
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
    });
    a.add({
      ...chunk({}),
      choices: [],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    });
    expect(a.usage).toEqual({ promptTokens: 5, completionTokens: 2, cachedTokens: 0 });
    expect(a.text).toBe('hi');
  });
});
