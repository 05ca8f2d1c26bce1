import path from 'node:path';
import { measured, type Recommendation } from './recommendation.js';

/** What the generated sources say about type checking and tests. */
export interface CodeFacts {
  /** A tsconfig.json or TypeScript files: strictness matters. */
  typescript: boolean;
  /** The root tsconfig.json, if there is one. */
  tsconfig: boolean;
  /** 'unknown' when it comes from a config outside the project (a package's preset). */
  strict: 'on' | 'off' | 'unset' | 'unknown';
  /** package.json exists: the project has scripts, and so can have a test script. */
  packageJson: boolean;
  testScript: boolean;
  testFiles: number;
}

/** Reads a project file as text (contained, bounded); undefined when it cannot. */
export type ReadFile = (rel: string) => Promise<string | undefined>;

const TEST_FILE = /(^|\/)(__tests__|tests?)\/|\.(test|spec)\.[cm]?[jt]sx?$/;
const TS_FILE = /\.(c|m)?tsx?$/;
const NPM_DEFAULT_TEST = /no test specified/;

export async function readCodeFacts(files: readonly string[], read: ReadFile): Promise<CodeFacts> {
  const pkg = asRecord(parseJsonc(await read('package.json')));
  const test = asRecord(pkg?.scripts)?.test;
  const tsFiles = files.some((f) => TS_FILE.test(f) && !f.endsWith('.d.ts'));
  const tsconfig = files.includes('tsconfig.json');
  return {
    typescript: tsconfig || tsFiles,
    tsconfig,
    strict: tsconfig ? await projectStrictness(read) : 'unset',
    packageJson: pkg !== undefined,
    testScript: typeof test === 'string' && test.trim() !== '' && !NPM_DEFAULT_TEST.test(test),
    testFiles: files.filter((f) => TEST_FILE.test(f)).length,
  };
}

/**
 * The strictness of tsconfig.json, following relative `extends`, and the configs it
 * references (a Vite project's root config only lists tsconfig.app.json and tsconfig.node.json).
 */
async function projectStrictness(read: ReadFile): Promise<CodeFacts['strict']> {
  const root = asRecord(parseJsonc(await read('tsconfig.json')));
  if (!root) return 'unknown';
  const own = await strictOf('tsconfig.json', read, 0);
  const references = Array.isArray(root.references) ? root.references : [];
  if (own !== 'unset' || references.length === 0) return own;
  const results: Array<CodeFacts['strict']> = [];
  for (const ref of references.slice(0, 10)) {
    const target = asRecord(ref)?.path;
    const file = typeof target === 'string' ? configPath('tsconfig.json', target) : undefined;
    results.push(file ? await strictOf(file, read, 0) : 'unknown');
  }
  for (const worst of ['off', 'unset', 'unknown'] as const)
    if (results.includes(worst)) return worst;
  return 'on';
}

async function strictOf(file: string, read: ReadFile, depth: number): Promise<CodeFacts['strict']> {
  const config = asRecord(parseJsonc(await read(file)));
  if (!config || depth > 5) return 'unknown';
  const strict = asRecord(config.compilerOptions)?.strict;
  if (typeof strict === 'boolean') return strict ? 'on' : 'off';
  // With several bases, a later one overrides an earlier one.
  const bases = [config.extends].flat().filter((x): x is string => typeof x === 'string');
  for (const base of bases.reverse()) {
    if (!base.startsWith('.')) return 'unknown';
    const next = configPath(file, base);
    const inherited = next ? await strictOf(next, read, depth + 1) : 'unknown';
    if (inherited !== 'unset') return inherited;
  }
  return 'unset';
}

/** A config path relative to the project root, or undefined when it leaves the project. */
function configPath(from: string, target: string): string | undefined {
  let rel = path.posix.normalize(path.posix.join(path.posix.dirname(from), target));
  if (rel.startsWith('..') || path.posix.isAbsolute(rel)) return undefined;
  if (!rel.endsWith('.json')) rel = rel.endsWith('/') ? `${rel}tsconfig.json` : `${rel}.json`;
  return rel;
}

export function codeRecommendations(facts: CodeFacts): Recommendation[] {
  const out: Recommendation[] = [];
  if (facts.typescript && (facts.strict === 'off' || facts.strict === 'unset')) {
    out.push(
      measured('code.strict', {
        severity: 'low',
        title: 'Turn on strict type checking',
        detail: facts.tsconfig
          ? `tsconfig.json ${facts.strict === 'off' ? 'turns strict mode off' : 'does not turn strict mode on'}: null and undefined slip through the type checker, and so do the bugs they cause.`
          : 'The project has TypeScript files but no tsconfig.json, so they are checked with loose defaults.',
        action: 'Set "strict": true under compilerOptions in tsconfig.json and fix what it finds.',
        evidence: facts.tsconfig
          ? { file: 'tsconfig.json', strict: facts.strict === 'off' ? false : 'absent' }
          : { file: 'tsconfig.json', missing: 'tsconfig.json' },
      }),
    );
  }
  if (facts.packageJson && (facts.testFiles === 0 || !facts.testScript)) {
    out.push(
      measured('code.tests', {
        severity: 'low',
        title: facts.testFiles === 0 ? 'Add tests' : 'Add a test script',
        detail:
          facts.testFiles === 0
            ? 'The project has no test files: nothing checks that a change keeps the app working.'
            : `The project has ${facts.testFiles} test file${facts.testFiles === 1 ? '' : 's'} but no "test" script, so nothing runs them.`,
        action:
          facts.testFiles === 0
            ? 'Add a few tests for the main screens and a "test" script in package.json (e.g. "vitest run").'
            : 'Add a "test" script to package.json that runs them.',
        evidence: { testFiles: facts.testFiles, testScript: facts.testScript },
      }),
    );
  }
  return out;
}

/** JSON with comments and trailing commas, as tsconfig.json allows; undefined if unreadable. */
export function parseJsonc(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not plain JSON: strip comments and trailing commas below.
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (ch === '/' && text.charAt(i + 1) === '/') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl - 1;
    } else if (ch === '/' && text.charAt(i + 1) === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 1;
    } else out += ch;
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1')) as unknown;
  } catch {
    return undefined;
  }
}

/** Index just past the string literal starting at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text.charAt(i) === '\\') i++;
    else if (text.charAt(i) === '"') return i + 1;
  }
  return text.length;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
