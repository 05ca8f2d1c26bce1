import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import type { ProbeResult } from '../services/health.service.js';

const CACHE_MS = 30_000;

/**
 * Asks the Claude Code CLI for its version: argv only, no shell, a minimal environment with
 * no worker secrets, killed after a timeout. Cached briefly so health polling is cheap.
 */
export function claudeCliProbe(bin: string, pathEnv: string, timeoutMs = 5000) {
  let cached: { at: number; result: ProbeResult } | undefined;

  const run = () =>
    new Promise<ProbeResult>((resolve) => {
      execFile(
        bin,
        ['--version'],
        {
          timeout: timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: 64 * 1024,
          env: {
            PATH: pathEnv,
            HOME: tmpdir(),
            DISABLE_AUTOUPDATER: '1',
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          },
        },
        (err, stdout) => {
          if (err) {
            const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
            resolve({
              status: 'down',
              message: missing ? `${bin} not found on PATH` : 'the CLI did not answer --version',
            });
            return;
          }
          resolve({ status: 'ok', detail: { version: stdout.trim().split('\n')[0] ?? '' } });
        },
      );
    });

  return async (): Promise<ProbeResult> => {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.result;
    const result = await run();
    cached = { at: Date.now(), result };
    return result;
  };
}
