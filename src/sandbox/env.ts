import path from 'node:path';
import type { SandboxLimits } from './sandbox.js';

/**
 * The whole environment a sandboxed process sees: an allow-list built from nothing, so no
 * worker secret (HMAC keys, API keys, database URLs) can reach generated code.
 */
export function sandboxEnv(options: {
  home: string;
  tmp: string;
  limits: SandboxLimits;
  extra?: Record<string, string>;
}): Record<string, string> {
  const nodeBin = path.dirname(process.execPath);
  const heapMb = Math.max(256, Math.floor(options.limits.memoryMb * 0.75));
  return {
    PATH: [nodeBin, '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: options.home,
    TMPDIR: options.tmp,
    LANG: 'C.UTF-8',
    CI: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    NODE_OPTIONS: `--max-old-space-size=${heapMb}`,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...options.extra,
  };
}

/** `prlimit` arguments that cap processes, data memory, file size and core dumps. */
export function prlimitArgs(limits: SandboxLimits): string[] {
  return [
    `--nproc=${limits.maxProcesses}`,
    `--data=${limits.memoryMb * 1024 * 1024}`,
    `--fsize=${limits.maxFileBytes}`,
    '--core=0',
    '--',
  ];
}
