import { chownSync, lstatSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Build } from '../repositories/builds.repo.js';
import { bindIdentity } from '../sandbox/identity-pool.js';
import type { RunResult, RunSpec, Sandbox, SandboxIdentity } from '../sandbox/sandbox.js';
import type { WarmNode } from '../sandbox/warm-node.js';
import { chownTree } from '../workspace/chown-tree.js';
import { Workspace } from '../workspace/workspace.js';
import { versionMeta, type BuildRun, type PipelineDeps, type PipelineState } from './context.js';
import { OutputLogger, type BuildEventLog } from './event-log.js';
import { workspaceDir } from './leftovers.js';
import { restoreSources } from './stages/sources.js';
import type { SpareBundler } from './warm-bundler.js';

/**
 * Sets up what the stages of one run work in: a fresh workspace for a run from the first
 * stage, else the one an earlier job left (its sources restored if it is gone), with the plan
 * and, for an update, the project's engine session.
 */
export async function openRun(
  deps: PipelineDeps,
  build: Build,
  fresh: boolean,
  log: BuildEventLog,
  signal: AbortSignal,
  identity: SandboxIdentity | undefined,
  spare?: SpareBundler,
): Promise<BuildRun> {
  // A run from the first stage installs: the tree it will most likely link is walked meanwhile.
  const earlyTreeWalk = fresh ? deps.dependencyTrees.walkEarly() : undefined;
  const state: PipelineState = {
    processMs: 0,
    usage: [],
    ...(earlyTreeWalk && { earlyTreeWalk }),
    ...(spare && { spare }),
  };
  const workspace = await prepareWorkspace(deps, build, fresh, identity);
  const run = makeRun(deps, build, workspace, log, signal, state, identity);
  if (
    !fresh &&
    !(await workspace.exists('package.json')) &&
    !(await workspace.exists('index.html'))
  ) {
    if (!(await restoreSources(run, build.versionId)))
      throw new Error('sources of this build are missing');
  }
  state.plan ??= (await versionMeta(run)).plan;
  if (build.kind === 'update') {
    const sessionId = await deps.projects.aiSession(build.projectId);
    if (sessionId) state.sessionId = sessionId;
  }
  return run;
}

/** The run every stage gets; `exec` streams a process's output as events and adds up its time. */
function makeRun(
  deps: PipelineDeps,
  build: Build,
  workspace: Workspace,
  log: BuildEventLog,
  signal: AbortSignal,
  state: PipelineState,
  identity: SandboxIdentity | undefined,
): BuildRun {
  const sandbox = bindIdentity(deps.sandbox, identity);
  // processMs is the time at least one process ran: processes that overlap count once.
  let running = 0;
  let busySince = 0;
  return {
    deps,
    build,
    workspace,
    log,
    signal,
    state,
    identity,
    sandbox,
    async exec(stage, spec, warm) {
      const out = new OutputLogger(log, stage);
      // The process starts while its event is written (the log keeps the order of events):
      // the write would otherwise delay every process, and the type check and bundle that
      // start together would wait on each other's. A failed write still fails the run.
      const announced = log.emit({
        type: 'process.started',
        stage,
        level: 'debug',
        message: [path.basename(spec.command), ...spec.args.map((a) => path.basename(a))].join(' '),
      });
      announced.catch(() => undefined); // awaited below, after the process
      if (running++ === 0) busySince = performance.now();
      state.diskMeasured = false;
      let result: RunResult;
      try {
        const run = { ...spec, cwd: spec.cwd ?? workspace.root, signal: spec.signal ?? signal };
        result = await runProcess({ sandbox, workspace, log, stage, out }, run, warm);
      } finally {
        out.flush();
        if (--running === 0) state.processMs += performance.now() - busySince;
      }
      // A run measures the workspace as it ends (a cancelled one does not): the last to end
      // saw every process's writes.
      if (running === 0) state.diskMeasured = result.killedBy !== 'cancel';
      await announced;
      return result;
    },
  };
}

/** One process of a run: in the warm process when it takes it, else a fresh sandboxed one. */
async function runProcess(
  to: {
    sandbox: Sandbox;
    workspace: Workspace;
    log: BuildEventLog;
    stage: string;
    out: OutputLogger;
  },
  spec: Omit<RunSpec, 'workspace' | 'onOutput'>,
  warm: WarmNode | undefined,
): Promise<RunResult> {
  const { args, cwd, timeoutMs, signal } = spec;
  const work = { args, cwd, timeoutMs, onOutput: to.out.write, ...(signal && { signal }) };
  const ran = await warm?.run(work);
  if (!ran)
    return to.sandbox.run({ ...spec, workspace: to.workspace.root, onOutput: to.out.write });
  to.log.post({
    type: 'process.warm',
    stage: to.stage,
    level: 'debug',
    message: 'Ran in a process started ahead: Node and its modules were already loaded.',
  });
  return ran;
}

async function prepareWorkspace(
  deps: PipelineDeps,
  build: Build,
  fresh: boolean,
  owner: SandboxIdentity | undefined,
): Promise<Workspace> {
  const root = workspaceDir(deps.settings.dataDir, build.id);
  // Usually there is nothing to remove (a retried job's attempt left it): one lstat says so
  // without a wait on libuv's pool, which the last build's clean-up may be holding.
  if (fresh && lstatSync(root, { throwIfNoEntry: false }))
    await rm(root, { recursive: true, force: true });
  const workspace = await Workspace.create(root, deps.settings.workspaceLimits);
  // The sandboxed tools write into the workspace (node_modules, dist) as the build's uid. A
  // build continued by a later job holds another slot: what earlier processes wrote is its now.
  if (owner && fresh) chownSync(workspace.root, owner.uid, owner.gid);
  else if (owner) await chownTree(workspace.root, owner);
  return workspace;
}
