import { Worker } from 'node:worker_threads';
import { plainScriptBeside } from '../sandbox/plain-script.js';
import {
  digestTree,
  TREE_DIGEST_THREAD,
  type TreeDigest,
  type WalkAnswer,
  type WalkRequest,
} from './tree-digest.js';

/** A walk one build started early: of `dir`, as it was when the build started. */
export interface EarlyWalk {
  dir: string;
  /** The digest; undefined when the walk failed (the build then walks the tree itself). */
  done: Promise<TreeDigest | undefined>;
}

interface Waiting {
  root: string;
  resolve: (digest: TreeDigest) => void;
  reject: (err: Error) => void;
}

/**
 * Walks cached dependency trees (tree-digest.ts) on a thread of its own. Every warm build
 * re-walks the tree it links (~1,100 lstat calls, ~8 ms of CPU here), and on the event loop
 * that time came straight out of the path from prompt to preview. On the thread it runs on
 * the other core, and a build can start it when it starts (`walkEarly`): the tree the last
 * build linked is the one the next build most likely links, and the walk is done by the
 * time the install stage looks the tree up. A build only ever uses a walk it started itself,
 * so every reuse is still checked against the tree as it is during that build.
 *
 * If the thread cannot start or dies, walks run on the event loop as before.
 */
export class TreeWalker {
  private thread: Worker | undefined;
  private broken = false;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();
  private lastLinked: string | undefined;

  /** `onFailure` hears once why the thread could not start or stopped. */
  constructor(private readonly onFailure: (err: unknown) => void = () => undefined) {}

  /** The digest of the tree at `root`, walked now. Rejects as the walk does (a missing tree). */
  walk(root: string): Promise<TreeDigest> {
    const thread = this.broken ? undefined : this.start();
    if (!thread) return digestTree(root);
    const id = this.nextId++;
    return new Promise<TreeDigest>((resolve, reject) => {
      this.waiting.set(id, { root, resolve, reject });
      thread.postMessage({ id, root } satisfies WalkRequest);
    });
  }

  /** Whether walks run on the thread (false once it failed or was closed). */
  onThread(): boolean {
    return !this.broken && this.thread !== undefined;
  }

  /** Remembers the tree a build linked: the one the next build's early walk walks. */
  linked(nodeModules: string): void {
    this.lastLinked = nodeModules;
  }

  /** Starts walking the tree the last build linked; undefined when none was linked yet. */
  walkEarly(): EarlyWalk | undefined {
    const dir = this.lastLinked;
    if (!dir) return undefined;
    return { dir, done: this.walk(dir).catch(() => undefined) };
  }

  /** Stops the thread (walks after this run on the event loop). */
  async close(): Promise<void> {
    this.broken = true;
    const thread = this.thread;
    if (!thread) return;
    this.fail(thread);
    await thread.terminate();
  }

  private start(): Worker | undefined {
    if (this.thread) return this.thread;
    try {
      const program = plainScriptBeside(import.meta.url, 'tree-digest');
      const thread = new Worker(program, { workerData: TREE_DIGEST_THREAD });
      // Idle, it must not keep the process alive; a walk in flight is awaited by its build.
      thread.unref();
      thread.on('message', (answer: WalkAnswer) => this.answer(answer));
      thread.on('error', (err) => this.fail(thread, err));
      thread.on('exit', (code) => this.fail(thread, new Error(`the thread exited (${code})`)));
      this.thread = thread;
      return thread;
    } catch (err) {
      this.broken = true;
      this.onFailure(err);
      return undefined;
    }
  }

  private answer(answer: WalkAnswer): void {
    const waiting = this.waiting.get(answer.id);
    if (!waiting) return;
    this.waiting.delete(answer.id);
    if ('digest' in answer) return waiting.resolve(answer.digest);
    waiting.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
  }

  /** The thread is gone: what it was walking is walked on the event loop, and so is the rest. */
  private fail(thread: Worker, err?: unknown): void {
    if (this.thread !== thread) return;
    this.thread = undefined;
    if (!this.broken && err !== undefined) this.onFailure(err);
    this.broken = true;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) digestTree(w.root).then(w.resolve, w.reject);
  }
}
