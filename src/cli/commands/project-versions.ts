import type { WorkerClient } from '../client.js';
import { enc, UsageError, type CommandContext } from './shared.js';

export interface VersionView {
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

/** What rollback, publish and unpublish answer. */
export interface LiveView {
  projectId: string;
  currentVersionId: string | null;
  publishedVersionId: string | null;
  previewUrl: string | null;
  productionUrl: string | null;
}

/** A project's versions, newest first: every page, or the first `limit`. */
export async function listVersions(
  client: WorkerClient,
  ctx: CommandContext,
  projectId: string,
  limit?: number,
): Promise<VersionView[]> {
  const all: VersionView[] = [];
  let cursor: string | null = null;
  do {
    const page: { versions: VersionView[]; nextCursor: string | null } = await client.json(
      'GET',
      `/v1/projects/${enc(projectId)}/versions?userId=${enc(ctx.userId)}&limit=${Math.min(limit ?? 100, 100)}${cursor ? `&cursor=${enc(cursor)}` : ''}`,
    );
    all.push(...page.versions);
    cursor = limit !== undefined && all.length >= limit ? null : page.nextCursor;
  } while (cursor);
  return limit === undefined ? all : all.slice(0, limit);
}

/** A version id as given, or `vN` / `N` looked up by number. */
export async function resolveVersion(
  client: WorkerClient,
  ctx: CommandContext,
  projectId: string,
  ref: string,
): Promise<string> {
  const number = /^v?(\d+)$/i.exec(ref)?.[1];
  if (!number) return ref;
  const found = (await listVersions(client, ctx, projectId)).find(
    (v) => v.number === Number(number),
  );
  if (!found) throw new UsageError(`project ${projectId} has no version ${ref}`);
  return found.versionId;
}

export async function currentVersion(
  client: WorkerClient,
  ctx: CommandContext,
  projectId: string,
): Promise<VersionView> {
  const current = (await listVersions(client, ctx, projectId)).find((v) => v.isCurrent);
  if (!current) throw new UsageError(`project ${projectId} has no version that built yet`);
  return current;
}
