import type { LiveView } from './project-versions.js';
import { enc, need, noMore, printJson, type Command } from './shared.js';

export const unpublish: Command = {
  name: 'unpublish',
  summary: 'take production down; versions, host name and domains are kept',
  usage: ['unpublish <projectId>'],
  options: {},
  async run(ctx, args) {
    const projectId = need(args.positionals[0], 'project id: sheen unpublish <projectId>');
    noMore(args, 1, 'unpublish');
    const live = await (
      await ctx.client()
    ).json<LiveView>('DELETE', `/v1/projects/${enc(projectId)}/publish?userId=${enc(ctx.userId)}`);
    if (ctx.json) return (printJson(ctx, live), 0);
    ctx.out.write(`Unpublished ${projectId}: production no longer answers.\n`);
    return 0;
  },
};
