import type { WorkerClient } from '../client.js';
import { followBuildEvents } from '../follow.js';
import { formatMs, StageProgress } from '../progress.js';
import { enc, printJson, type CommandContext } from './shared.js';

export interface BuildView {
  buildId: string;
  projectId: string;
  versionId: string;
  status: string;
  stage: string | null;
  previewUrl: string | null;
  error: { code: string; message: string; hint: string } | null;
  stages: Array<{ name: string; status: string; durationMs: number | null }>;
  durationMs: number | null;
  /** Absent from workers that predate it. */
  plan?: { unmet: Array<{ kind: string; text: string; reason: string }> } | null;
}

/** What the worker answers when it accepts a build (create and update). */
export interface AcceptedBuild {
  buildId: string;
  projectId: string;
  versionId: string;
  eventsUrl: string;
  previewUrl: string;
  created: boolean;
  estimate: { seconds: number; basis: string; metered: boolean };
}

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

export const buildPath = (buildId: string, userId: string, tail = '') =>
  `/v1/builds/${enc(buildId)}${tail}?userId=${enc(userId)}`;

export function getBuild(client: WorkerClient, ctx: CommandContext, buildId: string) {
  return client.json<BuildView>('GET', buildPath(buildId, ctx.userId));
}

/** 0 for a build that succeeded (or is still running), 1 for one that failed or was cancelled. */
export const buildExitCode = (build: BuildView) =>
  build.status === 'failed' || build.status === 'cancelled' ? 1 : 0;

/** `--detach` of the commands that start a build (create, update, import). */
export const detachOption = {
  type: 'boolean',
  short: 'd',
  description: 'return once the build is accepted (follow it with `sheen logs -f`)',
} as const;

/**
 * After create or update: the accepted build, then (unless detached) its stages as they
 * run and the result. A spinner redraws the running stage on a terminal; elsewhere each
 * stage is one plain line when it ends.
 */
export async function watchAccepted(
  ctx: CommandContext,
  client: WorkerClient,
  accepted: AcceptedBuild,
  detach: boolean,
): Promise<number> {
  const started = Date.now();
  if (detach) {
    if (ctx.json) printJson(ctx, accepted);
    else
      ctx.out.write(
        `Build ${accepted.buildId} (project ${accepted.projectId}) accepted.\nFollow it: sheen logs -f ${accepted.buildId}\n`,
      );
    return 0;
  }
  if (!ctx.json) {
    ctx.out.write(`Build ${accepted.buildId} (project ${accepted.projectId})\n`);
    const { seconds, basis, metered } = accepted.estimate;
    if (metered) ctx.out.write(`Estimated AI time: ${seconds} s (${basis.replace('-', ' ')})\n`);
  }
  const progress = ctx.json ? undefined : new StageProgress(ctx.out, ctx.interactive);
  try {
    await followStages(ctx, client, accepted.buildId, progress);
  } finally {
    progress?.stop();
  }
  const build = await getBuild(client, ctx, accepted.buildId);
  if (ctx.json) printJson(ctx, build);
  else if (build.status === 'succeeded') {
    ctx.out.write(`\nLive in ${formatMs(Date.now() - started)}: ${build.previewUrl}\n`);
    printUnmet(ctx.out, build);
  } else printStatus(ctx.out, build);
  return buildExitCode(build);
}

async function followStages(
  ctx: CommandContext,
  client: WorkerClient,
  buildId: string,
  progress: StageProgress | undefined,
): Promise<void> {
  const events = followBuildEvents(client, buildPath(buildId, ctx.userId, '/events'), {
    isOver: async () => TERMINAL.includes((await getBuild(client, ctx, buildId)).status),
    onReconnect: (after) => progress?.note(`connection lost; resuming after event ${after}`),
  });
  for await (const { data } of events) {
    const stage = data.stage ?? '';
    if (data.type === 'stage.started') progress?.start(stage);
    else if (data.type === 'stage.finished')
      progress?.finish(stage, true, Number(data.data?.durationMs));
    else if (data.type === 'stage.failure') progress?.finish(stage, false);
  }
}

export function printStatus(out: NodeJS.WritableStream, build: BuildView): void {
  const stage = build.stage && !TERMINAL.includes(build.status) ? ` (stage ${build.stage})` : '';
  out.write(`Build ${build.buildId}: ${build.status}${stage}\n`);
  const marks: Record<string, string> = { succeeded: '✔', failed: '✖', running: '…' };
  for (const s of build.stages) {
    const time = s.durationMs === null ? '' : formatMs(s.durationMs).padStart(8);
    out.write(`${marks[s.status] ?? ' '} ${s.name.padEnd(9)} ${time}`.trimEnd() + '\n');
  }
  if (build.previewUrl) out.write(`Preview: ${build.previewUrl}\n`);
  printUnmet(out, build);
  if (build.error)
    out.write(`Error ${build.error.code}: ${build.error.message}\nHint: ${build.error.hint}\n`);
}

/** The asks the engine could not honour, after the preview URL, so none is lost silently. */
export function printUnmet(out: NodeJS.WritableStream, build: BuildView): void {
  const unmet = build.plan?.unmet ?? [];
  if (unmet.length === 0) return;
  out.write(`Not built (this needs an AI engine):\n`);
  for (const ask of unmet) out.write(`  - ${ask.text} (${ask.kind}): ${ask.reason}\n`);
}
