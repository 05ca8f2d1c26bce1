import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { BwrapSandbox } from './bwrap-sandbox.js';
import { ProcessSandbox } from './process-sandbox.js';
import type { Sandbox, SandboxLimits } from './sandbox.js';

/** The uid/gid of `nobody`: untrusted code never runs as the worker's own user when that is root. */
export const SANDBOX_UID = 65534;

export interface SandboxChoice {
  mode: 'auto' | 'bwrap' | 'process';
  limits: SandboxLimits;
  scratchDir: string;
  toolPaths: string[];
  systemPath: string;
  /** Refuse to fall back to the process runner (production). */
  requireBwrap: boolean;
  /** Unprivileged uid/gid for sandboxed processes when the worker is root. */
  uid?: number;
}

export function findExecutable(name: string, systemPath: string): string | undefined {
  for (const dir of systemPath.split(':').filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export class SandboxUnavailableError extends Error {}

export async function createSandbox(choice: SandboxChoice): Promise<Sandbox> {
  const bwrap = findExecutable('bwrap', choice.systemPath);
  const prlimit = findExecutable('prlimit', choice.systemPath);
  const uid = choice.uid ?? SANDBOX_UID;
  const runAs = process.getuid?.() === 0 ? { uid, gid: uid } : undefined;
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
      ...(prlimit ? { prlimit } : {}),
      ...(runAs ? { runAs } : {}),
    });
  }
  await mkdir(choice.scratchDir, { recursive: true });
  return new ProcessSandbox({
    limits: choice.limits,
    scratchDir: choice.scratchDir,
    ...(prlimit ? { prlimit } : {}),
    ...(runAs ? { runAs } : {}),
  });
}
