import { chmod, mkdir } from 'node:fs/promises';
import { BwrapSandbox } from './bwrap-sandbox.js';
import { findExecutable } from './executables.js';
import { UidPool, WorkerIdentity, type IdentityPool } from './identity-pool.js';
import { ProcessSandbox } from './process-sandbox.js';
import type { Sandbox, SandboxLimits } from './sandbox.js';

export { findExecutable } from './executables.js';

/**
 * The uid/gid of `nobody`: what runs outside any build (the Claude CLI's scratch completions)
 * use when the worker is root and the caller prepares files for them. Builds use slots.
 */
export const SANDBOX_UID = 65534;

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
  /** Where runs without an identity get one; by default a slot pool when the worker is root. */
  identities?: IdentityPool;
}

export class SandboxUnavailableError extends Error {}

/** A slot pool when the worker is root (it can switch uids), else the worker's own uid. */
export function identityPoolFor(range: { base: number; count: number }): IdentityPool {
  return process.getuid?.() === 0 ? new UidPool(range) : new WorkerIdentity();
}

export async function createSandbox(choice: SandboxChoice): Promise<Sandbox> {
  const bwrap = findExecutable('bwrap', choice.systemPath);
  const prlimit = findExecutable('prlimit', choice.systemPath);
  const identities =
    choice.identities ?? identityPoolFor({ base: DEFAULT_UID_BASE, count: DEFAULT_UID_COUNT });
  const shared = identities.separate ? [] : [NOT_ROOT(process.getuid?.() ?? -1)];
  const wantBwrap = choice.mode === 'bwrap' || (choice.mode === 'auto' && bwrap !== undefined);
  if (wantBwrap || choice.requireBwrap) {
    if (!bwrap) {
      throw new SandboxUnavailableError(
        'SANDBOX: bubblewrap (bwrap) is not installed; install it (apt-get install bubblewrap) ' +
          'or set SANDBOX_ALLOW_PROCESS=true to accept the weaker process runner',
      );
    }
    return new BwrapSandbox({
      bwrap,
      limits: choice.limits,
      toolPaths: choice.toolPaths,
      identities,
      limitations: shared,
      ...(prlimit ? { prlimit } : {}),
    });
  }
  await mkdir(choice.scratchDir, { recursive: true });
  // Each run's directory below is its own uid's; the sandbox uids only need to pass through.
  if (identities.separate) await chmod(choice.scratchDir, 0o711);
  return new ProcessSandbox({
    limits: choice.limits,
    scratchDir: choice.scratchDir,
    toolPaths: choice.toolPaths,
    identities,
    limitations: shared,
    ...(prlimit ? { prlimit } : {}),
  });
}

const NOT_ROOT = (uid: number) =>
  `the worker is not root, so sandbox uids cannot be switched: every build runs as the ` +
  `worker's uid (${uid}); process limits still count per build (inside each build's user ` +
  `namespace), but leftover processes cannot be found and killed by uid, and the dependency ` +
  `cache is owned by the worker's uid, protected from builds only by read-only mounts`;
