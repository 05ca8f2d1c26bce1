import type { WorkerClient } from '../client.js';
import { followBuildEvents, TERMINAL_EVENT, type BuildEventData } from '../follow.js';
import { buildExitCode, buildPath, getBuild } from './build-view.js';
import { need, noMore, type Command, type CommandContext } from './shared.js';

/** Without --follow, the events so far: the replay arrives at once, so a pause ends it. */
const QUIET_MS = 750;
const FIRST_EVENT_MS = 10_000;
const ENDED = ['succeeded', 'failed', 'cancelled'];

export const logs: Command = {
  name: 'logs',
  summary: "a build's events: what so far, or with -f everything until the build ends",
  usage: ['logs <buildId> [-f]'],
  options: {
    follow: {
      type: 'boolean',
      short: 'f',
      description:
        'keep following until the build ends; a dropped connection resumes after the last event (Last-Event-ID)',
    },
  },
  details:
    'With --json, one JSON event per line. Once the build has ended, exits 1 if it failed or was\ncancelled; otherwise 0.',
  async run(ctx, args) {
    const buildId = need(args.positionals[0], 'build id: sheen logs <buildId> [-f]');
    noMore(args, 1, 'logs');
    const client = await ctx.client();
    const events = args.values.follow
      ? followBuildEvents(client, buildPath(buildId, ctx.userId, '/events'), {
          isOver: async () => ENDED.includes((await getBuild(client, ctx, buildId)).status),
          // On stderr, so --json output stays one event per line.
          onReconnect: (after) =>
            process.stderr.write(`(connection lost; resuming after event ${after})\n`),
        })
      : eventsSoFar(client, ctx, buildId);
    for await (const { data } of events) ctx.out.write(formatEvent(ctx, data));
    const build = await getBuild(client, ctx, buildId);
    return ENDED.includes(build.status) ? buildExitCode(build) : 0;
  },
};

async function* eventsSoFar(client: WorkerClient, ctx: CommandContext, buildId: string) {
  const abort = new AbortController();
  // The first event may take a while on a busy worker; later ones arrive back to back.
  let timer = setTimeout(() => abort.abort(), FIRST_EVENT_MS);
  try {
    const path = buildPath(buildId, ctx.userId, '/events');
    for await (const event of client.events(path, 0, abort.signal)) {
      clearTimeout(timer);
      yield event as { id: number; data: BuildEventData };
      if (event.data.type === TERMINAL_EVENT) return;
      timer = setTimeout(() => abort.abort(), QUIET_MS);
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

function formatEvent(ctx: CommandContext, event: BuildEventData): string {
  if (ctx.json) return JSON.stringify(event) + '\n';
  const time = event.at ? event.at.slice(11, 19) : '        ';
  const level = event.level && event.level !== 'info' ? `${event.level.toUpperCase()} ` : '';
  const stage = (event.stage ?? '-').padEnd(9);
  // Tool output can span lines: indent the rest under the first so each event stays one block.
  const message = (event.message ?? event.type ?? '')
    .trimEnd()
    .replaceAll('\n', `\n${' '.repeat(19)}`);
  return `${time} ${stage} ${level}${message}\n`;
}
