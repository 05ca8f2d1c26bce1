import type { WorkerClient } from '../client.js';
import {
  enc,
  need,
  noMore,
  printJson,
  UsageError,
  type Command,
  type CommandContext,
} from './shared.js';

interface DomainView {
  domain: string;
  status: 'pending' | 'verified' | 'failed';
  records: Array<{ type: string; name: string; value: string }>;
  checkedAt: string | null;
  error: string | null;
}

const USAGE = 'sheen domains add|verify|list|rm <projectId> [domain]';

export const domains: Command = {
  name: 'domains',
  summary: 'custom domains of a project: claim, verify over DNS, list, remove',
  usage: [
    'domains add <projectId> <domain>',
    'domains verify <projectId> <domain>',
    'domains list <projectId>',
    'domains rm <projectId> <domain>',
  ],
  options: {},
  details:
    '`add` prints the DNS records to create (a TXT challenge and a CNAME); `verify` looks them up\nand exits 1 while they are not in place yet.',
  async run(ctx, args) {
    const [action, projectArg, domainArg] = args.positionals;
    const projectId = need(projectArg, `project id: ${USAGE}`);
    const client = await ctx.client();
    const base = `/v1/projects/${enc(projectId)}/domains`;
    if (action === 'list') {
      noMore(args, 2, 'domains');
      return list(ctx, client, base);
    }
    const domain = need(domainArg, `domain: ${USAGE}`);
    noMore(args, 3, 'domains');
    if (action === 'add') return add(ctx, client, base, projectId, domain);
    if (action === 'verify') {
      const view = await client.json<DomainView>('POST', `${base}/${enc(domain)}/verify`, {
        userId: ctx.userId,
      });
      if (ctx.json) printJson(ctx, view);
      else ctx.out.write(`${view.domain}: ${view.status}${view.error ? ` (${view.error})` : ''}\n`);
      return view.status === 'verified' ? 0 : 1;
    }
    if (action === 'rm') {
      const res = await client.json<unknown>(
        'DELETE',
        `${base}/${enc(domain)}?userId=${enc(ctx.userId)}`,
      );
      if (ctx.json) printJson(ctx, res);
      else ctx.out.write(`Removed ${domain}.\n`);
      return 0;
    }
    throw new UsageError(`unknown domains action "${action ?? ''}": ${USAGE}`);
  },
};

async function list(ctx: CommandContext, client: WorkerClient, base: string) {
  const { domains: all } = await client.json<{ domains: DomainView[] }>(
    'GET',
    `${base}?userId=${enc(ctx.userId)}`,
  );
  if (ctx.json) return (printJson(ctx, { domains: all }), 0);
  if (all.length === 0) ctx.out.write('No custom domains.\n');
  for (const d of all)
    ctx.out.write(`${d.domain.padEnd(40)} ${d.status}${d.error ? `: ${d.error}` : ''}\n`);
  return 0;
}

async function add(
  ctx: CommandContext,
  client: WorkerClient,
  base: string,
  projectId: string,
  domain: string,
) {
  const view = await client.json<DomainView>('POST', base, { userId: ctx.userId, domain });
  if (ctx.json) return (printJson(ctx, view), 0);
  ctx.out.write(`${view.domain} is ${view.status}. Create these DNS records, then run\n`);
  ctx.out.write(`  sheen domains verify ${projectId} ${view.domain}\n\n`);
  for (const r of view.records) ctx.out.write(`  ${r.type.padEnd(6)} ${r.name}  ${r.value}\n`);
  return 0;
}
