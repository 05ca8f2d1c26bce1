import type { WorkerClient } from '../client.js';
import { buildPath, getBuild, printStatus, type BuildView } from './build-view.js';
import { need, noMore, printJson, type Command, type CommandContext } from './shared.js';

const ENDED = ['succeeded', 'failed', 'cancelled'];
const WAIT_MS = 30_000;

export const cancel: Command = {
  name: 'cancel',
  summary: 'stop a running build, kill its processes and wait until it has ended',
  usage: ['cancel <buildId>'],
  options: {},
  details:
    'Exits 0 once the build has stopped (a build that had already ended is left as it was, and\nsaid so), 1 if it is still running 30 s after the request.',
  async run(ctx, args) {
    const buildId = need(args.positionals[0], 'build id: sheen cancel <buildId>');
    noMore(args, 1, 'cancel');
    const client = await ctx.client();
    const requested = await client.json<BuildView>(
      'POST',
      buildPath(buildId, ctx.userId, '/cancel'),
    );
    const alreadyEnded = requested.status !== 'cancelled' && ENDED.includes(requested.status);
    const build = ENDED.includes(requested.status)
      ? requested
      : await waitUntilEnded(client, ctx, buildId);
    if (ctx.json) printJson(ctx, build);
    else if (alreadyEnded)
      ctx.out.write(
        `Build ${build.buildId} had already ended (${build.status}); nothing to cancel.\n`,
      );
    else if (build.status === 'cancelled')
      ctx.out.write(
        `Cancelled build ${build.buildId}${requested.stage ? ` during ${requested.stage}` : ''}.\n`,
      );
    else printStatus(ctx.out, build);
    return ENDED.includes(build.status) ? 0 : 1;
  },
};

/** The worker stops the build's processes asynchronously: poll until its status is final. */
async function waitUntilEnded(client: WorkerClient, ctx: CommandContext, buildId: string) {
  const deadline = Date.now() + WAIT_MS;
  let build = await getBuild(client, ctx, buildId);
  while (!ENDED.includes(build.status) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    build = await getBuild(client, ctx, buildId);
  }
  return build;
}
