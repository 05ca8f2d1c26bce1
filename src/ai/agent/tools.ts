/**
 * The agent's workspace tools, as data (name, description, JSON schema) plus one executor, so
 * every tool-calling engine (Anthropic, OpenAI-compatible…) offers the model the same tools with
 * the same semantics. All file access goes through `WorkspaceTools`, the contained workspace API.
 *
 * `executeTool` never throws: bad arguments, refused paths and missing files become an error
 * result the engine sends back to the model, which can then correct itself. It emits nothing;
 * the engine decides what to show.
 */
import { z } from 'zod';
import type { WorkspaceTools } from '../engine.js';
import { WorkspaceError } from '../../workspace/workspace.js';

/** A tool as the model sees it; engines map it to their API's format. */
export interface ToolDefinition {
  name: ToolName;
  description: string;
  /** JSON Schema (an object schema) for the tool's input. */
  inputSchema: Record<string, unknown>;
}

export interface ToolResult {
  ok: boolean;
  /** What the model is told: file content, a confirmation, or an error to act on. */
  output: string;
  /** The workspace path this call wrote, edited or deleted, when it changed something. */
  changed?: string;
}

/** Largest file content handed back by read_file; a whole large file would flood the context. */
export const MAX_READ_CHARS = 60_000;
const MAX_LISTED = 1000;

const path = z.string().min(1).describe('File path relative to the project root, e.g. src/App.tsx');

const schemas = {
  write_file: z.object({
    path,
    content: z.string().describe('The complete new content of the file'),
  }),
  read_file: z.object({ path }),
  list_files: z.object({
    dir: z
      .string()
      .optional()
      .describe('Directory relative to the project root; omit to list the whole project'),
  }),
  delete_file: z.object({ path }),
  edit_file: z.object({
    path,
    search: z
      .string()
      .describe(
        'Exact text to replace; it must occur exactly once in the file, whitespace included',
      ),
    replace: z.string().describe('The text to put in its place'),
  }),
} as const;

export type ToolName = keyof typeof schemas;

const DESCRIPTIONS: Record<ToolName, string> = {
  write_file:
    'Create or overwrite a file with complete content. Parent directories are created. Use it for new files and for rewriting a file entirely.',
  read_file: 'Read a file of the project and return its content.',
  list_files:
    'List the files of the project (or of one directory), one relative path per line. node_modules, .git and build output are not listed.',
  delete_file: 'Delete a file. Deleting a file that does not exist is not an error.',
  edit_file:
    'Replace one exact occurrence of `search` with `replace` in an existing file. `search` must match exactly once (copy it from read_file output, with enough surrounding lines to be unique); otherwise the edit fails and you should use write_file with the whole file. An empty `search` on a file that does not exist creates it with `replace`.',
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // `io: 'input'` describes what the model sends; `$schema` is noise to the API.
  const out: Record<string, unknown> = { ...z.toJSONSchema(schema, { io: 'input' }) };
  delete out.$schema;
  return out;
}

export const TOOL_NAMES = Object.keys(schemas) as ToolName[];

export const TOOL_DEFINITIONS: readonly ToolDefinition[] = TOOL_NAMES.map((name) => ({
  name,
  description: DESCRIPTIONS[name],
  inputSchema: jsonSchema(schemas[name]),
}));

function isToolName(name: string): name is ToolName {
  return Object.hasOwn(schemas, name);
}

/** `./src//a.ts` → `src/a.ts`: the form `changed` lists use, once the workspace accepted it. */
function canonical(p: string): string {
  return p
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The model-facing text for a failure. Workspace refusals already explain themselves without host
 * paths; raw fs errors can carry absolute host paths, so only their code is passed on.
 */
function describeError(err: unknown, action: string, p: string): string {
  if (err instanceof WorkspaceError) return err.message;
  const code = errorCode(err);
  if (code === 'ENOENT') return `No such file: ${p}`;
  if (code) return `Could not ${action} ${p} (${code}).`;
  return `Could not ${action} ${p}.`;
}

function failure(output: string): ToolResult {
  return { ok: false, output: 'Error: ' + output };
}

function truncate(content: string, p: string): string {
  if (content.length <= MAX_READ_CHARS) return content;
  return (
    content.slice(0, MAX_READ_CHARS) +
    `\n[truncated: ${p} has ${content.length} characters; only the first ${MAX_READ_CHARS} are shown]`
  );
}

/** Counts non-overlapping occurrences (a literal search, never a regular expression). */
function occurrences(text: string, search: string): number {
  let count = 0;
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + search.length)) {
    count += 1;
  }
  return count;
}

async function editFile(
  tools: WorkspaceTools,
  input: z.infer<(typeof schemas)['edit_file']>,
): Promise<ToolResult> {
  const { path: p, search, replace } = input;
  let current: string;
  try {
    current = await tools.readFile(p);
  } catch (err) {
    if (errorCode(err) === 'ENOENT' && search === '') {
      await tools.writeFile(p, replace);
      return { ok: true, output: `Created ${p} (${replace.length} characters).`, changed: p };
    }
    if (errorCode(err) === 'ENOENT') {
      return failure(`No such file: ${p}. Use write_file to create it with its complete content.`);
    }
    throw err;
  }
  if (search === '') {
    return failure(`search is empty but ${p} exists. Use write_file to replace the whole file.`);
  }
  const count = occurrences(current, search);
  if (count !== 1) {
    const why = count === 0 ? 'was not found in' : `occurs ${count} times in`;
    return failure(
      `The search text ${why} ${p}, so nothing was changed. Use write_file with the complete new content of ${p} instead.`,
    );
  }
  // Splice by index: String.prototype.replace would expand `$&`, `$1`… in the replacement.
  const at = current.indexOf(search);
  const next = current.slice(0, at) + replace + current.slice(at + search.length);
  await tools.writeFile(p, next);
  return { ok: true, output: `Edited ${p}.`, changed: p };
}

async function run(name: ToolName, input: unknown, tools: WorkspaceTools): Promise<ToolResult> {
  switch (name) {
    case 'write_file': {
      const { path: p, content } = schemas.write_file.parse(input);
      await tools.writeFile(p, content);
      return { ok: true, output: `Wrote ${p} (${content.length} characters).`, changed: p };
    }
    case 'read_file': {
      const { path: p } = schemas.read_file.parse(input);
      return { ok: true, output: truncate(await tools.readFile(p), p) };
    }
    case 'list_files': {
      const { dir } = schemas.list_files.parse(input);
      const files = await tools.listFiles(dir === '' || dir === '.' ? undefined : dir);
      if (files.length === 0) return { ok: true, output: '(no files)' };
      const shown = files.slice(0, MAX_LISTED).join('\n');
      const more = files.length > MAX_LISTED ? `\n[${files.length - MAX_LISTED} more]` : '';
      return { ok: true, output: shown + more };
    }
    case 'delete_file': {
      const { path: p } = schemas.delete_file.parse(input);
      await tools.deleteFile(p);
      return { ok: true, output: `Deleted ${p}.`, changed: p };
    }
    case 'edit_file':
      return editFile(tools, schemas.edit_file.parse(input));
  }
}

const ACTIONS: Record<ToolName, string> = {
  write_file: 'write',
  read_file: 'read',
  list_files: 'list',
  delete_file: 'delete',
  edit_file: 'edit',
};

/** Runs one tool call against the workspace. Never throws. */
export async function executeTool(
  name: string,
  rawInput: unknown,
  tools: WorkspaceTools,
): Promise<ToolResult> {
  if (!isToolName(name)) {
    return failure(`Unknown tool "${name}". Available tools: ${TOOL_NAMES.join(', ')}.`);
  }
  const parsed = schemas[name].safeParse(rawInput);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => (issue.path.length > 0 ? issue.path.join('.') + ': ' : '') + issue.message)
      .join('; ');
    return failure(`Invalid input for ${name}: ${problems}`);
  }
  try {
    const result = await run(name, parsed.data, tools);
    return result.changed === undefined
      ? result
      : { ...result, changed: canonical(result.changed) };
  } catch (err) {
    const target = describeToolCall(name, rawInput).path ?? '.';
    return failure(describeError(err, ACTIONS[name], target));
  }
}

/** What to show about a call in events: the tool and its path, never the file content. */
export function describeToolCall(name: string, rawInput: unknown): { tool: string; path?: string } {
  const input = (typeof rawInput === 'object' && rawInput !== null ? rawInput : {}) as Record<
    string,
    unknown
  >;
  const target = typeof input.path === 'string' ? input.path : input.dir;
  return typeof target === 'string' && target !== ''
    ? { tool: name, path: target.slice(0, 300) }
    : { tool: name };
}
