import { enc, need, printJson, UsageError, type CommandContext } from './shared.js';

interface DomainView {
  domain: string;
  status: 'pending' | 'verified' | 'failed';
  records: Array<{ type: string; name: string; value: string }>;
  checkedAt: string | null;
  error: string | null;
}

const USAGE = 'sheen domains add|verify|list|rm <projectId> [domain]';

/** `sheen domains add|verify|list|rm`: custom domains of a project. */
export async function domains(ctx: CommandContext, args: string[]): Promise<number> {
  const [action, projectArg, domainArg] = args;
  const projectId = need(projectArg, `project id: ${USAGE}`);
  const base = `/v1/projects/${enc(projectId)}/domains`;
  if (action === 'list') {
    const { domains: list } = await ctx.client.json<{ domains: DomainView[] }>(
      'GET',
      `${base}?userId=${enc(ctx.userId)}`,
    );
    if (ctx.json) return (printJson(ctx, { domains: list }), 0);
    if (list.length === 0) ctx.out.write('No custom domains.\n');
    for (const d of list)
      ctx.out.write(`${d.domain.padEnd(40)} ${d.status}${d.error ? `: ${d.error}` : ''}\n`);
    return 0;
  }
  const domain = need(domainArg, `domain: ${USAGE}`);
  if (action === 'add') {
    const view = await ctx.client.json<DomainView>('POST', base, { userId: ctx.userId, domain });
    if (ctx.json) return (printJson(ctx, view), 0);
    ctx.out.write(`${view.domain} is ${view.status}. Create these DNS records, then run\n`);
    ctx.out.write(`  sheen domains verify ${projectId} ${view.domain}\n\n`);
    for (const r of view.records) ctx.out.write(`  ${r.type.padEnd(6)} ${r.name}  ${r.value}\n`);
    return 0;
  }
  if (action === 'verify') {
    const view = await ctx.client.json<DomainView>('POST', `${base}/${enc(domain)}/verify`, {
      userId: ctx.userId,
    });
    if (ctx.json) printJson(ctx, view);
    else ctx.out.write(`${view.domain}: ${view.status}${view.error ? ` (${view.error})` : ''}\n`);
    return view.status === 'verified' ? 0 : 1;
  }
  if (action === 'rm') {
    const res = await ctx.client.json<unknown>(
      'DELETE',
      `${base}/${enc(domain)}?userId=${enc(ctx.userId)}`,
    );
    if (ctx.json) printJson(ctx, res);
    else ctx.out.write(`Removed ${domain}.\n`);
    return 0;
  }
  throw new UsageError(`unknown domains action "${action ?? ''}": ${USAGE}`);
}
