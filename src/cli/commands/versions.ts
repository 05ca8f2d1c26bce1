import { formatMs } from '../progress.js';
import { enc, need, printJson, UsageError, type CommandContext } from './shared.js';

interface VersionView {
  versionId: string;
  number: number;
  kind: string;
  status: string;
  prompt: string | null;
  createdAt: string;
  previewUrl: string | null;
  isCurrent: boolean;
  isPublished: boolean;
}

interface LiveView {
  projectId: string;
  currentVersionId: string | null;
  publishedVersionId: string | null;
  previewUrl: string | null;
  productionUrl: string | null;
}

/** `sheen versions <projectId> [--limit N]`: newest first, every page unless --limit. */
export async function versions(ctx: CommandContext, args: string[], limit?: number) {
  const projectId = need(args[0], 'project id: sheen versions <projectId>');
  const list = await listVersions(ctx, projectId, limit);
  if (ctx.json) return (printJson(ctx, { versions: list }), 0);
  if (list.length === 0) ctx.out.write('No versions yet.\n');
  for (const v of list) {
    const marks = [v.isCurrent ? 'current' : '', v.isPublished ? 'published' : '']
      .filter(Boolean)
      .join(', ');
    const age = formatMs(Date.now() - Date.parse(v.createdAt));
    ctx.out.write(
      `v${String(v.number).padEnd(4)} ${v.status.padEnd(8)} ${(marks || '-').padEnd(18)} ${age.padStart(7)} ago  ${v.versionId}  ${oneLine(v.prompt)}\n`,
    );
  }
  return 0;
}

/** `sheen rollback <projectId> <versionId|vN>`: a pointer move, no build. */
export async function rollback(ctx: CommandContext, args: string[]) {
  const projectId = need(args[0], 'project id: sheen rollback <projectId> <versionId|vN>');
  const ref = need(args[1], 'version: sheen rollback <projectId> <versionId|vN>');
  const versionId = await resolveVersion(ctx, projectId, ref);
  const live = await ctx.client.json<LiveView>(
    'POST',
    `/v1/projects/${enc(projectId)}/rollback/${enc(versionId)}`,
    { userId: ctx.userId },
  );
  if (ctx.json) return (printJson(ctx, live), 0);
  ctx.out.write(`Current version is now ${ref} (${versionId}).\n`);
  if (live.previewUrl) ctx.out.write(`Preview:    ${live.previewUrl}\n`);
  if (live.productionUrl) ctx.out.write(`Production: ${live.productionUrl}\n`);
  return 0;
}

/** `sheen publish <projectId> [versionId|vN]`: the current version unless one is named. */
export async function publish(ctx: CommandContext, args: string[]) {
  const projectId = need(args[0], 'project id: sheen publish <projectId> [versionId|vN]');
  const versionId = args[1]
    ? await resolveVersion(ctx, projectId, args[1])
    : await currentVersion(ctx, projectId);
  const live = await ctx.client.json<LiveView>(
    'POST',
    `/v1/projects/${enc(projectId)}/publish/${enc(versionId)}`,
    { userId: ctx.userId },
  );
  if (ctx.json) return (printJson(ctx, live), 0);
  ctx.out.write(`Published ${versionId}: ${live.productionUrl ?? ''}\n`);
  return 0;
}

export async function unpublish(ctx: CommandContext, args: string[]) {
  const projectId = need(args[0], 'project id: sheen unpublish <projectId>');
  const live = await ctx.client.json<LiveView>(
    'DELETE',
    `/v1/projects/${enc(projectId)}/publish?userId=${enc(ctx.userId)}`,
  );
  if (ctx.json) return (printJson(ctx, live), 0);
  ctx.out.write(`Unpublished ${projectId}: production no longer answers.\n`);
  return 0;
}

async function listVersions(ctx: CommandContext, projectId: string, limit?: number) {
  const all: VersionView[] = [];
  let cursor: string | null = null;
  do {
    const page: { versions: VersionView[]; nextCursor: string | null } = await ctx.client.json(
      'GET',
      `/v1/projects/${enc(projectId)}/versions?userId=${enc(ctx.userId)}&limit=${Math.min(limit ?? 100, 100)}${cursor ? `&cursor=${enc(cursor)}` : ''}`,
    );
    all.push(...page.versions);
    cursor = limit !== undefined && all.length >= limit ? null : page.nextCursor;
  } while (cursor);
  return limit === undefined ? all : all.slice(0, limit);
}

/** A version id as given, or `vN` / `N` looked up by number. */
async function resolveVersion(ctx: CommandContext, projectId: string, ref: string) {
  const number = /^v?(\d+)$/i.exec(ref)?.[1];
  if (!number) return ref;
  const found = (await listVersions(ctx, projectId)).find((v) => v.number === Number(number));
  if (!found) throw new UsageError(`project ${projectId} has no version ${ref}`);
  return found.versionId;
}

async function currentVersion(ctx: CommandContext, projectId: string) {
  const current = (await listVersions(ctx, projectId)).find((v) => v.isCurrent);
  if (!current) throw new UsageError(`project ${projectId} has no version that built yet`);
  return current.versionId;
}

function oneLine(text: string | null): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
