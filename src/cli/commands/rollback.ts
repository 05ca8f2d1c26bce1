import { resolveVersion, type LiveView } from './project-versions.js';
import { enc, need, noMore, printJson, type Command } from './shared.js';

export const rollback: Command = {
  name: 'rollback',
  summary: 'make an earlier ready version current again (a pointer move, no build)',
  usage: ['rollback <projectId> <versionId|vN>'],
  options: {},
  details: 'If the project is published, production follows the current version.',
  async run(ctx, args) {
    const usage = 'sheen rollback <projectId> <versionId|vN>';
    const projectId = need(args.positionals[0], `project id: ${usage}`);
    const ref = need(args.positionals[1], `version: ${usage}`);
    noMore(args, 2, 'rollback');
    const client = await ctx.client();
    const versionId = await resolveVersion(client, ctx, projectId, ref);
    const live = await client.json<LiveView>(
      'POST',
      `/v1/projects/${enc(projectId)}/rollback/${enc(versionId)}`,
      { userId: ctx.userId },
    );
    if (ctx.json) return (printJson(ctx, live), 0);
    ctx.out.write(`Current version is now ${ref} (${versionId}).\n`);
    if (live.previewUrl) ctx.out.write(`Preview:    ${live.previewUrl}\n`);
    if (live.productionUrl) ctx.out.write(`Production: ${live.productionUrl}\n`);
    return 0;
  },
};
