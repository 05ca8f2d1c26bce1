/**
 * What a failed pipeline step means. Turns a step's exit status and output into a category (for
 * routing: retry, repair with the AI, or give up), a stable machine code, a sentence for people,
 * and the facts the fixers need. Deterministic: the same failure always classifies the same way
 * and gets the same fingerprint, which is how repeated repair attempts detect "no progress".
 */
import { createHash } from 'node:crypto';
import type { BuildErrorCode } from './build-errors.js';
import { exportRule } from './classify-export.js';
import { limitRule, type SpaceLimits } from './classify-limits.js';
import {
  firstBundlerError,
  mentionedFiles,
  missingPackages,
  normaliseForFingerprint,
  parseTscErrors,
  registryFailures,
  scrubPaths,
  toLines,
  unresolvedRelativeImports,
  type TscError,
} from './tool-output.js';

export { missingImports, missingPackages } from './tool-output.js';
export type { SpaceLimits } from './classify-limits.js';

export const FAILURE_CATEGORIES = [
  'typescript',
  'dependency',
  'build',
  'timeout',
  'sandbox',
  'deployment',
] as const;
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];

export type PipelineStep = 'install' | 'validate' | 'build' | 'package' | 'deploy';

export interface ClassifyInput {
  step: PipelineStep;
  exitCode: number | null;
  timedOut: boolean;
  killedBySandbox?: 'output' | 'memory' | 'disk' | 'signal';
  /** The run's space limits, named in the messages of exhaustion failures. */
  limits?: SpaceLimits;
  stdout: string;
  stderr: string;
  /** Absolute build directory, when known: makes file extraction and path scrubbing exact. */
  workspaceRoot?: string;
}

export interface ClassifiedFailure {
  category: FailureCategory;
  /** Stable machine code from the closed catalog, e.g. BUILD_TYPESCRIPT_ERROR. */
  code: BuildErrorCode;
  /** One sentence for people: no raw tool output, no paths outside the workspace. */
  message: string;
  hint: string;
  /** sha256 (hex) of the normalised error lines; equal for repeats of the same failure. */
  fingerprint: string;
  /** The most relevant ≤ 20 lines of output, for operators' events. */
  excerpt: string;
  /** Workspace-relative files mentioned in the output. */
  files: string[];
}

const STEP_DOING: Record<PipelineStep, string> = {
  install: 'Installing dependencies',
  validate: 'Checking the code',
  build: 'Building the app',
  package: 'Packaging the build output',
  deploy: 'Deploying the app',
};

const MAX_EXCERPT_LINES = 20;
const MAX_EXCERPT_LINE_CHARS = 300;
const MAX_DETAIL_CHARS = 200;

// npm lines that only report that a lifecycle script (e.g. `npm run build`) failed. They
// accompany every failed build, so on their own they say nothing about dependencies.
const NPM_LIFECYCLE_NOISE =
  /^npm (?:ERR!|error)(?:$|\s+(?:$|code (?:\d+|ELIFECYCLE)\b|errno\b|path\b|workspace\b|location\b|command\b|signal\b|Lifecycle script\b|Exit status\b|Failed at the\b|This is probably not a problem\b|There is likely additional\b|A complete log\b|Missing script\b|\S+@\S+ \w+: `|\s))/;
const PNPM_ERROR = /\bERR_PNPM_(?!RECURSIVE_RUN|RECURSIVE_EXEC|NO_SCRIPT|LIFECYCLE)[A-Z0-9_]+/;
const NPM_ERROR = /^npm (?:ERR!|error)\b/;
const LOCKFILE_OUTDATED =
  /ERR_PNPM_OUTDATED_LOCKFILE|can only install packages when your package\.json and package-lock\.json|lockfile needs to be updated|YN0028|lockfile would have been modified/;
const CONFLICT = /\bERESOLVE\b|ERR_PNPM_PEER_DEP_ISSUES|ERR_PNPM_UNMET_PEER/;
const NETWORK =
  /\b(?:ENOTFOUND|EAI_AGAIN|ECONNRESET|ECONNREFUSED|ETIMEDOUT|ERR_SOCKET_TIMEOUT)\b|ERR_PNPM_META_FETCH_FAIL/;
const SYNTAX =
  /SyntaxError|ERROR: (?:Expected|Unexpected|Unterminated)|Unexpected token|\[PARSE_ERROR\]|Expression expected|Unterminated (?:string|regular expression|template)/;
const MISSING_SCRIPT = /Missing script:|ERR_PNPM_NO_SCRIPT|Command "\w+" not found/;
const ERRORISH = /\berror\b|\bfailed\b|✘|\bERR_|\bE[A-Z0-9]{3,}\b|Cannot |Could not |Can't /i;

type Rule = Pick<ClassifiedFailure, 'category' | 'code' | 'message' | 'hint'> & {
  /** Output line indexes that carry the error; they feed the excerpt and the fingerprint. */
  keyLines: number[];
};

export function classifyFailure(input: ClassifyInput): ClassifiedFailure {
  const lines = toLines(`${input.stdout}\n${input.stderr}`);
  const root = input.workspaceRoot;
  const rule = decide(input, lines, root);
  const keyText = rule.keyLines
    .slice(0, MAX_EXCERPT_LINES)
    .map((i) => normaliseForFingerprint(lines[i] ?? '', root));
  const fingerprint = createHash('sha256')
    .update([rule.category, rule.code, ...new Set(keyText)].join('\n'))
    .digest('hex');
  const timedOutOrKilled = rule.category === 'timeout' || rule.category === 'sandbox';
  return {
    category: rule.category,
    code: rule.code,
    message: rule.message,
    hint: rule.hint,
    fingerprint,
    excerpt: excerpt(lines, timedOutOrKilled ? undefined : rule.keyLines[0]),
    files: timedOutOrKilled ? [] : mentionedFiles(lines, root),
  };
}

function decide(input: ClassifyInput, lines: string[], root: string | undefined): Rule {
  const { step } = input;
  if (input.timedOut) {
    return {
      category: 'timeout',
      code: stepCode(step, 'TIMEOUT'),
      message: `${STEP_DOING[step]} took too long and was stopped.`,
      hint:
        step === 'install'
          ? 'Check for very large dependencies, or try again if the registry was slow.'
          : 'Look for an endless loop or a very heavy build step, then try again.',
      keyLines: [],
    };
  }
  const limited = limitRule(STEP_DOING[step], input.killedBySandbox, lines, input.limits);
  if (limited) return { category: 'sandbox', ...limited, keyLines: [] };
  const denied = permissionRule(step, lines);
  if (denied) return denied;
  // Deployment runs on finished output: nothing in the app's sources or dependencies can be at
  // fault, even when the deploy tool's own download prints npm errors.
  if (step === 'deploy') {
    return {
      category: 'deployment',
      code: 'DEPLOY_FAILED',
      message: `Deploying the built app failed${exitSuffix(input.exitCode)}.`,
      hint: 'Try again; if it keeps failing, check the deployment target and its credentials.',
      keyLines: errorLines(lines),
    };
  }
  const tsErrors = parseTscErrors(lines, root);
  if (tsErrors.length > 0) return typescriptRule(tsErrors, root);
  const exported = step === 'build' ? exportRule(lines) : undefined;
  if (exported) return { category: 'build', ...exported };
  const dependency = dependencyRule(input, lines);
  if (dependency) return dependency;
  return buildRule(input, lines, root);
}

// Installs run no project code (lifecycle scripts are off unless allow-listed), so a denied
// file operation there is the host's set-up, as is the sandbox itself failing to open a path.
const PERMISSION = /\bEACCES\b|\bEPERM\b|Permission denied/;
const SANDBOX_SETUP = /^(?:bwrap|setpriv|unshare|prlimit): .*Permission denied/;

function permissionRule(step: PipelineStep, lines: string[]): Rule | undefined {
  const keyLines = lines.flatMap((line, i) =>
    (step === 'install' && PERMISSION.test(line)) || SANDBOX_SETUP.test(line) ? [i] : [],
  );
  if (keyLines.length === 0) return undefined;
  return {
    category: 'sandbox',
    code: 'SANDBOX_PERMISSION_DENIED',
    message: `${STEP_DOING[step]} failed: the sandbox user was denied access to a folder the worker set up.`,
    hint:
      'Nothing in the project needs to change. The operator must let the sandbox user reach DATA_DIR, ' +
      'every folder above it (chmod o+x) and the Node.js install; the worker checks this at start-up.',
    keyLines,
  };
}

function typescriptRule(errors: TscError[], root: string | undefined): Rule {
  const first = errors[0] as TscError;
  const where = first.file ? `${first.file}${first.line ? ` line ${first.line}` : ''}: ` : '';
  const detail = sentence(`${where}${detailText(first.message, root)}`);
  const message =
    errors.length === 1
      ? `The app's TypeScript does not compile: ${detail}`
      : `The app's TypeScript does not compile (${errors.length} errors); the first is ${detail}`;
  return {
    category: 'typescript',
    code: 'BUILD_TYPESCRIPT_ERROR',
    message,
    hint: 'Fix the type errors in the files listed, or let the engine repair them.',
    keyLines: errors.map((e) => e.index),
  };
}

function dependencyRule(input: ClassifyInput, lines: string[]): Rule | undefined {
  const { step } = input;
  const text = lines.join('\n');
  const npmLines = lines.flatMap((line, i) =>
    NPM_ERROR.test(line) && !NPM_LIFECYCLE_NOISE.test(line) ? [i] : [],
  );
  const signalLines = lines.flatMap((line, i) =>
    PNPM_ERROR.test(line) ||
    /\bE404\b|\bETARGET\b/.test(line) ||
    LOCKFILE_OUTDATED.test(line) ||
    /Couldn't find any versions|An unexpected error occurred: "https?:/.test(line) ||
    /Cannot find (?:module|package) |Could not resolve ["']|[Ff]ailed to resolve import |Can't resolve '/.test(
      line,
    )
      ? [i]
      : [],
  );
  const missing = missingPackages(text);
  const registry = registryFailures(lines);
  const signalled =
    npmLines.length > 0 ||
    registry.length > 0 ||
    missing.length > 0 ||
    signalLines.some(
      (i) => !/Cannot find|Could not resolve|resolve import|Can't resolve/.test(lines[i] ?? ''),
    );
  if (step !== 'install' && !signalled) return undefined;

  const keyLines = [...new Set([...signalLines, ...npmLines])].sort((a, b) => a - b);
  const base = {
    category: 'dependency' as const,
    keyLines: keyLines.length ? keyLines : errorLines(lines),
  };
  const quoted = (names: string[]): string => names.map((n) => `'${n}'`).join(', ');
  const notFound = registry.filter((f) => f.kind === 'not_found').map((f) => f.name);
  const noVersion = registry.find((f) => f.kind === 'no_version');
  if (notFound.length > 0) {
    return {
      ...base,
      code: 'DEPENDENCY_NOT_FOUND',
      message:
        notFound.length === 1
          ? `The package ${quoted(notFound)} does not exist in the npm registry.`
          : `These packages do not exist in the npm registry: ${quoted(notFound)}.`,
      hint: 'Check the package name for typos, or remove it from package.json.',
    };
  }
  if (noVersion) {
    const range = noVersion.range
      ? ` matches '${noVersion.range}'`
      : ' matches the requested range';
    return {
      ...base,
      code: 'DEPENDENCY_VERSION_NOT_FOUND',
      message: `No published version of '${noVersion.name}'${range}.`,
      hint: 'Use a version range that exists on the registry (e.g. the latest major version).',
    };
  }
  if (LOCKFILE_OUTDATED.test(text)) {
    return {
      ...base,
      code: 'DEPENDENCY_LOCKFILE_OUTDATED',
      message: 'The lockfile does not match package.json.',
      hint: 'Regenerate the lockfile, or delete it so the install creates a fresh one.',
    };
  }
  if (CONFLICT.test(text)) {
    return {
      ...base,
      code: 'DEPENDENCY_CONFLICT',
      message: 'The dependencies ask for versions of each other that cannot be installed together.',
      hint: 'Align the versions of the conflicting packages (often a peer dependency like react).',
    };
  }
  if (NETWORK.test(text)) {
    return {
      ...base,
      code: 'DEPENDENCY_NETWORK',
      message: 'The package registry could not be reached while installing dependencies.',
      hint: 'Try again; the registry or the network may be temporarily unavailable.',
    };
  }
  if (missing.length > 0) {
    return {
      ...base,
      code: 'DEPENDENCY_MISSING',
      message:
        missing.length === 1
          ? `The app imports the package ${quoted(missing)}, which is not installed.`
          : `The app imports packages that are not installed: ${quoted(missing)}.`,
      hint: 'Add the package to the dependencies in package.json, or remove the import.',
    };
  }
  return {
    ...base,
    code: 'DEPENDENCY_INSTALL_FAILED',
    message: `${STEP_DOING[step]} failed because of a dependency problem${exitSuffix(input.exitCode)}.`,
    hint: 'Check package.json for invalid entries and see the excerpt for the installer error.',
  };
}

function buildRule(input: ClassifyInput, lines: string[], root: string | undefined): Rule {
  const { step } = input;
  const text = lines.join('\n');
  const located = firstBundlerError(lines, root);
  const keyLines = errorLines(lines);
  if (located && !keyLines.includes(located.index)) keyLines.unshift(located.index);
  const where = located?.file
    ? `${located.file}${located.line ? ` line ${located.line}` : ''}: `
    : '';
  const detail = located ? `: ${sentence(`${where}${detailText(located.message, root)}`)}` : '.';
  const failed = `${STEP_DOING[step]} failed`;
  const relative = unresolvedRelativeImports(text);
  if (relative.length > 0) {
    return {
      category: 'build',
      code: 'BUILD_UNRESOLVED_IMPORT',
      message: `${failed}: an imported file does not exist${where ? ` (${where.slice(0, -2)})` : ''}: '${relative[0] ?? ''}'.`,
      hint: 'Create the missing file or fix the import path.',
      keyLines,
    };
  }
  if (SYNTAX.test(text)) {
    return {
      category: 'build',
      code: 'BUILD_SYNTAX_ERROR',
      message: `${failed} because of a syntax error${detail}`,
      hint: 'Fix the syntax at the location given.',
      keyLines,
    };
  }
  if (MISSING_SCRIPT.test(text)) {
    return {
      category: 'build',
      code: 'BUILD_SCRIPT_MISSING',
      message: `${failed}: package.json has no script for this step.`,
      hint: 'Add a "build" script to package.json (e.g. "vite build").',
      keyLines,
    };
  }
  return {
    category: 'build',
    code: stepCode(step, 'FAILED'),
    message: located ? `${failed}${detail}` : `${failed}${exitSuffix(input.exitCode)}.`,
    hint: 'See the excerpt of the tool output for the cause.',
    keyLines,
  };
}

/** Indexes of lines that look like errors, skipping npm's lifecycle wrapper noise. */
function errorLines(lines: string[]): number[] {
  return lines.flatMap((line, i) =>
    ERRORISH.test(line) && !NPM_LIFECYCLE_NOISE.test(line) && !/^\s+at /.test(line) ? [i] : [],
  );
}

function stepCode(step: PipelineStep, what: 'TIMEOUT' | 'FAILED'): BuildErrorCode {
  // A union of every step × outcome: this fails to compile if the catalog misses one.
  return `${step.toUpperCase()}_${what}` as `${Uppercase<PipelineStep>}_${typeof what}`;
}

function exitSuffix(exitCode: number | null): string {
  return exitCode === null ? '' : ` (exit code ${exitCode})`;
}

/** Tool text made fit for a person: no foreign paths, bounded, one line. */
function detailText(text: string, root: string | undefined): string {
  const clean = scrubPaths(text, root).replace(/\s+/g, ' ').trim();
  return clean.length > MAX_DETAIL_CHARS ? `${clean.slice(0, MAX_DETAIL_CHARS - 1)}…` : clean;
}

function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** Up to 20 lines starting just before the first key line, or the tail if there is none. */
function excerpt(lines: string[], anchor: number | undefined): string {
  const nonBlankEnd = lines.findLastIndex((l) => l.trim() !== '') + 1;
  const start =
    anchor === undefined ? Math.max(0, nonBlankEnd - MAX_EXCERPT_LINES) : Math.max(0, anchor - 2);
  const picked = lines.slice(start, Math.min(nonBlankEnd, start + MAX_EXCERPT_LINES));
  return picked
    .filter((line, i) => !(line.trim() === '' && (picked[i - 1] ?? '').trim() === ''))
    .map((line) =>
      line.length > MAX_EXCERPT_LINE_CHARS ? `${line.slice(0, MAX_EXCERPT_LINE_CHARS)}…` : line,
    )
    .join('\n')
    .trim();
}
