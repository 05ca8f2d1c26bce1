import { mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceTools } from '../engine.js';
import { Workspace } from '../../workspace/workspace.js';
import { describeToolCall, executeTool, MAX_READ_CHARS, TOOL_DEFINITIONS } from './tools.js';

let parent: string;
let workspace: Workspace;
let tools: WorkspaceTools;

beforeEach(async () => {
  parent = await mkdtemp(path.join(tmpdir(), 'agent-tools-'));
  workspace = await Workspace.create(path.join(parent, 'ws'));
  tools = workspace.tools();
});

afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe('tool definitions', () => {
  it('describes the five tools with object JSON schemas', () => {
    expect(TOOL_DEFINITIONS.map((t) => t.name)).toEqual([
      'write_file',
      'read_file',
      'list_files',
      'delete_file',
      'edit_file',
    ]);
    for (const tool of TOOL_DEFINITIONS) {
      expect(tool.description.length).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.inputSchema).not.toHaveProperty('$schema');
    }
    const edit = TOOL_DEFINITIONS.find((t) => t.name === 'edit_file')!;
    expect(edit.inputSchema.required).toEqual(['path', 'search', 'replace']);
    const list = TOOL_DEFINITIONS.find((t) => t.name === 'list_files')!;
    expect(list.inputSchema.required ?? []).toEqual([]);
  });
});

describe('executeTool', () => {
  it('writes, reads, lists and deletes files', async () => {
    expect(
      await executeTool('write_file', { path: './src//App.tsx', content: 'x' }, tools),
    ).toEqual({
      ok: true,
      output: 'Wrote ./src//App.tsx (1 characters).',
      changed: 'src/App.tsx',
    });
    await executeTool('write_file', { path: 'index.html', content: '<html></html>' }, tools);
    expect(await executeTool('read_file', { path: 'src/App.tsx' }, tools)).toEqual({
      ok: true,
      output: 'x',
    });
    expect((await executeTool('list_files', {}, tools)).output).toBe('index.html\nsrc/App.tsx');
    expect((await executeTool('list_files', { dir: 'src' }, tools)).output).toBe('src/App.tsx');
    expect((await executeTool('list_files', { dir: 'nope' }, tools)).output).toBe('(no files)');
    const deleted = await executeTool('delete_file', { path: 'index.html' }, tools);
    expect(deleted).toMatchObject({ ok: true, changed: 'index.html' });
    expect(await workspace.listFiles()).toEqual(['src/App.tsx']);
  });

  it('truncates very large reads', async () => {
    await workspace.writeFile('big.txt', 'a'.repeat(MAX_READ_CHARS + 10));
    const result = await executeTool('read_file', { path: 'big.txt' }, tools);
    expect(result.ok).toBe(true);
    expect(result.output).toContain('[truncated: big.txt has');
    expect(result.output.length).toBeLessThan(MAX_READ_CHARS + 200);
  });

  it('edits one exact occurrence, literally', async () => {
    await workspace.writeFile('a.ts', 'const a = 1;\nconst b = 2;\n');
    const result = await executeTool(
      'edit_file',
      { path: 'a.ts', search: 'const b = 2;', replace: "const b = '$&$1';" },
      tools,
    );
    expect(result).toEqual({ ok: true, output: 'Edited a.ts.', changed: 'a.ts' });
    // `$&` is not expanded the way String.prototype.replace would expand it.
    expect(await workspace.readFile('a.ts')).toBe("const a = 1;\nconst b = '$&$1';\n");
  });

  it('refuses an edit whose search text is missing or ambiguous, pointing to write_file', async () => {
    await workspace.writeFile('a.ts', 'x x');
    const missing = await executeTool(
      'edit_file',
      { path: 'a.ts', search: 'y', replace: 'z' },
      tools,
    );
    expect(missing.ok).toBe(false);
    expect(missing.output).toMatch(/was not found in a\.ts.*write_file/);
    const twice = await executeTool(
      'edit_file',
      { path: 'a.ts', search: 'x', replace: 'z' },
      tools,
    );
    expect(twice.ok).toBe(false);
    expect(twice.output).toMatch(/occurs 2 times.*write_file/);
    const empty = await executeTool('edit_file', { path: 'a.ts', search: '', replace: 'z' }, tools);
    expect(empty.ok).toBe(false);
    expect(empty.output).toContain('write_file');
    expect(await workspace.readFile('a.ts')).toBe('x x');
  });

  it('creates a missing file from an edit with an empty search, and refuses otherwise', async () => {
    const created = await executeTool(
      'edit_file',
      { path: 'src/new.ts', search: '', replace: 'export {};\n' },
      tools,
    );
    expect(created).toMatchObject({ ok: true, changed: 'src/new.ts' });
    expect(await workspace.readFile('src/new.ts')).toBe('export {};\n');
    const missing = await executeTool(
      'edit_file',
      { path: 'src/other.ts', search: 'a', replace: 'b' },
      tools,
    );
    expect(missing.ok).toBe(false);
    expect(missing.output).toContain('No such file: src/other.ts. Use write_file');
  });

  it('turns bad input, unknown tools and missing files into error results', async () => {
    const cases: [string, unknown][] = [
      ['write_file', { path: 'a.txt' }],
      ['write_file', { path: '', content: 'x' }],
      ['write_file', 'not an object'],
      ['write_file', null],
      ['read_file', { path: 42 }],
      ['run_shell', { command: 'rm -rf /' }],
    ];
    for (const [name, input] of cases) {
      const result = await executeTool(name, input, tools);
      expect(result.ok, `${name} ${JSON.stringify(input)}`).toBe(false);
      expect(result.output).toMatch(/^Error: /);
    }
    expect((await executeTool('run_shell', {}, tools)).output).toContain('Available tools:');
    expect((await executeTool('write_file', { path: 'a' }, tools)).output).toContain(
      'Invalid input for write_file: content:',
    );
    expect((await executeTool('read_file', { path: 'nope.txt' }, tools)).output).toBe(
      'Error: No such file: nope.txt',
    );
  });

  it('refuses paths outside the workspace and writes nothing there', async () => {
    const hostile = [
      '../../etc/x',
      '/etc/passwd',
      '../escape.txt',
      'src/../../escape.txt',
      '%2e%2e/escape.txt',
      'C:\\Windows\\x',
      'a\0b',
      '.git/hooks/pre-commit',
      'node_modules/x/index.js',
    ];
    for (const p of hostile) {
      for (const [name, input] of [
        ['write_file', { path: p, content: 'pwned' }],
        ['edit_file', { path: p, search: '', replace: 'pwned' }],
        ['delete_file', { path: p }],
        ['read_file', { path: p }],
      ] as const) {
        const result = await executeTool(name, input, tools);
        expect(result.ok, `${name} ${p}`).toBe(false);
        expect(result.output).toMatch(/^Error: /);
        expect(result).not.toHaveProperty('changed');
      }
    }
    // The workspace's own explanation reaches the model (its wording belongs to the workspace).
    expect(
      (await executeTool('write_file', { path: '../../etc/x', content: 'x' }, tools)).output,
    ).toMatch(/^Error: Refused path "\.\.\/\.\.\/etc\/x": /);
    expect(await readdir(parent)).toEqual(['ws']);
    expect(await workspace.listFiles()).toEqual([]);
  });

  it('does not follow a symlink out of the workspace', async () => {
    const outside = path.join(parent, 'outside.txt');
    await writeFile(outside, 'secret');
    await symlink(outside, path.join(workspace.root, 'link.txt'));
    const read = await executeTool('read_file', { path: 'link.txt' }, tools);
    expect(read.ok).toBe(false);
    expect(read.output).not.toContain('secret');
    expect((await executeTool('write_file', { path: 'link.txt', content: 'x' }, tools)).ok).toBe(
      false,
    );
  });

  it('never throws, even when the tools themselves fail oddly', async () => {
    const broken: WorkspaceTools = {
      writeFile: () =>
        Promise.reject(Object.assign(new Error('/srv/host/path broke'), { code: 'EIO' })),
      writeFiles: () => Promise.reject(new Error('/srv/host/path broke')),
      readFile: () => Promise.reject(new Error('/srv/host/path')),
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an adapter may reject with a non-Error
      listFiles: () => Promise.reject('a string'),
      deleteFile: () => {
        throw new Error('sync throw');
      },
    };
    expect(await executeTool('write_file', { path: 'a', content: '' }, broken)).toEqual({
      ok: false,
      output: 'Error: Could not write a (EIO).',
    });
    expect(await executeTool('read_file', { path: 'a' }, broken)).toEqual({
      ok: false,
      output: 'Error: Could not read a.',
    });
    expect((await executeTool('list_files', {}, broken)).ok).toBe(false);
    expect((await executeTool('delete_file', { path: 'a' }, broken)).ok).toBe(false);
  });
});

describe('describeToolCall', () => {
  it('names the tool and path, never the content', () => {
    expect(describeToolCall('write_file', { path: 'a.ts', content: 'SECRET' })).toEqual({
      tool: 'write_file',
      path: 'a.ts',
    });
    expect(describeToolCall('list_files', { dir: 'src' })).toEqual({
      tool: 'list_files',
      path: 'src',
    });
    expect(describeToolCall('list_files', {})).toEqual({ tool: 'list_files' });
    expect(describeToolCall('x', null)).toEqual({ tool: 'x' });
  });
});
