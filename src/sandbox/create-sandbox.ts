import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { BwrapSandbox } from './bwrap-sandbox.js';
import type { Nice } from './child.js';
import { findExecutable } from './executables.js';
import { UidPool, WorkerIdentity, type IdentityPool } from './identity-pool.js';
import { findNamespaceTools } from './namespaces.js';
import type { NsTools } from './ns-plan.js';
import { ProcessSandbox } from './process-sandbox.js';
import type { Sandbox, SandboxLimits } from './sandbox.js';

export { findExecutable } from './executables.js';

/**
 * The uid/gid of `nobody`: what runs outside any build (the Claude CLI's scratch completions)
 * use when the worker is root and the caller prepares files for them. Builds use slots.
 */
export const SANDBOX_UID = 65534;

/** `nobody` as a sandbox identity when the worker is root (it can switch uids), else none. */
export function fixedSandboxIdentity(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? { uid: SANDBOX_UID, gid: SANDBOX_UID } : undefined;
}

/** The default slot range (SANDBOX_UID_BASE, SANDBOX_UID_COUNT). */
export const DEFAULT_UID_BASE = 200_000;
export const DEFAULT_UID_COUNT = 64;

export interface SandboxChoice {
  mode: 'auto' | 'bwrap' | 'process';
  limits: SandboxLimits;
  scratchDir: string;
  toolPaths: string[];
  systemPath: string;
  /** Refuse to fall back to the process runner (production). */
  requireBwrap: boolean;
  /** Accept plain, unisolated child processes where the host has no namespaces (development). */
  allowUnisolated?: boolean;
  /** Where runs without an identity get one; by default a slot pool when the worker is root. */
  identities?: IdentityPool;
  /**
   * The CPU priority (nice level, 1-19) every run gets, so that builds yield the cores to the
   * API, the database and the worker's own bookkeeping; 0 or none leaves it as the worker's.
   */
  nice?: number;
  /**
   * Namespace setups already seen to work, for callers that make many alike sandboxes in one
   * process (the test harness: one per app). A worker makes one sandbox and passes none.
   */
  probes?: ProbeMemo;
}

/**
 * The namespace setups (tools, limits, identities) whose probe passed. The scratch directory
 * is not part of a setup: the memo's owner has to put every sandbox's in an alike place. A
 * failed probe is not remembered, so the next sandbox probes again.
 */
export type ProbeMemo = Set<string>;

export class SandboxUnavailableError extends Error {}

/** A slot pool when the worker is root (it can switch uids), else the worker's own uid. */
export function identityPoolFor(range: { base: number; count: number }): IdentityPool {
  return process.getuid?.() === 0 ? new UidPool(range) : new WorkerIdentity();
}

export async function createSandbox(choice: SandboxChoice): Promise<Sandbox> {
  const bwrap = findExecutable('bwrap', choice.systemPath);
  const prlimit = findExecutable('prlimit', choice.systemPath);
  const nice = niceFor(choice);
  const identities =
    choice.identities ?? identityPoolFor({ base: DEFAULT_UID_BASE, count: DEFAULT_UID_COUNT });
  const shared = [
    ...(identities.separate ? [] : [NOT_ROOT(process.getuid?.() ?? -1)]),
    ...nice.limitations,
  ];
  const wantBwrap = choice.mode === 'bwrap' || (choice.mode === 'auto' && bwrap !== undefined);
  if (wantBwrap || choice.requireBwrap) {
    if (!bwrap) {
      throw new SandboxUnavailableError(
        'SANDBOX: bubblewrap (bwrap) is not installed; install it (apt-get install bubblewrap) ' +
          'or set SANDBOX_ALLOW_PROCESS=true to accept the weaker process runner',
      );
    }
    await mkdir(choice.scratchDir, { recursive: true });
    return new BwrapSandbox({
      bwrap,
      runDir: choice.scratchDir,
      limits: choice.limits,
      toolPaths: choice.toolPaths,
      identities,
      limitations: shared,
      ...(prlimit ? { prlimit } : {}),
      ...nice.option,
    });
  }
  await mkdir(choice.scratchDir, { recursive: true });
  // Each run's directory below is its own uid's; the sandbox uids only need to pass through.
  if (identities.separate) await chmod(choice.scratchDir, 0o711);
  const base = {
    limits: choice.limits,
    scratchDir: choice.scratchDir,
    toolPaths: choice.toolPaths,
    identities,
    ...(prlimit ? { prlimit } : {}),
    ...withSetpriv(choice.systemPath),
    ...nice.option,
  };
  const tools = findNamespaceTools(choice.systemPath);
  if ('missing' in tools) return unisolated(choice, base, shared, `no ${tools.missing.join(', ')}`);
  const sandbox = new ProcessSandbox({
    ...base,
    namespaces: tools,
    limitations: [...namespaceLimitations(tools, base.setpriv !== undefined), ...shared],
  });
  const problem = await probeOnce(choice.probes, probeKey(base, tools), () =>
    probe(sandbox, choice.scratchDir, identities),
  );
  if (problem) return unisolated(choice, base, shared, `namespaces do not work here: ${problem}`);
  return sandbox;
}

type BaseOptions = Omit<ConstructorParameters<typeof ProcessSandbox>[0], 'limitations'>;

function unisolated(
  choice: SandboxChoice,
  base: BaseOptions,
  shared: string[],
  reason: string,
): ProcessSandbox {
  if (!choice.allowUnisolated) {
    throw new SandboxUnavailableError(
      `SANDBOX: neither bubblewrap nor Linux namespaces are available (${reason}); install ` +
        'bubblewrap, or set SANDBOX_ALLOW_UNSAFE=true to run builds as plain processes ' +
        "that can read every file the worker's user can (development on trusted projects only)",
    );
  }
  return new ProcessSandbox({ ...base, limitations: [UNISOLATED(reason), ...shared] });
}

const NOT_ROOT = (uid: number) =>
  `the worker is not root, so sandbox uids cannot be switched: every build runs as the ` +
  `worker's uid (${uid}); process limits still count per build (inside each build's user ` +
  `namespace), but leftover processes cannot be found and killed by uid, and the dependency ` +
  `cache is owned by the worker's uid, protected from builds only by read-only mounts`;

const UNISOLATED = (reason: string) =>
  `builds run as plain child processes (${reason}): they can read every file the worker's ` +
  `user can (its source, HOME, DATA_DIR with the database and secrets` +
  `${process.getuid?.() === 0 ? '' : ", and the worker's environment through /proc"}), ` +
  `reach every address on the network including the worker's port and loopback services, ` +
  `leave detached processes running after the build, and share one process limit per uid; ` +
  `for development on trusted projects only`;

function namespaceLimitations(tools: NsTools, setpriv: boolean): string[] {
  return [
    'bubblewrap is missing: builds are isolated by the fallback runner (user, mount, PID, IPC, ' +
      'UTS, cgroup and network namespaces set up by unshare, with the same filesystem view); ' +
      'processes orphaned inside a step are reaped only when the step ends',
    ...(tools.ip ? [] : ["the ip tool is missing: loopback stays down inside builds' networks"]),
    ...(tools.mapUser
      ? []
      : [
          'util-linux is older than 2.38: build commands run as root inside their own user namespace',
        ]),
    ...(setpriv ? [] : ['setpriv is missing: a build step keeps running if the worker dies']),
  ];
}

/** `nice` and the level runs get, or what the start-up log says when it cannot be had. */
function niceFor(choice: SandboxChoice): { option: { nice?: Nice }; limitations: string[] } {
  const level = choice.nice ?? 0;
  if (level <= 0) return { option: {}, limitations: [] };
  const nicePath = findExecutable('nice', choice.systemPath);
  if (nicePath) return { option: { nice: { path: nicePath, level } }, limitations: [] };
  return {
    option: {},
    limitations: [
      "nice (coreutils) is missing: builds run at the worker's CPU priority and can slow the " +
        'API and the database on a busy machine',
    ],
  };
}

/** `setpriv` when it can set a parent-death signal (util-linux 2.33+). */
function withSetpriv(systemPath: string): { setpriv?: string } {
  const setpriv = findExecutable('setpriv', systemPath);
  if (!setpriv) return {};
  try {
    return execFileSync(setpriv, ['--help'], { encoding: 'utf8' }).includes('--pdeathsig')
      ? { setpriv }
      : {};
  } catch {
    return {};
  }
}

/** Everything a probe's outcome depends on but the scratch directory (see ProbeMemo). */
function probeKey(base: BaseOptions, tools: NsTools): string {
  const { limits, toolPaths, prlimit, setpriv, identities } = base;
  return JSON.stringify({
    tools,
    limits,
    toolPaths,
    prlimit,
    setpriv,
    separate: identities.separate,
  });
}

async function probeOnce(
  memo: ProbeMemo | undefined,
  key: string,
  run: () => Promise<string | undefined>,
): Promise<string | undefined> {
  if (memo?.has(key)) return undefined;
  const problem = await run();
  if (!problem) memo?.add(key);
  return problem;
}

/** Runs one trivial command through the namespaces; the reason it failed, if it did. */
async function probe(
  sandbox: Sandbox,
  scratchDir: string,
  identities: IdentityPool,
): Promise<string | undefined> {
  const lease = await identities.acquire();
  const workspace = await mkdtemp(path.join(scratchDir, 'probe-'));
  try {
    if (lease.identity) await chown(workspace, lease.identity.uid, lease.identity.gid);
    const result = await sandbox.run({
      command: process.execPath,
      args: ['-e', ''],
      cwd: workspace,
      workspace,
      network: false,
      timeoutMs: 30_000,
      ...(lease.identity ? { identity: lease.identity } : {}),
    });
    if (result.exitCode === 0) return undefined;
    return result.stderr.trim().split('\n').at(-1) || `exit status ${result.exitCode}`;
  } finally {
    await rm(workspace, { recursive: true, force: true });
    await lease.release();
  }
}
