import { execFile } from 'node:child_process';
import { ApiError } from '../client.js';
import { getBuild } from './build-view.js';
import { currentVersion } from './project-versions.js';
import { enc, need, noMore, printJson, type Command, type CommandContext } from './shared.js';

export const open: Command = {
  name: 'open',
  summary: "print a build's preview URL (or a project's current one) and open it in a browser",
  usage: ['open <buildId|projectId> [--production]'],
  options: {
    production: { type: 'boolean', description: "the project's production URL instead" },
  },
  details:
    'The browser is opened (xdg-open, or open on macOS) only when stdout is a terminal; without\none the URL is printed all the same.',
  async run(ctx, args) {
    const id = need(args.positionals[0], 'id: sheen open <buildId|projectId>');
    noMore(args, 1, 'open');
    const url = await findUrl(ctx, id, args.values.production === true);
    if (ctx.json) printJson(ctx, { url });
    else ctx.out.write(`${url}\n`);
    if (ctx.interactive) launchBrowser(url);
    return 0;
  },
};

/** The preview of a build with this id, else of the project's current version. */
async function findUrl(ctx: CommandContext, id: string, production: boolean): Promise<string> {
  const client = await ctx.client();
  if (production) {
    const status = await client.json<{ productionUrl: string | null }>(
      'GET',
      `/v1/projects/${enc(id)}/publication-status?userId=${enc(ctx.userId)}`,
    );
    if (!status.productionUrl)
      throw new Error(`project ${id} is not published: run \`sheen publish ${id}\` first`);
    return status.productionUrl;
  }
  try {
    const build = await getBuild(client, ctx, id);
    if (build.previewUrl) return build.previewUrl;
    throw new Error(`build ${id} has no preview: it is ${build.status}`);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  const current = await currentVersion(client, ctx, id);
  if (!current.previewUrl) throw new Error(`project ${id} has no preview yet`);
  return current.previewUrl;
}

/** Best effort: no opener installed, or none that works, is not a failure. */
function launchBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  try {
    const child = execFile(opener, [url], { timeout: 10_000 }, () => undefined);
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // Nothing to open it with: the printed URL is enough.
  }
}
