import { buildExitCode, getBuild, printStatus } from './build-view.js';
import { need, noMore, printJson, type Command } from './shared.js';

export const status: Command = {
  name: 'status',
  summary: "a build's status, stage timings, preview URL and error",
  usage: ['status <buildId>'],
  options: {},
  details: 'Exits 1 when the build failed or was cancelled, 0 otherwise.',
  async run(ctx, args) {
    const buildId = need(args.positionals[0], 'build id: sheen status <buildId>');
    noMore(args, 1, 'status');
    const build = await getBuild(await ctx.client(), ctx, buildId);
    if (ctx.json) printJson(ctx, build);
    else printStatus(ctx.out, build);
    return buildExitCode(build);
  },
};
