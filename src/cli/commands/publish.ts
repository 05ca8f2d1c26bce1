import { currentVersion, resolveVersion, type LiveView } from './project-versions.js';
import { enc, need, noMore, printJson, type Command } from './shared.js';

export const publish: Command = {
  name: 'publish',
  summary: 'serve a ready version in production from its stored artifact (no rebuild)',
  usage: ['publish <projectId> [versionId|vN]'],
  options: {},
  details: 'Without a version, the current one is published.',
  async run(ctx, args) {
    const projectId = need(
      args.positionals[0],
      'project id: sheen publish <projectId> [versionId|vN]',
    );
    noMore(args, 2, 'publish');
    const client = await ctx.client();
    const ref = args.positionals[1];
    const versionId = ref
      ? await resolveVersion(client, ctx, projectId, ref)
      : (await currentVersion(client, ctx, projectId)).versionId;
    const live = await client.json<LiveView>(
      'POST',
      `/v1/projects/${enc(projectId)}/publish/${enc(versionId)}`,
      { userId: ctx.userId },
    );
    if (ctx.json) return (printJson(ctx, live), 0);
    ctx.out.write(`Published ${versionId}: ${live.productionUrl ?? ''}\n`);
    return 0;
  },
};
