import { missingImports, missingPackages } from '../build/classify.js';
import { parseTscErrors, toLines } from '../build/tool-output.js';
import type { WorkspaceTools } from '../ai/engine.js';
import { rewriteImports } from '../supply/resolve-conflicts.js';
import { addMissingVueImports, unoptimizeNextImages } from './framework-fixers.js';

/**
 * Deterministic repairs tried before any engine is asked: cheap, free and predictable.
 * Each returns the files it changed (empty when it did not apply).
 */
export interface FixResult {
  changed: string[];
  /** True when package.json changed and dependencies must be installed again. */
  dependenciesChanged: boolean;
  description: string;
}

/** Names that always come from React when a component uses them without importing. */
const REACT_EXPORTS = new Set([
  'useState',
  'useEffect',
  'useMemo',
  'useCallback',
  'useRef',
  'useReducer',
  'useContext',
  'useId',
  'useLayoutEffect',
  'useTransition',
  'useDeferredValue',
  'createContext',
  'Fragment',
  'StrictMode',
  'Suspense',
  'lazy',
  'memo',
  'forwardRef',
]);

export async function runDeterministicFixers(
  output: string,
  tools: WorkspaceTools,
): Promise<FixResult | undefined> {
  return (
    (await replaceSuggestedDependencies(output, tools)) ??
    (await addMissingDependencies(output, tools)) ??
    (await addMissingReactImports(output, tools)) ??
    (await addMissingVueImports(output, tools)) ??
    (await unoptimizeNextImages(output, tools))
  );
}

/**
 * The registry check refused a package one letter away from a popular one (`replace-dependency
 * lodahs lodash` lines): the popular name takes its place, at the range it was asked for.
 */
async function replaceSuggestedDependencies(
  output: string,
  tools: WorkspaceTools,
): Promise<FixResult | undefined> {
  const swaps = [...output.matchAll(/^replace-dependency (\S+) (\S+)$/gm)].map((m) => ({
    from: m[1] as string,
    to: m[2] as string,
  }));
  if (swaps.length === 0) return undefined;
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(await tools.readFile('package.json')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const done: string[] = [];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const deps = pkg[field] as Record<string, string> | undefined;
    for (const { from, to } of swaps) {
      const spec = deps?.[from];
      if (!deps || spec === undefined) continue;
      delete deps[from];
      // The range was meant for the misspelt name: the popular package's own latest is safer.
      deps[to] ??= 'latest';
      done.push(`${from} → ${to}`);
    }
  }
  if (done.length === 0) return undefined;
  await tools.writeFile('package.json', JSON.stringify(pkg, null, 2) + '\n');
  const rewritten = new Set<string>();
  for (const { from, to } of swaps)
    for (const file of await rewriteImports(tools, from, to)) rewritten.add(file);
  return {
    changed: ['package.json', ...rewritten],
    dependenciesChanged: true,
    description: `Replaced refused dependencies with the popular packages meant: ${done.join(', ')}.`,
  };
}

async function addMissingDependencies(
  output: string,
  tools: WorkspaceTools,
): Promise<FixResult | undefined> {
  const wanted = missingPackages(output);
  if (wanted.length === 0) return undefined;
  let pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  try {
    pkg = JSON.parse(await tools.readFile('package.json')) as typeof pkg;
  } catch {
    return undefined;
  }
  const declared = { ...pkg.dependencies, ...pkg.devDependencies };
  const added = wanted.filter((name) => !(name in declared));
  if (added.length === 0) return undefined;
  pkg.dependencies = {
    ...pkg.dependencies,
    ...Object.fromEntries(added.map((n) => [n, 'latest'])),
  };
  await tools.writeFile('package.json', JSON.stringify(pkg, null, 2) + '\n');
  return {
    changed: ['package.json'],
    dependenciesChanged: true,
    description: `Added missing dependencies: ${added.join(', ')}.`,
  };
}

function addMissingReactImports(
  output: string,
  tools: WorkspaceTools,
): Promise<FixResult | undefined> {
  return addMissingImports(output, tools, {
    module: 'react',
    exports: REACT_EXPORTS,
    fileWanted: (file) => /\.(tsx?|jsx?)$/.test(file),
    withImport: withReactImport,
  });
}

/** How one framework's missing named imports are added to the files that use them. */
export interface ImportRule {
  module: string;
  /** The names the module exports: any other missing name is not this fixer's business. */
  exports: ReadonlySet<string>;
  fileWanted(file: string): boolean;
  /** The source with `name` imported from the module; unchanged when it already was. */
  withImport(source: string, name: string): string;
}

/** Adds each missing name the checker reported to the files it named, once per file. */
export async function addMissingImports(
  output: string,
  tools: WorkspaceTools,
  rule: ImportRule,
): Promise<FixResult | undefined> {
  const changed: string[] = [];
  const names: string[] = [];
  for (const { name, files } of missingImports(output)) {
    if (!rule.exports.has(name)) continue;
    for (const file of files.filter((f) => rule.fileWanted(f))) {
      const source = await tools.readFile(file).catch(() => undefined);
      if (source === undefined) continue;
      const next = rule.withImport(source, name);
      if (next === source) continue;
      await tools.writeFile(file, next);
      if (!changed.includes(file)) changed.push(file);
      if (!names.includes(name)) names.push(name);
    }
  }
  if (changed.length === 0) return undefined;
  return {
    changed,
    dependenciesChanged: false,
    description: `Imported ${names.join(', ')} from ${rule.module} in ${changed.join(', ')}.`,
  };
}

/** Adds `name` to an existing `import { … } from 'react'`, or a new import line at the top. */
export function withReactImport(source: string, name: string): string {
  const named = /import\s*(\w+\s*,\s*)?\{([^}]*)\}\s*from\s*['"]react['"];?/.exec(source);
  if (named) {
    const members = (named[2] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    if (members.some((m) => m === name || m.endsWith(` as ${name}`))) return source;
    const replacement = named[0].replace(/\{[^}]*\}/, `{ ${[...members, name].join(', ')} }`);
    return source.replace(named[0], replacement);
  }
  return `import { ${name} } from 'react';\n${source}`;
}

// Syntax errors a file cut off mid-way produces ("'}' expected", "Unterminated string
// literal", "Expression expected", a JSX element never closed…).
const SYNTAX_CODES = new Set([
  'TS1002',
  'TS1005',
  'TS1010',
  'TS1109',
  'TS1110',
  'TS1128',
  'TS1160',
  'TS1161',
  'TS17008',
  'TS17002',
]);

/**
 * Files that end mid-way, the typical result of a model's output being cut at its token limit:
 * the compiler's parser reports a syntax error on (or just before) the file's last line. The
 * engine is then told to rewrite those files whole rather than patch them.
 */
export async function truncatedFiles(output: string, tools: WorkspaceTools): Promise<string[]> {
  const found: string[] = [];
  for (const error of parseTscErrors(toLines(output))) {
    if (!error.file || !error.code || !SYNTAX_CODES.has(error.code) || found.includes(error.file))
      continue;
    let source: string;
    try {
      source = await tools.readFile(error.file);
    } catch {
      continue;
    }
    const lastLine = source.trimEnd().split('\n').length;
    if ((error.line ?? 0) >= lastLine - 1) found.push(error.file);
  }
  return found;
}
