import type { OptionSpec, ParsedArgs } from '../args.js';
import type { WorkerClient } from '../client.js';

/** What every command gets: a signed client, the acting user, and where to write. */
export interface CommandContext {
  /** The signed client; resolving it checks SHEEN_URL and finds the secret. */
  client(): Promise<WorkerClient>;
  /** The worker URL and where it came from ("SHEEN_URL" or "default"). */
  target: { url: string; source: string };
  env: NodeJS.ProcessEnv;
  userId: string;
  json: boolean;
  out: NodeJS.WritableStream;
  /** stdout is a terminal: progress may redraw a line, a browser may be opened. */
  interactive: boolean;
}

/** One `sheen <name>` command: its help and what it does. Returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  /** Usage lines without the leading "sheen ". */
  usage: string[];
  options: Record<string, OptionSpec>;
  /** More help text after the options, if any. */
  details?: string;
  run(ctx: CommandContext, args: ParsedArgs): Promise<number>;
}

/** A mistake in how the command was typed: exit code 2. */
export class UsageError extends Error {}

/** The CLI's own setup is wrong (SHEEN_URL, no secret): exit code 3. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

/** Refuses positionals beyond the ones a command reads. */
export function noMore(args: ParsedArgs, count: number, command: string): void {
  const extra = args.positionals[count];
  if (extra !== undefined)
    throw new UsageError(`unexpected argument "${extra}" for \`sheen ${command}\``);
}

export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.out.write(JSON.stringify(value, null, 2) + '\n');
}

export const enc = encodeURIComponent;
