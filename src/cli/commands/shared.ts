import type { WorkerClient } from '../client.js';

/** What every command gets: a signed client, the acting user, and where to write. */
export interface CommandContext {
  client: WorkerClient;
  userId: string;
  json: boolean;
  out: NodeJS.WritableStream;
}

/** A mistake in how the command was typed: usage is printed, exit code 2. */
export class UsageError extends Error {}

export function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.out.write(JSON.stringify(value, null, 2) + '\n');
}

export const enc = encodeURIComponent;
