import { createHash } from 'node:crypto';
import type { FilesChanged } from '../repositories/versions.repo.js';
import { eachLimited } from '../each-limited.js';
import type { Workspace } from '../workspace/workspace.js';

const READ_LANES = 16;

/** The generated files of a workspace (no dependencies or output) and a digest of each. */
export async function digestFiles(workspace: Workspace): Promise<Map<string, string>> {
  const files = await workspace.listFiles();
  const read = new Map<string, string>();
  // Side by side: each read is several calls on libuv's pool, and they waited in turn.
  await eachLimited(files, READ_LANES, async (file) => {
    const text = await workspace.readFile(file).catch(() => undefined);
    if (text !== undefined) read.set(file, createHash('sha256').update(text).digest('hex'));
  });
  // In listing order, whatever order the reads ended in.
  const digests = new Map<string, string>();
  for (const file of files) {
    const digest = read.get(file);
    if (digest !== undefined) digests.set(file, digest);
  }
  return digests;
}

/** How a generation changed the files it started from. */
export function diffFiles(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): FilesChanged {
  let added = 0;
  let modified = 0;
  for (const [file, digest] of after) {
    const old = before.get(file);
    if (old === undefined) added++;
    else if (old !== digest) modified++;
  }
  let removed = 0;
  for (const file of before.keys()) if (!after.has(file)) removed++;
  return { added, modified, removed };
}
