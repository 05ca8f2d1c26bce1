/**
 * The Claude Code CLI's command line and environment. Flags checked against `claude --help` of
 * the pinned release (2.1.197) and the current one (2.1.332), which both accept all of them:
 *
 * - `-p --output-format stream-json --verbose`: non-interactive, one JSON message a line.
 *   The prompt is read from stdin (never argv: no quoting, no flag injection, not in `ps`).
 * - `--permission-mode acceptEdits` with `--allowedTools`: file edits are approved, anything
 *   else not listed is denied (print mode cannot ask). `--tools` removes every other built-in
 *   tool from the session altogether (Task, WebFetch, WebSearch, Skill, cron, worktrees, …).
 *   Tool names this version no longer has (MultiEdit, LS) are ignored by the CLI.
 * - `--setting-sources user`: only the per-project HOME's settings load, never the
 *   workspace's `.claude/settings.json` / `settings.local.json` (hooks, permissions, env).
 * - `--strict-mcp-config --mcp-config {"mcpServers":{}}`: no MCP server from the workspace's
 *   `.mcp.json` (or anywhere else) is started.
 * - `--settings {"disableAllHooks":true}`: belt and braces should a hook come from elsewhere.
 * - `--disable-slash-commands`: no skills or custom commands from the workspace.
 * - `--max-turns N` (accepted although hidden from --help), `--model`, `--resume <id>`.
 *
 * Never the flags that skip permission checks (`--dangerously-…`). Not
 * `--bare` either: it would skip hooks too, but in this version it also drops the Write tool.
 */

export const BASE_TOOLS = ['Read', 'Write', 'Edit', 'MultiEdit', 'Glob', 'Grep', 'LS'] as const;
/** Read-only tools, for runs that must not change the workspace. */
export const READ_TOOLS = ['Read', 'Glob', 'Grep', 'LS'] as const;

export interface CliArgsOptions {
  /** The tools the session has and may use without asking; empty for a text-only run. */
  tools: readonly string[];
  maxTurns: number;
  model?: string;
  resume?: string;
  /** Do not store the session (one-off text completions). */
  noPersistence?: boolean;
}

export function toolList(allowBash: boolean, readOnly = false): string[] {
  const tools: string[] = [...(readOnly ? READ_TOOLS : BASE_TOOLS)];
  if (allowBash && !readOnly) tools.push('Bash');
  return tools;
}

export function cliArgs(options: CliArgsOptions): string[] {
  const tools = options.tools.join(',');
  const args = [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--permission-mode',
    'acceptEdits',
    '--tools',
    tools,
    '--allowedTools',
    tools,
    '--max-turns',
    String(options.maxTurns),
    '--setting-sources',
    'user',
    '--strict-mcp-config',
    '--mcp-config',
    '{"mcpServers":{}}',
    '--settings',
    '{"disableAllHooks":true}',
    '--disable-slash-commands',
  ];
  if (options.model) args.push('--model', options.model);
  if (options.noPersistence) args.push('--no-session-persistence');
  if (options.resume) args.push('--resume', options.resume);
  return args;
}

export interface CliEnvOptions {
  home: string;
  apiKey?: string;
  baseUrl?: string;
  /** Caps the answer's length (CLAUDE_CODE_MAX_OUTPUT_TOKENS). */
  maxOutputTokens?: number;
}

/**
 * What the CLI needs on top of the sandbox's base allow-list, and nothing else: the API key
 * and endpoint, a private HOME, and everything that would phone home switched off.
 */
export function cliEnv(options: CliEnvOptions): Record<string, string> {
  return {
    HOME: options.home,
    ...(options.apiKey ? { ANTHROPIC_API_KEY: options.apiKey } : {}),
    ...(options.baseUrl ? { ANTHROPIC_BASE_URL: options.baseUrl } : {}),
    ...(options.maxOutputTokens
      ? { CLAUDE_CODE_MAX_OUTPUT_TOKENS: String(options.maxOutputTokens) }
      : {}),
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
  };
}

/** Session ids are UUIDs; anything else (say, `--dangerously-…`) never reaches argv. */
export function isSessionId(value: string | undefined): value is string {
  return (
    value !== undefined &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  );
}
