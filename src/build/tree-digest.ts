import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/**
 * The listing digest of a dependency tree (dependency-cache.ts records it when a tree is
 * stored and compares it on every reuse): every entry's relative path, type, size, mode and
 * link target, in sorted depth-first order.
 *
 * This file is also the program of the thread that walks trees beside the event loop
 * (tree-walker.ts), so it imports nothing but Node's modules.
 */

export interface TreeDigest {
  entries: number;
  digest: string;
}

/** Marks the thread tree-walker.ts starts, so importing this file elsewhere starts nothing. */
export const TREE_DIGEST_THREAD = 'sheen-tree-digest';

/** Entries walked between two turns of the event loop when walking on it (digestTree). */
const DIGEST_SLICE = 256;

/**
 * The walk, `slice` entries at a time. Synchronous calls: on this machine an awaited lstat
 * costs 100–145 µs in libuv's pool against 6–10 µs done directly (ADR 26).
 */
function* walkTree(root: string, slice: number): Generator<void, TreeDigest> {
  const hash = createHash('sha256');
  let entries = 0;
  const stack = [{ dir: root, rel: '', names: readdirSync(root).sort(), next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    const name = top.names[top.next++];
    if (name === undefined) {
      stack.pop();
      continue;
    }
    const p = path.join(top.dir, name);
    const r = top.rel ? `${top.rel}/${name}` : name;
    const info = lstatSync(p);
    const mode = (info.mode & 0o7777).toString(8);
    if (info.isSymbolicLink()) hash.update(`l ${r} ${readlinkSync(p)}\n`);
    else if (info.isDirectory()) {
      hash.update(`d ${r} ${mode}\n`);
      stack.push({ dir: p, rel: r, names: readdirSync(p).sort(), next: 0 });
    } else hash.update(`f ${r} ${info.size} ${mode} ${info.uid}\n`);
    if (++entries % slice === 0) yield;
  }
  return { entries, digest: hash.digest('hex') };
}

/**
 * The digest, walked on the event loop in slices of DIGEST_SLICE entries with a turn of the
 * loop between them (a 1,100-entry tree took 50 ms with an awaited call per entry, an
 * 11,000-entry one 500–800 ms). The walker thread is the usual way (tree-walker.ts); this is
 * its fallback.
 */
export async function digestTree(root: string): Promise<TreeDigest> {
  const walk = walkTree(root, DIGEST_SLICE);
  for (let step = walk.next(); ; step = walk.next()) {
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The digest in one go: for the walker thread, which has nothing else to do. */
export function digestTreeSync(root: string): TreeDigest {
  const walk = walkTree(root, Number.MAX_SAFE_INTEGER);
  const step = walk.next();
  if (!step.done) throw new Error('the walk yielded without a slice');
  return step.value;
}

/** A request to the walker thread, and its answer. */
export interface WalkRequest {
  id: number;
  root: string;
}
export type WalkAnswer =
  { id: number; digest: TreeDigest } | { id: number; error: { message: string; code?: string } };

if (!isMainThread && workerData === TREE_DIGEST_THREAD && parentPort) {
  const port = parentPort;
  port.on('message', ({ id, root }: WalkRequest) => {
    let answer: WalkAnswer;
    try {
      answer = { id, digest: digestTreeSync(root) };
    } catch (err) {
      const { message, code } = err as NodeJS.ErrnoException;
      answer = { id, error: { message, ...(code ? { code } : {}) } };
    }
    port.postMessage(answer);
  });
}
