import type { BuildErrorCode } from './build-errors.js';

export interface SpaceLimits {
  /** The whole build: workspace, dependencies installed in place, output. */
  diskBytes: number;
  /** The sandbox's private /tmp. */
  tmpBytes: number;
  /** Any one file. */
  maxFileBytes: number;
}

interface LimitFailure {
  code: BuildErrorCode;
  message: string;
  hint: string;
}

// ENOSPC: a full /tmp (its tmpfs size) or workspace. Not inotify's "ENOSPC: System limit for
// number of file watchers", which is about watchers, not space.
const NO_SPACE = /\bENOSPC\b(?!.*file watchers)|No space left on device/;
// EFBIG: a write past the per-file size limit (Node ignores SIGXFSZ and gets the error).
const FILE_TOO_LARGE = /\bEFBIG\b|File too large/i;

/**
 * A run that hit one of the sandbox's limits: stopped by it (output, memory, disk, a signal)
 * or failing because it ran out of space. `doing` names the step ("Building the app").
 */
export function limitRule(
  doing: string,
  killedBy: 'output' | 'memory' | 'disk' | 'signal' | undefined,
  lines: string[],
  limits: SpaceLimits | undefined,
): LimitFailure | undefined {
  if (killedBy === 'disk') return spaceRule(doing, 'disk', limits);
  if (killedBy) return sandboxRule(doing, killedBy);
  if (lines.some((l) => NO_SPACE.test(l))) return spaceRule(doing, 'tmp', limits);
  if (lines.some((l) => FILE_TOO_LARGE.test(l))) return spaceRule(doing, 'file', limits);
  return undefined;
}

/** Every way a build runs out of space is one code, with a message naming the limit it hit. */
function spaceRule(
  doing: string,
  kind: 'disk' | 'tmp' | 'file',
  limits: SpaceLimits | undefined,
): LimitFailure {
  const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
  const what = {
    disk: limits
      ? `wrote more than ${mb(limits.diskBytes)} to disk (the limit for one build) and was stopped`
      : 'wrote more to disk than one build may and was stopped',
    tmp: limits
      ? `ran out of space for files (the sandbox's /tmp holds ${mb(limits.tmpBytes)})`
      : 'ran out of space for files',
    file: limits
      ? `wrote a file larger than ${mb(limits.maxFileBytes)} (the limit for one file)`
      : 'wrote a file larger than one file may be',
  }[kind];
  return {
    code: 'BUILD_DISK_LIMIT',
    message: `${doing} ${what}.`,
    hint:
      kind === 'tmp'
        ? 'Write large temporary files into the project instead of /tmp, or write less; the operator can raise SANDBOX_TMP_MB.'
        : 'Make the build write less (large generated or copied files, caches); the operator can raise BUILD_DISK_LIMIT_MB.',
  };
}

function sandboxRule(doing: string, kind: 'output' | 'memory' | 'signal'): LimitFailure {
  const rules = {
    output: [
      'SANDBOX_OUTPUT_LIMIT',
      'printed too much output and was stopped',
      'Make the step less verbose.',
    ],
    memory: [
      'SANDBOX_MEMORY_LIMIT',
      'ran out of memory and was stopped',
      'Reduce the size of the app or its dependencies, or raise the memory limit.',
    ],
    signal: [
      'SANDBOX_KILLED',
      'was stopped by the sandbox',
      'Try again; if it persists, check the sandbox logs.',
    ],
  } as const;
  const [code, what, hint] = rules[kind];
  return { code, message: `${doing} ${what}.`, hint };
}
