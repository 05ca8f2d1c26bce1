import { formatMs } from '../progress.js';
import { listVersions } from './project-versions.js';
import { need, noMore, printJson, UsageError, type Command } from './shared.js';

export const versions: Command = {
  name: 'versions',
  summary: "a project's versions, newest first, with the current and published one marked",
  usage: ['versions <projectId> [--limit N]'],
  options: { limit: { type: 'string', value: 'N', description: 'only the newest N versions' } },
  async run(ctx, args) {
    const projectId = need(args.positionals[0], 'project id: sheen versions <projectId>');
    noMore(args, 1, 'versions');
    const limit = parseLimit(args.values.limit);
    const list = await listVersions(await ctx.client(), ctx, projectId, limit);
    if (ctx.json) return (printJson(ctx, { versions: list }), 0);
    if (list.length === 0) ctx.out.write('No versions yet.\n');
    for (const v of list) {
      const marks = [v.isCurrent ? 'current' : '', v.isPublished ? 'published' : '']
        .filter(Boolean)
        .join(', ');
      const age = formatMs(Date.now() - Date.parse(v.createdAt));
      ctx.out.write(
        `v${String(v.number).padEnd(4)} ${v.status.padEnd(8)} ${(marks || '-').padEnd(18)} ${age.padStart(7)} ago  ${v.versionId}  ${oneLine(v.prompt)}\n`,
      );
    }
    return 0;
  },
};

function parseLimit(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('--limit takes a whole number from 1');
  return n;
}

function oneLine(text: string | null): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
